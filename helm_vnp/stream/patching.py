"""Make a document decode to a given object, by the smallest text edits: the post-render mutations.

The caller (``release.mutations``) decides on the document as Kubernetes decodes it: ``want`` is
that object with the fields vnp adds (a ``securityContext`` key the chart left unset, a
``nodeSelector`` entry, a toleration put first, ``automountServiceAccountToken``) and, with
``override``, scalars it replaces.  ``patch`` turns the difference into byte edits at the parser's
positions (every other byte, comments, order and quoting, stays as the chart wrote it):

- a key missing from a mapping: a line (block YAML, indented as the mapping's keys) or an entry
  (flow style, JSON) written before its first key; a null (``securityContext:``, ``~``) becomes a
  flow mapping;
- items missing from the front of a list: written before its first item;
- a scalar that changes: replaced (never a block scalar).

Then the result is decoded again and must equal ``want`` exactly (as JSON, which is what the API
server receives): an anchor shared with another place, a merge key, a duplicate key or anything
else that makes the edit land elsewhere or reach further fails closed, naming the document, so
vnp never claims a change it did not make.  No difference: no edit (post-rendering vnp's output
again changes nothing).
"""
from __future__ import annotations

import json
import re

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.stream.document import Document
from helm_vnp.stream.labelling.edit import Edit, apply

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*\Z")
# plain words go-yaml v2 (YAML 1.1) reads as something other than a string
_SPECIAL = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


class _Add:
    __slots__ = ("path", "entries")

    def __init__(self, path: tuple, entries: dict):
        self.path, self.entries = path, entries


class _Prepend:
    __slots__ = ("path", "items")

    def __init__(self, path: tuple, items: list):
        self.path, self.items = path, items


class _Replace:
    __slots__ = ("path", "value")

    def __init__(self, path: tuple, value):
        self.path, self.value = path, value


def as_json(value):
    """``value`` as the API server gets it (an alias is two copies there); ``_FAILED`` when it cannot be."""
    try:
        return json.loads(json.dumps(value, sort_keys=True))
    except (RecursionError, ValueError, TypeError):
        return _FAILED


_FAILED = object()


def kubernetes_object(doc: Document):
    """The document as Kubernetes decodes it, after the strict parse (duplicate keys, bad YAML and
    alias bombs are refused there, located)."""
    doc.obj
    return doc.kubernetes_view(aliases=False)[0]


def patch(doc: Document, before, want, what: str) -> Document:
    """``doc`` edited so that it decodes to ``want`` (``before``: how it decodes now); ``doc`` itself
    when they are equal.  ``what`` names the change in messages ("hardening", ...).  Raises VnpError
    (located at the object) when the edit cannot be planned or does not decode to ``want``."""
    ops: list = []
    _diff(before, want, (), ops, what, doc)
    if not ops:
        return doc
    edits = _plan(doc, ops, what)
    out = doc.relabelled(apply(doc.raw, edits))
    try:
        after = kubernetes_object(out)
    except VnpError:
        raise _refused(doc, what, "the edit would break the document's YAML") from None
    got, expected = as_json(after), as_json(want)
    if got is _FAILED or got != expected:
        raise _refused(doc, what, "as Kubernetes decodes the edited document, it differs from the intended "
                                  "change (a YAML anchor, alias or merge key shared with another place?)")
    return out


def _refused(doc: Document, what: str, why: str, line: int | None = None) -> VnpError:
    head = " ".join(x for x in (doc.kind, doc.name) if x) or "document"
    return VnpError(Problem(f"{head}: cannot apply {what}: {why}; vnp refuses to claim a change it cannot make",
                            file=doc.source, line=line or doc.object_line,
                            hint=f"write the pod spec in plain YAML (no anchors, aliases or merge keys where "
                                 f"{what} writes), or set the fields in the chart"))


