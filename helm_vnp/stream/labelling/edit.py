"""The label as a text edit: what every planner returns and how it is applied.

A planner (``plan_by_indent``, ``plan_by_lines``, ``plan_by_parser``) does not
rewrite the document; it returns ``Edit``s, byte ranges to replace, so every
other byte (comments, key order, quoting, indentation) stays as the chart
wrote it.  ``quote`` writes the label's key and value as YAML scalars.
"""
from __future__ import annotations


class Edit:
    """Replace ``delete`` bytes at byte ``offset`` of the document with ``insert``."""

    __slots__ = ("offset", "delete", "insert")

    def __init__(self, offset: int, delete: int, insert: bytes):
        self.offset, self.delete, self.insert = offset, delete, insert

    def __repr__(self) -> str:
        return f"Edit({self.offset}, {self.delete}, {self.insert!r})"


def quote(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def apply(data: bytes, edits: list[Edit]) -> bytes:
    if not edits:
        return data
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.offset):
        out.append(data[pos:e.offset])
        out.append(e.insert)
        pos = e.offset + e.delete
    out.append(data[pos:])
    return b"".join(out)
