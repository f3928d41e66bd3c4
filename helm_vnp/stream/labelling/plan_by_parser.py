"""Plan the label edit from a real parse, for documents the line readers decline.

Flow style (JSON documents), anchors, aliases, odd indentation: the parser's
node positions say exactly where to write.  The document must parse first,
so a broken document fails here with file and line instead of passing on.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.stream.document import Document
from helm_vnp.stream.labelling.edit import Edit, quote


def plan(doc: Document, path: tuple, key: str, value: str, create_from: int | None = None, leaf: str = "labels",
         hint: str = "use policies.selection: workloadSelectors for this chart"):
    """Edits that set the label in the labels of the mapping at ``path`` (str keys; int: a list index);
    keys from index ``create_from`` on (default: the last) are added when missing; None: no such place.  ``leaf``:
    the label map's key (``matchLabels`` for a selector, ``policies.networkPolicy.confineChartPolicies``)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from helm_vnp.base.yamlload import compose

    doc.obj  # full parse: duplicate keys, bad YAML, alias bombs are reported here
    # a BOM that opens the document is not counted in the parser's positions (one later in it is)
    bom = 3 if doc.raw.startswith(b"\xef\xbb\xbf") else 0
    text = doc.raw[bom:].decode("utf-8")
    root = compose(text, doc.source, doc.line)
    pos = Positions(text, bom)
    entry = f"{quote(key)}: {quote(value)}"

    def fail(why: str, node) -> VnpError:
        line = doc.line + node.start_mark.line if node is not None else doc.line
        return VnpError(Problem(f"{doc.kind} {doc.name}: cannot add the {key} label: {why}", file=doc.source,
                                line=line, hint=hint))

    create_from = len(path) - 1 if create_from is None else create_from
    node = root
    for depth, name in enumerate(path):
        if isinstance(name, int):
            if not isinstance(node, SequenceNode) or name >= len(node.value):
                return None
            child = node.value[name]
            if not (node.start_mark.index <= child.start_mark.index <= node.end_mark.index) \
                    or _anchored_item(text, child):
                raise fail(f"item {name} carries a YAML anchor or alias", child)
            node = child
            continue
        if not isinstance(node, MappingNode):
            return None
        _no_merge(node, fail, name)
        child = _get(node, name)
        rest = path[depth:]
        if child is None:
            if depth < create_from:
                return None  # no pod template
            return [_add_entry(node, pos, rest, _flow(rest[1:], entry, leaf), entry, fail, leaf)]
        if _anchored(text, child, pos):
            raise fail(f"'{name}' carries a YAML anchor or alias", child)
        node = child
        if isinstance(node, ScalarNode) and depth >= create_from and _null(node):
            flow = _flow(rest[1:], entry, leaf)
            return [_replace(node, pos, " " + flow if node.start_mark.index == node.end_mark.index else flow)]
    if not isinstance(node, MappingNode):
        raise fail("the pod template's metadata is not a mapping", node)
    _no_merge(node, fail, leaf)
    labels = _get(node, leaf)
    if labels is None:
        return [_add_entry(node, pos, (leaf,), "{" + entry + "}", entry, fail, leaf)]
    if isinstance(labels, ScalarNode):
        if _anchored(text, labels, pos):  # replacing it would drop the anchor its aliases need
            raise fail("the labels carry a YAML anchor or alias", labels)
        if _null(labels):
            empty = labels.start_mark.index == labels.end_mark.index
            return [_replace(labels, pos, (" {" if empty else "{") + entry + "}")]
        raise fail("the pod template's labels are not a mapping", labels)
    if not isinstance(labels, MappingNode):
        raise fail("the pod template's labels are not a mapping", labels)
    if _is_alias(text, labels, pos, node):
        # an alias: write the labels out in place (the anchor and its other uses stay as they are)
        items = ", ".join(f"{quote(str(k.value))}: {quote(str(v.value))}" for k, v in labels.value if k.value != key)
        return [_replace_alias(text, node, labels, pos, "{" + entry + (", " + items if items else "") + "}")]
    if _anchored(text, labels, pos):
        raise fail("the labels mapping carries a YAML anchor used elsewhere", labels)
    _no_merge(labels, fail, key)
    for k, v in labels.value:
        if isinstance(k, ScalarNode) and k.value == key:
            if isinstance(v, ScalarNode) and v.value == value:
                return []
            return [_replace(v, pos, quote(value))]
    return [_insert_first(labels, pos, entry, fail)]


class Positions:
    """Character index / line -> byte offset in the document."""

    def __init__(self, text: str, base: int = 0):
        self.text, self.base = text, base  # base: bytes before ``text`` in the document (a BOM)
        self.ascii = text.isascii()

    def byte(self, index: int) -> int:
        return self.base + (index if self.ascii else len(self.text[:index].encode("utf-8")))

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1


def _null(node) -> bool:
    """A plain null (nothing, ``~``, ``null``): the labeller may put a mapping there.  A quoted ``''`` is a
    string, which the API server refuses as labels; replacing it would make a refused object valid."""
    return not getattr(node, "style", None) and node.value in ("", "~", "null", "Null", "NULL")


def _get(mapping, name: str):
    for k, v in mapping.value:
        if getattr(k, "value", None) == name and k.tag.endswith(":str"):
            return v
    return None