def _diff(before, want, path: tuple, ops: list, what: str, doc: Document) -> None:
    if isinstance(want, dict) and isinstance(before, dict):
        added = {k: v for k, v in want.items() if k not in before}
        if set(before) - set(want):
            raise AssertionError(f"{what} removes keys at {path}")
        if added:
            ops.append(_Add(path, added))
        for k in want:
            if k in before:
                _diff(before[k], want[k], path + (k,), ops, what, doc)
        return
    if isinstance(want, dict) and before is None and want:
        ops.append(_Add(path, want))  # a null mapping (``securityContext:``)
        return
    if isinstance(want, list) and isinstance(before, list):
        extra = len(want) - len(before)
        if extra > 0 and want[extra:] == before:
            ops.append(_Prepend(path, want[:extra]))
            return
        if extra == 0:
            for i, (b, w) in enumerate(zip(before, want)):
                _diff(b, w, path + (i,), ops, what, doc)
            return
        raise AssertionError(f"{what} rewrites the list at {path}")
    if isinstance(want, list) and before is None and want:
        ops.append(_Prepend(path, want))
        return
    if want != before or type(want) is not type(before):
        if isinstance(want, (dict, list)) or isinstance(before, (dict, list)):
            raise AssertionError(f"{what} replaces a collection at {path}")
        ops.append(_Replace(path, want))


# -- text -------------------------------------------------------------------------------------------------

def _plan(doc: Document, ops: list, what: str) -> list[Edit]:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from helm_vnp.base.yamlload import compose
    from helm_vnp.stream.labelling.plan_by_parser import Positions, after_first_entry

    bom = 3 if doc.raw.startswith(b"\xef\xbb\xbf") else 0
    text = doc.raw[bom:].decode("utf-8")
    root = compose(text, doc.source, doc.line)
    pos = Positions(text, bom)
    newline = "\r\n" if "\r\n" in text else "\n"

    def fail(why: str, node) -> VnpError:
        return _refused(doc, what, why, doc.line + node.start_mark.line if node is not None else None)

    def shown(path: tuple) -> str:
        from helm_vnp.k8s.pod_creators import show_path
        return show_path(path) or "the object"

    def node_at(path: tuple):
        node = root
        for depth, seg in enumerate(path):
            if _decorated(text, node):
                raise fail(f"{shown(path[:depth])} carries a YAML anchor, alias or tag", node)
            if isinstance(seg, int):
                if not isinstance(node, SequenceNode) or seg >= len(node.value):
                    raise fail(f"{shown(path[:depth + 1])} is not where the decoded object has it", node)
                node = node.value[seg]
                continue
            if not isinstance(node, MappingNode):
                raise fail(f"{shown(path[:depth])} is not a plain mapping", node)
            if any(getattr(k, "value", None) == "<<" or str(getattr(k, "tag", "")).endswith(":merge")
                   for k, _ in node.value):
                raise fail(f"{shown(path[:depth])} has a YAML merge key (<<)", node)
            hits = [v for k, v in node.value if isinstance(k, ScalarNode) and k.value == seg]
            if len(hits) != 1:
                raise fail(f"{shown(path[:depth + 1])} is not written once as a plain key", node)
            node = hits[0]
        if _decorated(text, node):
            raise fail(f"{shown(path)} carries a YAML anchor, alias or tag", node)
        return node

    def line_start_at(node, col: int) -> int | None:
        """Where a new entry can start its line before ``node`` (a mapping's first key, a list's first item)."""
        start = pos.line_start(node.start_mark.index)
        prefix = text[start:node.start_mark.index]
        return start if prefix == " " * col else None

    edits: list[Edit] = []
    for op in ops:
        node = node_at(op.path)
        if isinstance(op, _Replace):
            if not isinstance(node, ScalarNode) or getattr(node, "style", None) in ("|", ">"):
                raise fail(f"{shown(op.path)} is not a one-line scalar", node)
            a, b = pos.byte(node.start_mark.index), pos.byte(node.end_mark.index)
            edits.append(Edit(a, b - a, (" " if a == b else "").encode() + _flow(op.value).encode("utf-8")))
            continue
        value = op.entries if isinstance(op, _Add) else op.items
        if isinstance(node, ScalarNode):
            if getattr(node, "style", None) or node.value not in ("", "~", "null", "Null", "NULL"):
                raise fail(f"{shown(op.path)} is not a mapping or list", node)
            a, b = pos.byte(node.start_mark.index), pos.byte(node.end_mark.index)
            flow = _flow(value)
            edits.append(Edit(a, b - a, (" " + flow if a == b else flow).encode("utf-8")))
            continue
        if isinstance(op, _Add):
            if not isinstance(node, MappingNode):
                raise fail(f"{shown(op.path)} is not a mapping", node)
            if node.flow_style or not node.value:
                if not node.flow_style:
                    raise fail(f"{shown(op.path)} is an empty block mapping", node)
                sep = ", " if node.value else ""
                entries = ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items())
                edits.append(Edit(pos.byte(node.start_mark.index + 1), 0, (entries + sep).encode("utf-8")))
                continue
            first = node.value[0][0]
            col = first.start_mark.column
            start = line_start_at(first, col)
            if start is None and text[pos.line_start(first.start_mark.index):first.start_mark.index].strip(" -") == "":
                start = after_first_entry(node, pos, col)  # "- name: x": after the item's first entry
            if start is None:
                raise fail(f"the first key of {shown(op.path)} does not start its line", first)
            block = "".join(line + newline for line in _block_entries(value, col))
            edits.append(Edit(pos.byte(start), 0, block.encode("utf-8")))
            continue
        if not isinstance(node, SequenceNode):
            raise fail(f"{shown(op.path)} is not a list", node)
        if node.flow_style or not node.value:
            if not node.flow_style:
                raise fail(f"{shown(op.path)} is an empty block list", node)
            sep = ", " if node.value else ""
            edits.append(Edit(pos.byte(node.start_mark.index + 1), 0,
                              (", ".join(_flow(v) for v in value) + sep).encode("utf-8")))
            continue
        item = node.value[0]
        dash = text.rfind("-", 0, item.start_mark.index)
        line = pos.line_start(item.start_mark.index)
        if dash < line or text[line:dash].strip(" ") or text[dash + 1:item.start_mark.index].strip(" "):
            raise fail(f"the first item of {shown(op.path)} does not start its line with '- '", item)
        col = dash - line
        block = "".join(out + newline for v in value for out in _block_item(v, col))
        edits.append(Edit(pos.byte(line), 0, block.encode("utf-8")))
    edits.sort(key=lambda e: e.offset)
    for a, b in zip(edits, edits[1:]):
        if a.offset + a.delete > b.offset or (a.offset == b.offset and (a.delete or b.delete)):
            raise _refused(doc, what, "two of its changes share text (a YAML alias?)")
    return edits


