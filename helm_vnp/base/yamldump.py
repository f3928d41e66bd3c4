"""Write generated objects as block YAML: deterministic, dependency-free, fast.

Only plain data (dict, list, str, int, float, bool, None) is written.
Strings are left plain only when YAML 1.1 and 1.2 both read them back as
the same string; everything else is double-quoted, so no resolver can turn
a label value like ``on`` or ``1e3`` into a bool or a number.
"""
from __future__ import annotations

import re

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*\Z")
_SPECIAL = frozenset("""y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF
null Null NULL ~ .nan .NaN .NAN .inf .Inf .INF""".split())


def scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    s = str(value)
    if _PLAIN.match(s) and s not in _SPECIAL and not s.endswith(":"):
        return s
    return _double_quote(s)


def _double_quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or ch in "\u2028\u2029\ufeff":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(k) -> str:
    return scalar(str(k))


def _lines(value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict) and v:
                out.append(f"{pad}{_key(k)}:")
                _lines(v, indent + 2, out)
            elif isinstance(v, list) and v:
                out.append(f"{pad}{_key(k)}:")
                _lines(v, indent, out)
            else:
                out.append(f"{pad}{_key(k)}: {_inline(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _lines(item, indent + 2, sub)
                sub[0] = f"{pad}- " + sub[0][indent + 2:]
                out.extend(sub)
            elif isinstance(item, list) and item:
                sub = []
                _lines(item, indent + 2, sub)
                sub[0] = f"{pad}- " + sub[0][indent + 2:]
                out.extend(sub)
            else:
                out.append(f"{pad}- {_inline(item)}")
    else:
        out.append(pad + _inline(value))


def _inline(v) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return scalar(v)


def dump(obj) -> str:
    """One document's YAML (no ``---``), ending with a newline."""
    out: list[str] = []
    _lines(obj, 0, out)
    return "\n".join(out) + "\n"


def dump_all(objs, header: str = "") -> str:
    """Documents each preceded by ``---`` (and ``header`` comment lines)."""
    return "".join("---\n" + header + dump(o) for o in objs)
