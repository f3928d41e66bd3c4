"""Byte-level navigation of block YAML by indentation, at ``bytes.find`` speed.

In a block mapping whose children sit at indentation n, a line that starts with
exactly n spaces and ``key:`` *is* a direct child: block scalars, multi-line
scalars and flow collections of a child must be indented deeper than n.  So a
child can be found with one ``bytes.find`` of ``"\n" + n spaces + "key:"``
inside the parent's block, and the block ends at the first significant line
indented less than n.  Callers treat every surprise (tabs, sequences, duplicates)
as "not here" and fall back to the line reader or the parser.  Used by
``labelling.plan_by_indent`` and ``crd``, which need a few known keys of a large document.
"""
from __future__ import annotations

import re

from helm_vnp.stream.scalars import ASK_PARSER

_LESS: dict[int, "re.Pattern[bytes]"] = {}


def child_indent(raw: bytes, start: int) -> int | None:
    """Indentation of the first significant line at or after ``start``."""
    pos = start
    while pos < len(raw):
        nl = raw.find(b"\n", pos)
        end = len(raw) if nl < 0 else nl
        line = raw[pos:end]
        stripped = line.lstrip(b" ")
        if stripped.strip() and not stripped.startswith(b"#"):
            if stripped[:1] in (b"\t", b"-"):
                return None
            return len(line) - len(stripped)
        pos = end + 1
    return None


def block_end(raw: bytes, start: int, indent: int) -> int:
    """End of the block whose children sit at ``indent``: the next significant line indented less."""
    less = _LESS.get(indent)
    if less is None:
        less = _LESS[indent] = re.compile(rb"\n {0,%d}(?=[^ \r\n#])" % (indent - 1)) if indent > 0 \
            else re.compile(rb"\n(?=[^ \r\n#])")
    m = less.search(raw, max(start - 1, 0))
    return len(raw) if m is None else m.start() + 1


def children(raw: bytes, start: int, end: int, indent: int, keys: tuple[str, ...]):
    """{key: (value text, offset after the key line)} for direct children; ASK_PARSER on duplicates."""
    out = {}
    pad = b"\n" + b" " * indent
    for key in keys:
        needle = pad + key.encode() + b":"
        i = raw.find(needle, start - 1, end)
        if i < 0:
            continue
        if raw.find(needle, i + 1, end) >= 0:
            return ASK_PARSER
        at = i + len(needle)
        nl = raw.find(b"\n", at)
        nl = len(raw) if nl < 0 else nl
        rest = raw[at:nl]
        if rest[:1] not in (b"", b" ", b"\t", b"\r"):
            continue
        out[key] = (rest.decode("utf-8", "replace"), nl + 1)
    return out


def value_block(raw: bytes, rest: str, after: int):
    """(start, end, indent) of a key's nested block value, or None if the value is inline."""
    rest = rest.strip()
    if rest and not rest.startswith("#"):
        return None
    indent = child_indent(raw, after)
    if indent is None:
        return None
    return after, block_end(raw, after, indent), indent
