"""One values file -> the parts vnp reads: ``policies`` and ``isolation`` in full (with a line for every
key and item), and the line of every other top-level key (to warn about a misspelt ``policies``).

Helm reads values files with sigs.k8s.io/yaml over go-yaml v2, and so does this reader: plain scalars
are resolved by ``helm_vnp.base.goyaml`` (``0o17`` and ``017`` are 15, ``09`` is 9, ``1:20`` and
``1e400`` are strings, ``on``/``yes``/``y`` are true), keys become the strings sigs.k8s.io/yaml makes of
them, merge keys (``<<``) merge as go-yaml v2 merges them, and ``.inf``/``.nan`` are refused (Helm
cannot turn them into JSON and refuses the file).

Speed: a chart's values file may be tens of megabytes (dashboards, CRD-sized blobs) and vnp needs a few
lines of it.  ``locate`` runs libyaml's event parser over the file (no objects built) to find the
top-level keys; when the file is one block mapping with no merge key at its top and vnp's keys hold no
alias, only their lines are composed.  Anything else -- several documents, a flow mapping at the top, a
syntax error anywhere -- is composed whole (the slow way, same result).
"""
from __future__ import annotations

import math
import re
from typing import Any

from helm_vnp.base import goyaml
from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.config.paths import join

OUR_TOP_KEYS = ("policies", "isolation", "mapServices")
# what YAML (and libyaml's marks) count as a line break; a capture group, so that split keeps them
_LINE_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")


class Parsed:
    """What vnp reads of one values file: ``data`` (vnp's keys only), ``origins`` (dotted path ->
    line) and ``top`` (every top-level key -> its line), per document in order."""

    __slots__ = ("docs",)

    def __init__(self):
        self.docs: list[tuple[dict, dict, dict]] = []  # (data, origins, top)


def _yaml():
    from helm_vnp.base.yamlload import loader

    return loader()


def locate(text: str):
    """{our key: (first line, end line)} (0-based, end exclusive) and [(top-level key, line)] of a file
    that is one block mapping whose top holds no merge key and whose vnp keys hold no alias; None
    when the file is anything else (the caller composes it whole)."""
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    from helm_vnp.base.yamlload import MAX_EXPANDED_NODES

    depth = 0
    docs = 0
    expect_key = True
    ours: dict = {}
    top: list = []
    current = None  # our key whose value is being read
    flow = False  # the top is a flow mapping ({...}, JSON): our values are cut by character, not by line
    # each open node's [expanded size, anchor]; the size of each anchored node, once closed: an alias
    # to an unknown or still open anchor, or an expansion past the limit, is left to the whole parse
    open_nodes: list = [[0, None]]
    sizes: dict = {}
    anchors: set = set()
    aliased = False
    try:
        for ev in _yaml().parse(text):
            cls = type(ev)
            if cls is ScalarEvent or cls is AliasEvent:
                if cls is AliasEvent:
                    if current is not None or ev.anchor not in sizes:
                        return None
                    aliased = True
                    open_nodes[-1][0] += sizes[ev.anchor]
                else:
                    open_nodes[-1][0] += 1
                    if ev.anchor is not None:
                        if ev.anchor in anchors:
                            return None  # the composer refuses a duplicate anchor: the whole parse says where
                        anchors.add(ev.anchor)
                        sizes[ev.anchor] = 1
                if depth == 1:
                    if expect_key:
                        if cls is AliasEvent:
                            return None
                        key = _key_of(ev)
                        if key is None or key == "<<" or (key in OUR_TOP_KEYS and key in ours):
                            return None
                        top.append((key, ev.start_mark.line))
                        if key in OUR_TOP_KEYS:
                            ours[key] = [ev.start_mark.line, None, None]  # key line, value start, value end
                            current = key
                        expect_key = False
                    else:
                        if current is not None:
                            ours[current][1:] = [ev.start_mark.index, ev.end_mark.index]
                        expect_key = True
                        current = None
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if depth == 0:
                    if cls is not MappingStartEvent:
                        return None
                    flow = bool(ev.flow_style)
                elif depth == 1 and expect_key:
                    return None  # a collection as a key
                elif depth == 1 and current is not None:
                    ours[current][1] = ev.start_mark.index
                if ev.anchor is not None:
                    if ev.anchor in anchors:
                        return None
                    anchors.add(ev.anchor)  # not in sizes while open: an alias to it now would be recursive
                open_nodes.append([1, ev.anchor])
                depth += 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                size, anchor = open_nodes.pop()
                if size > MAX_EXPANDED_NODES and aliased:  # an alias bomb? the whole parse decides
                    return None
                if anchor is not None:
                    sizes[anchor] = size
                open_nodes[-1][0] += size
                depth -= 1
                if depth == 1:
                    if current is not None:
                        ours[current][2] = ev.end_mark.index
                    expect_key = True
                    current = None
            elif cls is DocumentStartEvent:
                docs += 1
                if docs > 1 or ev.explicit and getattr(ev, "version", None):
                    return None
            elif cls is DocumentEndEvent or cls is StreamEndEvent:
                pass
    except Exception:  # a syntax error anywhere: the whole parse reports it, located
        return None
    if flow:  # each of our values is cut from its first character to its last
        return {k: ("flow", line, start, end) for k, (line, start, end) in ours.items()}, top
    # in a block mapping each of our keys' lines run to the next top-level key's line (or the end)
    lines = [line for _, line in top]
    spans = {}
    for key, (line, _, _) in ours.items():
        later = [n for n in lines if n > line]
        spans[key] = ("block", line, later[0] if later else None)
    return spans, top


