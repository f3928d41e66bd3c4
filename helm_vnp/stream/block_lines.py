"""A line-level reader of block-style YAML mappings: enough to find a path.

Used where a document's lines must be read as entries: ``Document``'s
metadata and ``labelling.plan_by_lines``.

Helm renders block YAML.  To add one label we only need to know where
``spec.template.metadata.labels`` starts, so instead of parsing a document
we read its lines by indentation.  Whenever the text is not the plain block
style this reader understands (tabs, flow collections on the path, anchors,
tags, duplicate keys, complex keys) it answers ``ASK_PARSER`` and the caller
uses a real YAML parser instead.  Correctness of the fast path is checked
against the parser by the property tests.
"""
from __future__ import annotations

from helm_vnp.stream.scalars import ASK_PARSER, split_key


class Line:
    """A line: byte ``offset`` in the document, ``raw`` bytes with the line break,
    ``indent`` (leading spaces; -1 for blank or comment-only lines), ``text`` (decoded, de-indented)."""

    __slots__ = ("offset", "raw", "indent", "text")

    def __init__(self, offset: int, raw: bytes, indent: int, text: str):
        self.offset, self.raw, self.indent, self.text = offset, raw, indent, text


class Entry:
    """A mapping entry: ``key``, its line ``index`` and ``column``, the ``rest`` of the key
    line after the colon, and its value lines ``[start, end)``."""

    __slots__ = ("key", "index", "column", "rest", "start", "end")

    def __init__(self, key: str, index: int, column: int, rest: str, start: int, end: int):
        self.key, self.index, self.column, self.rest, self.start, self.end = key, index, column, rest, start, end


def lines_of(data: bytes, start: int = 0):
    """Cut ``data`` into ``Line``s from byte offset ``start``; ASK_PARSER if undecodable or tabbed."""
    out = []
    pos = start
    n = len(data)
    while pos < n:
        nl = data.find(b"\n", pos)
        end = n if nl < 0 else nl + 1
        raw = data[pos:end]
        body = raw.rstrip(b"\r\n")
        stripped = body.lstrip(b" ")
        indent = len(body) - len(stripped)
        if stripped[:1] == b"\t":
            if stripped.strip(b" \t") and not stripped.lstrip(b" \t").startswith(b"#"):
                return ASK_PARSER
        try:
            text = stripped.decode("utf-8")
        except UnicodeDecodeError:
            return ASK_PARSER
        if not text.strip() or text.lstrip().startswith("#"):
            indent = -1
        out.append(Line(pos, raw, indent, text))
        pos = end
    return out


def entries(lines: list[Line], start: int, end: int, min_indent: int):
    """The entries of the block mapping in lines[start:end]: dict key -> Entry, or ASK_PARSER.

    ``min_indent`` is the smallest indentation the mapping may have (its
    parent's indentation + 1; 0 at the top level).
    """
    first = next((i for i in range(start, end) if lines[i].indent >= 0), None)
    if first is None:
        return {}
    col = lines[first].indent
    if col < min_indent:
        return ASK_PARSER
    found: dict[str, Entry] = {}
    current = None  # (key, index, rest)
    i = first
    while i < end:
        ln = lines[i]
        if ln.indent < 0 or ln.indent > col:
            i += 1
            continue
        if ln.indent < col:
            return ASK_PARSER
        if ln.text.startswith("- ") or ln.text == "-":
            if current is not None and not current[2].strip():
                i += 1  # compact sequence under the previous key
                continue
            return ASK_PARSER
        kv = split_key(ln.text)
        if kv is None:
            return ASK_PARSER
        if current is not None:
            _close(found, current, col, i)
            if found is ASK_PARSER:
                return ASK_PARSER
        key, rest = kv
        if key == "<<":
            return ASK_PARSER  # a merge key: the mapping's content is not just its lines
        if key in found or (current is not None and current[0] == key):
            return ASK_PARSER  # duplicate key: let the parser report it
        current = (key, i, rest)
        i += 1
    if current is not None:
        _close(found, current, col, end)
    return found


def _close(found: dict, current, col: int, end: int) -> None:
    key, index, rest = current
    found[key] = Entry(key, index, col, rest, index + 1, end)


def block_value(lines: list[Line], entry: Entry):
    """Classify an entry's value.

    ("block", start, end) for a nested block mapping or sequence;
    ("inline", text, index) for a value written on one line (on the key's
    line, or alone on the next line like Helm's ``annotations:\n    {}``),
    with ``index`` the line holding it; "" text for an empty (null) value.
    """
    rest = entry.rest.strip()
    if rest and not rest.startswith("#"):
        return ("inline", rest, entry.index)
    significant = [i for i in range(entry.start, entry.end) if lines[i].indent >= 0]
    if not significant:
        return ("inline", "", entry.index)
    first = lines[significant[0]].text.strip()
    if first[:1] in ("{", "["):
        if len(significant) == 1:
            return ("inline", first, significant[0])
        return ASK_PARSER
    return ("block", entry.start, entry.end)