def _no_merge(mapping, fail, name: str) -> None:
    """Refuse a ``<<`` merge key of ``mapping`` that brings ``name`` (the next key of the label's path,
    or the label itself): go-yaml v2 lets a merged key overwrite the one written before it, so where
    the label lands would not be where Kubernetes reads.  A merge of other keys (``<<: {apiVersion:
    ...}``) leaves the path alone; the labelled document is checked as decoded afterwards anyway."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode
    for k, v in mapping.value:
        if getattr(k, "tag", "").endswith(":merge") or getattr(k, "value", None) == "<<":
            merged = v.value if isinstance(v, SequenceNode) else [v]
            if not all(isinstance(m, MappingNode) for m in merged) or any(_get(m, name) is not None for m in merged):
                raise fail(f"a YAML merge key (<<) brings '{name}' on the pod template path", k)


def _before(text: str, node, pos: Positions) -> str:
    """Text between the preceding ':' and the node (where anchors/tags/aliases stand)."""
    start = node.start_mark.index
    colon = text.rfind(":", 0, start)
    return text[colon + 1:start]


def _anchored(text: str, node, pos) -> bool:
    return "&" in _before(text, node, pos) or text[node.start_mark.index:node.start_mark.index + 1] in ("&", "*")


def _is_alias(text: str, node, pos, parent) -> bool:
    # an alias node is the anchored node itself: its marks point at the anchor's definition,
    # which lies before the parent mapping's start (or outside the parent's span)
    return not (parent.start_mark.index <= node.start_mark.index <= parent.end_mark.index) \
        if parent.end_mark is not None else False


def _replace_alias(text: str, parent, labels, pos, new: str) -> Edit:
    # find the "labels:" key in the parent and the "*name" after it
    for k, v in parent.value:
        if v is labels:
            star = text.find("*", k.end_mark.index)
            end = star + 1
            while end < len(text) and not text[end].isspace() and text[end] not in ",}]":
                end += 1
            return Edit(pos.byte(star), pos.byte(end) - pos.byte(star), new.encode("utf-8"))
    raise AssertionError("labels not found in parent")


def _replace(node, pos: Positions, new: str) -> Edit:
    a, b = pos.byte(node.start_mark.index), pos.byte(node.end_mark.index)
    return Edit(a, b - a, new.encode("utf-8"))


def _insert_first(mapping, pos: Positions, entry: str, fail) -> Edit:
    if mapping.flow_style:
        brace = mapping.start_mark.index  # points at '{'
        sep = ", " if mapping.value else ""
        return Edit(pos.byte(brace + 1), 0, (entry + sep).encode("utf-8"))
    first_key = mapping.value[0][0]
    col = first_key.start_mark.column
    start = pos.line_start(first_key.start_mark.index)
    if first_key.start_mark.index - start != col or pos.text[start:first_key.start_mark.index].strip():
        raise fail("the mapping's first key does not start its line", first_key)
    newline = "\r\n" if pos.text.find("\r\n") >= 0 else "\n"
    return Edit(pos.byte(start), 0, (" " * col + entry + newline).encode("utf-8"))


def after_first_entry(mapping, pos: Positions, col: int) -> int | None:
    """Where a new key of a block mapping that starts a list item (``- name: x``) can start its
    line: before the second key, if that starts its line at ``col``; after a one-entry mapping's
    value, if nothing but blanks or a comment follow it on its line; else None."""
    text = pos.text
    if len(mapping.value) > 1:
        second = mapping.value[1][0]
        start = pos.line_start(second.start_mark.index)
        if second.start_mark.column == col and not text[start:second.start_mark.index].strip():
            return start
        return None
    end = mapping.value[0][1].end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    start = pos.line_start(end)
    if start < end and not text[start:end].strip() and mapping.value[0][1].start_mark.line < text.count("\n", 0, start):
        return start  # a nested block value ends where the next item's indentation does
    nl = text.find("\n", end)
    rest = text[end:len(text) if nl < 0 else nl].strip()
    if nl < 0 or (rest and not rest.startswith("#")):
        return None
    return nl + 1


def _flow(keys: tuple, entry: str, leaf: str = "labels") -> str:
    """``{"metadata": {"labels": {entry}}}`` for keys ("metadata",): the missing keys, then the labels."""
    text = "{" + entry + "}"
    for name in reversed(keys + (leaf,)):
        text = "{" + f"{quote(name)}: {text}" + "}"
    return text


def _anchored_item(text: str, node) -> bool:
    """A list item with an anchor (``- &a``) or that is an alias (``- *a``)."""
    start = node.start_mark.index
    dash = max(text.rfind("-", 0, start), text.rfind("[", 0, start), text.rfind(",", 0, start))
    return "&" in text[dash + 1:start] or text[start:start + 1] in ("&", "*")


def _add_entry(mapping, pos, names: tuple, flow_value: str, entry: str, fail, leaf: str = "labels") -> Edit:
    """Add ``names[0]`` to ``mapping``, holding the other ``names`` nested, then ``labels`` with ``entry``."""
    name = names[0]
    if mapping.flow_style or not mapping.value:
        if not mapping.value and not mapping.flow_style:
            raise fail("empty mapping on the pod template path", mapping)
        sep = ", " if mapping.value else ""
        return Edit(pos.byte(mapping.start_mark.index + 1), 0, f"{quote(name)}: {flow_value}{sep}".encode("utf-8"))
    first_key = mapping.value[0][0]
    col = first_key.start_mark.column
    start = pos.line_start(first_key.start_mark.index)
    prefix = pos.text[start:first_key.start_mark.index]
    if prefix.strip():
        # "- key: value": a list item; add the key after its first entry
        start = after_first_entry(mapping, pos, col) if prefix.strip(" -") == "" else None
        if start is None:
            raise fail("the mapping's first key does not start its line", first_key)
    newline = "\r\n" if pos.text.find("\r\n") >= 0 else "\n"
    keys = names if names[-1] == leaf else names + (leaf,)
    text = "".join(f"{' ' * (col + 2 * i)}{k}:{newline}" for i, k in enumerate(keys))
    text += f"{' ' * (col + 2 * len(keys))}{entry}{newline}"
    return Edit(pos.byte(start), 0, text.encode("utf-8"))
