"""Plan the label edit in the common case, at memory speed: every key on the path is written out.

Helm's block YAML nearly always has ``spec.template.metadata.labels`` written
out.  Found by indentation with ``bytes.find`` (``stream.indent_search``), the
label becomes one inserted line before the first existing label.  Every other
shape returns ASK_PARSER and goes to the line reader (``plan_by_lines``), which
handles missing keys, and from there to the parser (``plan_by_parser``).
"""
from __future__ import annotations

from helm_vnp.stream.indent_search import children, value_block
from helm_vnp.stream.labelling.edit import Edit, quote
from helm_vnp.stream.scalars import ASK_PARSER, scalar, split_key


def plan(doc, path: tuple[str, ...], key: str, value: str):
    raw = doc.raw
    at = doc.find_top_key(path[0].encode())
    if at is None or at is ASK_PARSER:
        return ASK_PARSER
    nl = raw.find(b"\n", at)
    if nl < 0:
        return ASK_PARSER
    block = value_block(raw, raw[at + len(path[0]) + 1:nl].decode("utf-8", "replace"), nl + 1)
    parent_indent = 0
    for name in path[1:] + ("labels",):
        # a value's block must be indented deeper than its key: `metadata:` followed only by a comment and
        # then a shallower line is an empty value, not the parent of that line (the label would land there)
        if block is None or block[2] <= parent_indent:
            return ASK_PARSER
        start, end, indent = block
        found = children(raw, start, end, indent, (name,))
        if found is ASK_PARSER or name not in found:
            return ASK_PARSER
        rest, after = found[name]
        if name == "labels":
            return _labels(raw, rest, after, indent, key, value)
        block, parent_indent = value_block(raw, rest, after), indent
    return ASK_PARSER


def _labels(raw: bytes, rest: str, after: int, parent_indent: int, key: str, value: str):
    entry = f"{key}: {quote(value)}"
    stripped = rest.split(" #", 1)[0].strip()
    if stripped == "{}":
        line_start = raw.rfind(b"\n", 0, after - 1) + 1
        brace = raw.find(b"{}", raw.find(b":", line_start) + 1, after)
        return [Edit(brace, 2, ("{" + entry + "}").encode("utf-8"))] if brace >= 0 else ASK_PARSER
    block = value_block(raw, rest, after)
    if block is None:
        return ASK_PARSER
    start, end, indent = block
    if indent <= parent_indent:
        return ASK_PARSER
    found = children(raw, start, end, indent, (key,))
    if found is ASK_PARSER:
        return ASK_PARSER
    if key in found:
        return [] if scalar(found[key][0]) == value else ASK_PARSER
    if key.encode() in raw[start:end]:
        return ASK_PARSER  # written some other way (quoted?): let the slower readers decide
    first = _first_significant(raw, start)
    if first is None or raw[first + indent:first + indent + 1] in (b"-", b"?", b"{", b"[", b"&", b"*", b"!",
                                                                   b"|", b">", b"%", b"@", b"`"):
        return ASK_PARSER
    if not _plain_entries(raw, start, end, indent):
        return ASK_PARSER  # a label the fast path cannot vouch for (broken quote, flow value, ...)
    newline = b"\r\n" if raw[first:raw.find(b"\n", first) + 1].endswith(b"\r\n") else b"\n"
    return [Edit(first, 0, (" " * indent + entry).encode("utf-8") + newline)]


def _plain_entries(raw: bytes, start: int, end: int, indent: int) -> bool:
    """Every line of the labels block is ``key: one-line scalar`` at ``indent`` (or blank/comment).

    The label goes into this mapping, so it must be valid YAML: anything else
    (an unclosed quote, a flow value, a continuation line) goes to the readers
    that parse, which report broken YAML with its line.
    """
    keys = set()
    for line in raw[start:end].splitlines():
        stripped = line.lstrip(b" ")
        if not stripped.strip() or stripped.startswith(b"#"):
            continue
        if len(line) - len(stripped) != indent or stripped[:1] == b"\t":
            return False
        try:
            kv = split_key(stripped.rstrip(b"\r").decode("utf-8"))
        except UnicodeDecodeError:
            return False
        if kv is None or kv[0] in keys or scalar(kv[1]) is ASK_PARSER:
            return False
        keys.add(kv[0])
    return True


def _first_significant(raw: bytes, pos: int) -> int | None:
    while pos < len(raw):
        nl = raw.find(b"\n", pos)
        end = len(raw) if nl < 0 else nl
        line = raw[pos:end].strip()
        if line and not line.startswith(b"#"):
            return pos
        pos = end + 1
    return None