def _key_of(ev) -> str | None:
    """A top-level key as sigs.k8s.io/yaml names it (None: a tagged key, left to the whole parse)."""
    if ev.tag is not None:
        return None
    if ev.style:  # quoted or block: a string as written
        return ev.value
    tag, value = goyaml.resolve(ev.value)
    if tag == goyaml.MERGE:
        return "<<"
    return goyaml.json_key(value) if tag != goyaml.NULL else "null"


def parse(name: str, text: str) -> Parsed:
    """``text`` (a values file named ``name``) -> Parsed; raises VnpError with located problems."""
    found = locate(text) if any(k in text for k in OUR_TOP_KEYS) else None
    parsed = Parsed()
    if found is not None:
        ours, top = found
        lines = None
        data: dict = {}
        origins: dict = {}
        for key, span in ours.items():
            if span[0] == "flow":
                _, line, start, end = span
                offset = len(_LINE_BREAK.findall(text, 0, start))
                nodes = [n for n in _compose_all(text[start:end], name, offset) if n is not None]
                if len(nodes) != 1:
                    return _whole(name, text)
                _refuse_duplicates([_one_pair(key, line - offset, nodes[0])], name, offset)
                origins[key] = (name, line + 1)
                data[key] = _value(nodes[0], name, offset, [key], origins)
                continue
            _, start, end = span
            if lines is None:  # split where YAML breaks lines (not at \f or \v, as str.splitlines does)
                lines = _LINE_BREAK.split(text)
                lines = [a + b for a, b in zip(lines[::2], lines[1::2] + [""])]
            block = "".join(lines[start:end])
            nodes = [n for n in _compose_all(block, name, start) if n is not None]
            if len(nodes) != 1 or not _is_mapping(nodes[0]) or len(nodes[0].value) != 1:
                return _whole(name, text)  # not what the event parse said: the slow way
            _refuse_duplicates(nodes, name, start)
            _walk_top(nodes[0], name, start, data, origins, {})
        parsed.docs.append((data, origins, {k: line + 1 for k, line in top}))
        return parsed
    return _whole(name, text)


