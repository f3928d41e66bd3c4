"""Reading the user's values: ``-f`` files (with line numbers) and ``--set*`` flags.

Each source becomes plain data plus ``origins`` (dotted path -> (source, line)); the
merged result keeps, for every path still present, the origin of the last source
that set it, so a problem can always say where the bad value came from.
"""
from __future__ import annotations

import os

from helm_vnp.base.errors import Problem
from helm_vnp.config.paths import join

TYPE_CHECKING = False  # typing's, without importing typing on every start (type checkers read the name)
if TYPE_CHECKING:
    from typing import Any, Sequence

Origin = tuple  # (source name, line or None)


class Source:
    """One contributor of values (a file, stdin or one --set* flag): its ``name``, the ``data``
    it gives, and ``origins`` (dotted path -> (name, line)).  A plain class: on the start-up path."""

    __slots__ = ("name", "data", "origins", "top")

    def __init__(self, name: str, data: dict | None = None, origins: dict[str, Origin] | None = None):
        self.name = name
        self.data = {} if data is None else data
        self.origins = {} if origins is None else origins
        self.top: dict[str, Origin] = {}  # every top-level key of a file (``data`` holds only vnp's)


# A values file larger than this is refused (VNP_MAX_VALUES_MB changes it): reading stops one byte past
# it, so `-f /dev/zero` ends at once, and parsing (only `policies` is read in full) stays within seconds.
DEFAULT_MAX_VALUES_MB = 32


def max_values_bytes() -> int:
    """The size limit of one values file, in bytes: $VNP_MAX_VALUES_MB (a positive whole number of MiB),
    else DEFAULT_MAX_VALUES_MB."""
    text = os.environ.get("VNP_MAX_VALUES_MB", "").strip()
    mb = int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 1 << 20 else DEFAULT_MAX_VALUES_MB
    return mb << 20


class TooLarge(OSError):
    """A values file past ``max_values_bytes``; its ``strerror`` says so and names the limit."""

    def __init__(self, limit: int):
        super().__init__(27, f"larger than {limit >> 20} MiB, helm-vnp's limit for a values file "
                             "(VNP_MAX_VALUES_MB raises it)")  # 27: EFBIG


def read_limited(fh) -> bytes:
    """All of ``fh`` (a binary file), refusing more than ``max_values_bytes``: TooLarge."""
    limit = max_values_bytes()
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def read_file_bytes(path: str, stdin_bytes: bytes | None, once: dict | None = None) -> tuple[str, bytes]:
    """(display name, bytes) of a -f argument; ``-`` is the caller's stdin bytes, and a file in ``once``
    (``ValuesInput.once``: a pipe read already) its bytes then.  Raises OSError (TooLarge among them)."""
    if path == "-":
        return "<stdin>", stdin_bytes if stdin_bytes is not None else b""
    if once and path in once:
        got = once[path]
        if isinstance(got, OSError):
            raise got
        return path, got
    with open(path, "rb") as fh:
        return path, read_limited(fh)


def parse_values_file(name: str, raw: bytes) -> tuple[Source | None, list[Problem]]:
    """Parse one values file as Helm does (sigs.k8s.io/yaml over go-yaml v2, see ``values_file``),
    keeping vnp's keys (``policies``, ``isolation``) with a line for each key and item, and the line
    of every other top-level key (``Source.top``); the rest of the file is Helm's business."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", file=name, line=line,
                              expected="a UTF-8 encoded YAML file")]
    from helm_vnp.base.errors import VnpError
    from helm_vnp.config.merge import merge_maps
    from helm_vnp.config.values_file import parse

    try:
        parsed = parse(name, text)
    except VnpError as exc:
        return None, exc.problems
    except RecursionError:
        return None, [Problem("the values file nests too deeply", file=name)]
    src = Source(name)
    # several documents: merged in order, as Helm 4 does (Helm 3 reads only the first)
    for data, origins, top in parsed.docs:
        src.data = merge_maps(src.data, data)
        src.origins.update(origins)
        src.top.update({k: (name, line) for k, line in top.items()})
    return src, []


OUR_TOP_KEYS = ("policies", "isolation", "mapServices")


def apply_set_flags(base: dict, flags: Sequence[tuple[str, str]]) -> tuple[dict, list[Source], list[Problem]]:
    """Apply (flag, argument) pairs in order onto a copy of ``base`` like Helm's ParseInto."""
    from helm_vnp.config.strvals import SetSyntaxError, parse_into

    mode_of = {"--set": "set", "--set-string": "string", "--set-json": "json"}
    data = _deepcopy(base)
    sources: list[Source] = []
    problems: list[Problem] = []
    count = {f: sum(1 for g, _ in flags if g == f) for f in mode_of}
    seen = dict.fromkeys(mode_of, 0)
    for flag, arg in flags:
        seen[flag] += 1
        trial = _deepcopy(data)
        try:
            assigned = parse_into(arg, trial, mode_of[flag])
        except SetSyntaxError as exc:
            problems.append(_set_problem(flag, seen[flag], count[flag], exc))
            continue
        data = trial
        src = Source(flag)
        for keypath in assigned:
            _record_subtree(_get(data, keypath), keypath, src.origins, flag)
        sources.append(src)
    return data, sources, problems


def _set_problem(flag: str, nth: int, count: int, exc) -> Problem:
    """A --set* argument that cannot be parsed, located by flag, position and (when it is vnp's own) key,
    never quoted: it holds the chart's values, and what vnp reads as a key may be the tail of a
    password (``db.password=p4ss,w0rd``)."""
    which = f"{flag} number {nth} of {count}" if count > 1 else flag
    where = f" at character {exc.pos}" if exc.pos and "character" not in str(exc) else ""
    key = exc.key or []
    ours = f" (key {join(key)})" if key and key[0] in OUR_TOP_KEYS and all(str(k).isprintable() for k in key) else ""
    return Problem(f"cannot parse {which}{where}: {exc}{ours}", file=flag,
                   expected="key=value pairs such as a.b=1,c[0].d=x")


def _record_subtree(value: Any, path: list, origins: dict, name: str) -> None:
    for i in range(1, len(path)):
        origins.setdefault(join(path[:i]), (name, None))
    origins[join(path)] = (name, None)
    if isinstance(value, dict):
        for k, v in value.items():
            _record_subtree(v, path + [k], origins, name)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _record_subtree(v, path + [i], origins, name)


def _get(data: Any, path: list) -> Any:
    for seg in path:
        data = data[seg]
    return data


def _deepcopy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value)


def final_origins(data: dict, sources: list[Source]) -> dict[str, Origin]:
    """For every path in the merged data, where its value came from (last source wins)."""
    out: dict[str, Origin] = {}

    def walk(value: Any, path: list) -> None:
        key = join(path)
        for src in reversed(sources):
            if key in src.origins:
                out[key] = src.origins[key]
                break
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + [i])

    for k, v in data.items():
        walk(v, [k])
    return out


def resolve(path: str) -> str:
    """Absolute real path of a values file, for the cache key."""
    return os.path.realpath(path)


def set_flags(sets: Sequence[str], set_strings: Sequence[str], set_jsons: Sequence[str]) -> list[tuple[str, str]]:
    """The --set* flags as (flag, argument) in the order Helm applies them."""
    return ([("--set-json", a) for a in set_jsons] + [("--set", a) for a in sets]
            + [("--set-string", a) for a in set_strings])