def _decorated(text: str, node) -> bool:
    """A node with an anchor or a tag written before it, or an alias: text other places share or read
    differently.  (A tag like ``!!str`` on a scalar vnp replaces would change its meaning.)"""
    start = node.start_mark.index  # the composer's marks start at the node's anchor or tag; an alias is
    return text[start:start + 1] in ("&", "*", "!") or bool(getattr(node, "anchor", None))  # its anchor's node


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    return text if _PLAIN.match(text) and text.lower() not in _SPECIAL else json.dumps(text)


def _flow(value) -> str:
    """``value`` as one line of flow YAML (JSON syntax, plain where that reads the same)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _block_entries(mapping: dict, col: int) -> list[str]:
    """Lines of block YAML for the entries of ``mapping`` at column ``col``."""
    out = []
    for k, v in mapping.items():
        if isinstance(v, dict) and v:
            out.append(" " * col + _scalar(k) + ":")
            out += _block_entries(v, col + 2)
        elif isinstance(v, list) and v:
            out.append(" " * col + _scalar(k) + ":")
            for item in v:
                out += _block_item(item, col + 2)
        else:
            out.append(" " * col + f"{_scalar(k)}: {_flow(v)}")
    return out


def _block_item(value, col: int) -> list[str]:
    """Lines of block YAML for one list item whose dash is at column ``col``."""
    if isinstance(value, dict) and value:
        lines = _block_entries(value, col + 2)
        return [" " * col + "- " + lines[0][col + 2:]] + lines[1:]
    return [" " * col + "- " + _flow(value)]