def _one_pair(key: str, line: int, value):
    """A mapping node {key: value} (the key at ``line``, 0-based), for the duplicate check."""
    from types import SimpleNamespace

    from ruamel.yaml.nodes import MappingNode, ScalarNode

    knode = ScalarNode(goyaml.STR, key, start_mark=SimpleNamespace(line=line))
    return MappingNode("tag:yaml.org,2002:map", [(knode, value)])


def _refuse_duplicates(nodes: list, name: str, offset: int) -> None:
    problems = our_duplicates(nodes, name, offset)
    if problems:
        raise VnpError(problems)


def _whole(name: str, text: str) -> Parsed:
    parsed = Parsed()
    nodes = _compose_all(text, name, 0)
    _refuse_duplicates([n for n in nodes if n is not None], name, 0)
    for node in nodes:
        if node is None or _is_null(node):  # an empty document (a trailing `---`): nothing, as in Helm
            continue
        if not _is_mapping(node):
            raise VnpError(Problem(f"a values file must be a mapping of keys to values, not {_kind(node)}",
                                   file=name, line=node.start_mark.line + 1, expected="a YAML mapping"))
        data: dict = {}
        origins: dict = {}
        top: dict = {}
        _walk_top(node, name, 0, data, origins, top)
        parsed.docs.append((data, origins, top))
    return parsed


def _compose_all(text: str, name: str, offset: int) -> list:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from helm_vnp.base.yamlload import check_expansion, forget, quietly

    try:
        try:
            nodes = quietly(lambda: list(_yaml().compose_all(text)))
        except YAMLError:
            # libyaml refuses some YAML go-yaml v2 reads (a ':' inside a plain scalar in a flow
            # collection: `except: [10.0.0.0/8, 2001:db8::/32]`); the pure-Python parser reads it, and
            # its message is the one given when neither can
            forget()
            nodes = quietly(lambda: list(_pure().compose_all(text)))
    except MarkedYAMLError as exc:
        forget()
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark is not None else None
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise VnpError(Problem(f"invalid YAML: {what}", file=name, line=line)) from None
    except YAMLError as exc:
        forget()
        raise VnpError(Problem(f"invalid YAML: {exc}", file=name)) from None
    except RecursionError:
        forget()
        raise VnpError(Problem("the values file nests too deeply", file=name)) from None
    for node in nodes:
        if node is not None:
            check_expansion(node, name, node.start_mark.line + 1 + offset, only_aliased=True)
    return nodes


def _pure():
    """A pure-Python parser with the same resolution rules as ``_yaml``."""
    from ruamel.yaml import YAML

    fast = _yaml()
    y = YAML(typ="safe", pure=True)
    y.Resolver = fast.Resolver
    y.Constructor = fast.Constructor
    return y


def _is_null(node) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode) and not node.style and goyaml.resolve(node.value)[0] == goyaml.NULL


def _is_mapping(node) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode)


def _kind(node) -> str:
    from ruamel.yaml.nodes import SequenceNode

    if isinstance(node, SequenceNode):
        return "a list"
    value = _scalar(node, "", 0, [])
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else "null"


def _walk_top(root, name: str, offset: int, data: dict, origins: dict, top: dict) -> None:
    """The top-level mapping: every key's line into ``top``, vnp's keys' values into ``data``."""
    pairs = _pairs(root, name, offset)
    for key, knode, vnode in pairs:
        top[key] = knode.start_mark.line + 1 + offset
        if key in OUR_TOP_KEYS:
            origins[key] = (name, knode.start_mark.line + 1 + offset)
            data[key] = _value(vnode, name, offset, [key], origins)


