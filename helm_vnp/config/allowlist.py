"""Capsule's allow lists (``AllowedListSpec``: ``{allowed: [...], allowedRegex: "..."}``, with a ``default``) as
``policies.tenant.classes`` writes them: how a class name is matched, and the checks of the config.

Matching is Capsule's: a name is allowed when it is one of ``allowed`` (exactly) or when ``allowedRegex``
matches it anywhere (Go's ``regexp.MatchString`` is a search: anchor the pattern with ``^...$`` to match the
whole name).  A list with neither key allows any name (only its ``default`` is injected).  A pattern must be
one both Python and Go (RE2, what Capsule runs) read: lookaround, atomic groups and backreferences are refused,
so a value carried over from a Capsule Tenant means the same here.  Only ``re`` is imported: cheap.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterator

# what Python's re has and Go's RE2 does not: lookahead/lookbehind, atomic groups, backreferences
_NOT_RE2 = re.compile(r"\(\?(?:[=!>]|<[=!]|P=)|\\[1-9]")


def has_allow_list(spec: Any) -> bool:
    """Whether ``spec`` restricts names (``allowed`` given, even empty, or a non-empty ``allowedRegex``)."""
    return isinstance(spec, dict) and ("allowed" in spec or bool(spec.get("allowedRegex")))


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def regex_problem(pattern: Any) -> str | None:
    """Why ``pattern`` cannot be an ``allowedRegex`` (None when it can)."""
    if not isinstance(pattern, str) or pattern == "":
        return None
    bad = _NOT_RE2.search(pattern)
    if bad:
        return (f"invalid regular expression {pattern!r}: {bad.group()!r} (lookaround, atomic groups and "
                "backreferences) is not in Go's RE2 syntax, which Capsule uses")
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    except (RecursionError, OverflowError):
        return f"invalid regular expression {pattern!r}: it nests too deeply"
    return None


def allows(spec: Any, name: str) -> bool:
    """Whether the allow list ``spec`` allows the class ``name`` (no list: any name)."""
    return not has_allow_list(spec) or listed(spec, name)


def listed(spec: dict, value: str, fold: bool = False) -> bool:
    """Whether ``value`` is one of ``allowed`` or matches ``allowedRegex`` (anywhere, as Go's MatchString);
    ``fold``: exact entries compared ignoring case (hostnames).  Neither given: nothing is listed."""
    names = [str(x) for x in spec.get("allowed") or ()]
    if value in names or (fold and value.lower() in (x.lower() for x in names)):
        return True
    pattern = str(spec.get("allowedRegex") or "")
    rx = compiled(pattern) if pattern and regex_problem(pattern) is None else None
    return rx is not None and rx.search(value) is not None


def describe(spec: Any) -> str:
    """The allow list as messages show it: ``allowed: [a, b], allowedRegex: "^gold-"``."""
    parts = []
    if isinstance(spec, dict) and "allowed" in spec:
        parts.append("allowed: [" + ", ".join(f'"{a}"' for a in spec.get("allowed") or ()) + "]")
    if isinstance(spec, dict) and spec.get("allowedRegex"):
        parts.append(f'allowedRegex: "{spec["allowedRegex"]}"')
    return ", ".join(parts) or "any class"


# -- config checks (x-vnp-check) ------------------------------------------------------------------------------

def check_class_list(value: Any) -> Iterator[tuple]:
    """One ``policies.tenant.classes.<x>Classes`` entry: its regex reads, its default is itself allowed."""
    if not isinstance(value, dict):
        return
    why = regex_problem(value.get("allowedRegex"))
    if why:
        yield ["allowedRegex"], why, "write a Go (RE2) regular expression, e.g. ^gold-.*$"
        return
    default = value.get("default")
    if isinstance(default, str) and default and not allows(value, default):
        yield ["default"], f'the default "{default}" is not allowed by this list itself ({describe(value)})', \
            "add it to allowed (or make allowedRegex match it), or change the default"


# nodeIsolation field -> the tenant class list that must allow its value
NODE_ISOLATION_CLASSES = {"runtimeClassName": "runtimeClasses", "priorityClassName": "priorityClasses"}


def check_node_isolation_classes(value: Any) -> Iterator[tuple]:
    """``policies``: a class ``nodeIsolation`` sets on every pod must be one ``tenant.classes`` allows (the
    post-renderer would otherwise write a class and then refuse it)."""
    if not isinstance(value, dict):
        return
    node, tenant = value.get("nodeIsolation"), value.get("tenant")
    classes = tenant.get("classes") if isinstance(tenant, dict) else None
    if not isinstance(node, dict) or not isinstance(classes, dict):
        return
    for field, key in NODE_ISOLATION_CLASSES.items():
        name, spec = node.get(field), classes.get(key)
        if not isinstance(name, str) or not name or not isinstance(spec, dict) or regex_problem(
                spec.get("allowedRegex")):
            continue
        if not allows(spec, name):
            yield ["nodeIsolation", field], \
                f'"{name}" is not allowed by policies.tenant.classes.{key} ({describe(spec)})', \
                f"allow it in policies.tenant.classes.{key}, or set another {field}"
