"""Tolerant readers for YAML-derived pod data, plus upstream's text helpers.

Rendered charts are messy: ``securityContext:`` left empty (None), a list where
a map belongs, ``"1000"`` where an integer belongs.  The API server would
reject most of these before admission, so there is no Pod Security verdict to
mirror; the checks must still never crash.  The rule applied everywhere:

* a value of the wrong JSON type is treated as absent (what the check sees
  after the server refused to decode it: nothing), except that
* a string that spells the expected scalar unambiguously (``"true"``,
  ``"False"``, ``"0"``, ``"8080"``) is read as that scalar, so the verdict
  reflects what the author evidently meant;
* a non-map entry in a container or volume list is not a container/volume.
"""
from __future__ import annotations

from typing import Iterator

_TRUE = {"true"}
_FALSE = {"false"}


def as_map(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def get_map(parent: object, key: str) -> dict | None:
    """The map at ``parent[key]``, or None when absent/null/not a map (a nil pointer)."""
    value = as_map(parent).get(key)
    return value if isinstance(value, dict) else None


def as_bool(value: object) -> bool | None:
    """A Go ``*bool``: True/False, or None when unset or unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def as_int(value: object) -> int | None:
    """A Go ``*int64``/``int32``: the integer, or None when unset or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and text.isascii():
            return int(text)
    return None


def as_str(value: object) -> str:
    """A Go ``string`` field: the string, or "" when unset or not a string."""
    return value if isinstance(value, str) else ""


def str_or_none(value: object) -> str | None:
    """A Go ``*string`` (e.g. procMount): None when unset or not a string."""
    return value if isinstance(value, str) else None


def is_true(value: object) -> bool:
    return as_bool(value) is True


def containers(spec: dict, *, ephemeral: bool = True) -> Iterator[dict]:
    """Every container in upstream's visiting order: init, regular, ephemeral."""
    keys = ("initContainers", "containers", "ephemeralContainers") if ephemeral else ("initContainers", "containers")
    for key in keys:
        for item in as_list(as_map(spec).get(key)):
            if isinstance(item, dict):
                yield item


def name_of(obj: dict) -> str:
    return as_str(obj.get("name"))


def security_context(obj: dict) -> dict | None:
    return get_map(obj, "securityContext")


def relaxed_for_user_namespace(spec: dict) -> bool:
    """True when the pod runs in a user namespace (``hostUsers: false`` set explicitly)."""
    return as_bool(as_map(spec).get("hostUsers")) is False


def is_windows(spec: dict) -> bool:
    """``spec.os.name == "windows"`` (case-sensitive, as the API's enum)."""
    return as_str(as_map(get_map(spec, "os")).get("name")) == "windows"


def join_quote(items: list[str] | tuple[str, ...]) -> str:
    """``"a", "b"`` — upstream's joinQuote (no escaping, like upstream)."""
    if not items:
        return ""
    return '"' + '", "'.join(items) + '"'


def pluralize(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def sorted_set(items) -> list[str]:
    """Upstream's ``sets.String.List()``: unique, byte-order sorted."""
    return sorted(set(items))


def go_quote(text: str) -> str:
    """Go's ``%q`` for a string: double quotes, Go escapes, printable Unicode kept."""
    escapes = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v",
               "\\": "\\\\", '"': '\\"'}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def setters_phrase(pod_bad: bool, bad_containers: list[str]) -> list[str]:
    """``["pod", 'containers "a", "b"']`` — who set a bad value, as upstream words it."""
    setters = ["pod"] if pod_bad else []
    if bad_containers:
        setters.append(f"{pluralize('container', 'containers', len(bad_containers))} {join_quote(bad_containers)}")
    return setters