def _pairs(node, name: str, offset: int) -> list:
    """(key, key node, value node) of a mapping in the order go-yaml v2 applies them: a merge key
    (``<<``) brings in the pairs of the mapping(s) it names at its place (of several, the first wins)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    out = []
    for knode, vnode in node.value:
        if isinstance(knode, ScalarNode) and not knode.style and str(knode.tag) == goyaml.MERGE:
            sources = vnode.value if isinstance(vnode, SequenceNode) else [vnode]
            for src in reversed(sources):
                if not isinstance(src, MappingNode):
                    raise VnpError(Problem("a merge key (<<) must name a mapping or a list of mappings", file=name,
                                           line=knode.start_mark.line + 1 + offset))
                out += _pairs(src, name, offset)
            continue
        if not isinstance(knode, ScalarNode):
            raise VnpError(Problem("invalid values file: a mapping key must be a plain scalar, not a mapping or list",
                                   file=name, line=knode.start_mark.line + 1 + offset,
                                   expected="string keys, as Helm values have"))
        key = _scalar(knode, name, offset, [])
        out.append((goyaml.json_key(key) if key is not None else "null", knode, vnode))
    return out


def _value(node, name: str, offset: int, path: list, origins: dict) -> Any:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        out = {}
        for key, knode, vnode in _pairs(node, name, offset):
            origins[join(path + [key])] = (name, knode.start_mark.line + 1 + offset)
            out[key] = _value(vnode, name, offset, path + [key], origins)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            origins[join(path + [i])] = (name, item.start_mark.line + 1 + offset)
            items.append(_value(item, name, offset, path + [i], origins))
        return items
    return _scalar(node, name, offset, path)


def _scalar(node, name: str, offset: int, path: list) -> Any:
    """A scalar as go-yaml v2 decodes it: plain ones resolved, quoted and block ones strings, and an
    explicit standard tag honoured where the text fits it (else the text)."""
    text = node.value
    tag = str(node.tag)
    if node.style:  # quoted or block
        resolved = (goyaml.STR, text) if tag == goyaml.STR else goyaml.resolve(text)
    else:
        resolved = goyaml.resolve(text)
        if tag != resolved[0] and tag not in (goyaml.MERGE,):  # an explicit tag
            resolved = (goyaml.STR, text) if tag == goyaml.STR else resolved
    kind, value = resolved
    if kind == goyaml.MERGE:
        return "<<"
    if kind == goyaml.FLOAT and (math.isinf(value) or math.isnan(value)):
        raise VnpError(Problem(f"{text} is not a finite number: Helm cannot read it (JSON has no infinity or NaN) "
                               "and refuses the file", path=join(path), file=name,
                               line=node.start_mark.line + 1 + offset,
                               expected="a finite number, or a quoted string"))
    return value


def our_duplicates(nodes: list, name: str, offset: int = 0) -> list[Problem]:
    """A key repeated inside ``policies``/``isolation``: Helm would keep the last one silently,
    and an isolation setting must not depend on which of two lines wins."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    problems = []
    for root in nodes:
        if not isinstance(root, MappingNode):
            continue
        stack = [(v, k.value) for k, v in root.value if isinstance(k, ScalarNode) and k.value in OUR_TOP_KEYS]
        first: dict = {}
        for k, _v in root.value:
            if isinstance(k, ScalarNode) and k.value in OUR_TOP_KEYS:
                if k.value in first:
                    problems.append(Problem(f'duplicate key "{k.value}" (first at line {first[k.value]}): say it once',
                                            path=k.value, file=name, line=k.start_mark.line + 1 + offset))
                first.setdefault(k.value, k.start_mark.line + 1 + offset)
        seen_nodes = set()
        while stack:
            node, path = stack.pop()
            if id(node) in seen_nodes:
                continue
            seen_nodes.add(id(node))
            if isinstance(node, MappingNode):
                keys: dict = {}
                for k, v in node.value:
                    key = k.value if isinstance(k, ScalarNode) else None
                    if key is not None and key in keys:
                        problems.append(Problem(
                            f'duplicate key "{key}" (first at line {keys[key]}): say it once',
                            path=f"{path}.{key}", file=name, line=k.start_mark.line + 1 + offset))
                    elif key is not None:
                        keys[key] = k.start_mark.line + 1 + offset
                    stack.append((v, f"{path}.{key}"))
            elif isinstance(node, SequenceNode):
                stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node.value))
    return sorted(problems, key=lambda p: p.line or 0)
