"""Plan the label edit by reading the document's lines, for shapes the indentation search declines.

``plan_by_indent`` needs every key of the path written out; this planner
reads the block mapping line by line (``stream.block_lines``), so it also
adds what is missing (the pod template's ``metadata:``, its ``labels:``) and
fills Helm's ``labels: {}``.  What it does not understand (flow style,
anchors, a different value for the label, ...) it leaves to
``plan_by_parser`` by answering ``ASK_PARSER``.
"""
from __future__ import annotations

from helm_vnp.stream import block_lines
from helm_vnp.stream.labelling.edit import Edit, quote
from helm_vnp.stream.scalars import ASK_PARSER, scalar


def plan(data: bytes, body_start: int, path: tuple[str, ...], key: str, value: str, create_from: int | None = None):
    """Edits that set ``key: value`` in the labels under ``path`` of block YAML, or ASK_PARSER.

    Returns [] when the label is already set, None when the document has no such
    pod template (e.g. ``spec.template`` missing).  Keys of ``path`` from index
    ``create_from`` on (default: only the last, the template's ``metadata``) are added when missing.
    """
    create_from = len(path) - 1 if create_from is None else create_from
    lines = block_lines.lines_of(data, body_start)
    if lines is ASK_PARSER:
        return ASK_PARSER
    newline = b"\r\n" if data.find(b"\r\n", body_start) >= 0 else b"\n"
    start, end, indent = 0, len(lines), 0
    entry_line = f"{key}: {quote(value)}"
    for depth, name in enumerate(path):
        found = block_lines.entries(lines, start, end, indent)
        if found is ASK_PARSER:
            return ASK_PARSER
        entry = found.get(name)
        if entry is None:
            if depth < create_from:
                return None  # no pod template here
            # template without metadata: add "metadata:\n  labels:\n    key: value" (or a longer tail)
            col = _column(lines, start, end, found)
            if col is None:
                return ASK_PARSER
            text = b""
            for i, missing in enumerate(path[depth:] + ("labels",)):
                text += (" " * (col + 2 * i) + missing + ":").encode() + newline
            text += (" " * (col + 2 * (len(path) - depth + 1)) + entry_line).encode("utf-8") + newline
            return [Edit(lines[_first_entry(found)].offset, 0, text)]
        kind = block_lines.block_value(lines, entry)
        if kind is ASK_PARSER or kind[0] != "block":
            return ASK_PARSER
        start, end, indent = kind[1], kind[2], entry.column + 1
    # at the pod template's metadata mapping
    meta = block_lines.entries(lines, start, end, indent)
    if meta is ASK_PARSER or not meta:
        return ASK_PARSER
    labels = meta.get("labels")
    if labels is None:
        col = meta[next(iter(meta))].column
        pad = " " * col
        text = (pad + "labels:").encode() + newline + (pad + "  " + entry_line).encode("utf-8") + newline
        return [Edit(lines[_first_entry(meta)].offset, 0, text)]
    kind = block_lines.block_value(lines, labels)
    if kind is ASK_PARSER:
        return ASK_PARSER
    if kind[0] == "inline":
        rest = kind[1].split(" #", 1)[0].strip()
        if rest == "{}":
            line = lines[kind[2]]
            raw = line.raw
            at = raw.find(b"{}", raw.find(b":") + 1 if kind[2] == labels.index else 0)
            return [Edit(line.offset + at, 2, ("{" + entry_line + "}").encode("utf-8"))]
        return ASK_PARSER
    found = block_lines.entries(lines, kind[1], kind[2], labels.column + 1)
    if found is ASK_PARSER or not found or not _plain_labels(lines, found):
        return ASK_PARSER
    if key in found:
        current = scalar(found[key].rest)
        if current == value:
            return []
        return ASK_PARSER  # a different value: the parser-based planner replaces it
    first = found[next(iter(found))]
    text = (" " * first.column + entry_line).encode("utf-8") + newline
    return [Edit(lines[first.index].offset, 0, text)]


def _plain_labels(lines, found: dict) -> bool:
    """Every label is a one-line scalar: the mapping we write into is sure to be valid YAML."""
    for e in found.values():
        if scalar(e.rest) is ASK_PARSER or any(lines[i].indent >= 0 for i in range(e.start, e.end)):
            return False
    return True


def _first_entry(found: dict) -> int:
    return min(e.index for e in found.values())


def _column(lines, start, end, found) -> int | None:
    if found:
        return found[next(iter(found))].column
    return None
