"""``policies.networkPolicy.confineChartPolicies``: the chart's own NetworkPolicies, confined to the release.

vCluster translates a virtual cluster's NetworkPolicies so that they cannot reach outside it; a post-renderer
can do the same to the chart's policies, as minimal text edits planned by the labeller's parser-based planner
(``labelling.plan_by_parser``, every other byte kept):

- a peer with a ``podSelector`` gets the release label in its ``matchLabels`` (the peer then matches only the
  release's pods); a peer with only a ``namespaceSelector`` gets a ``podSelector`` holding the release label;
- a peer with a ``namespaceSelector`` gets ``kubernetes.io/metadata.name: <release namespace>`` in its
  ``matchLabels`` (ANDed with what it selects; a value naming another namespace is replaced);
- a rule with no peers (``from``/``to`` absent, empty or null: every source or destination) gets
  ``[{podSelector: {matchLabels: {<release label>: <release>}}}]``;
- ``ipBlock`` peers are kept as they are.

The result is proven: the edited document, decoded as Kubernetes decodes it, must equal the chart's document
with exactly those changes made on the decoded data (so an anchor or alias that spreads an edit, or an edit that
lands elsewhere, fails closed).  A policy that cannot be rewritten so raises a located ``VnpError``.  Confining an
already confined policy changes nothing.
"""
from __future__ import annotations

import copy

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.stream.document import Document
from helm_vnp.stream.labelling.edit import Edit, apply, quote

NAMESPACE_LABEL = "kubernetes.io/metadata.name"
HINT = ("write the chart's NetworkPolicy in plain YAML without anchors, aliases or merge keys on its rules, or "
        "leave policies.networkPolicy.confineChartPolicies off (lint's netpol.chartWidens shows what it opens)")
DIRECTIONS = (("ingress", "from"), ("egress", "to"))


def is_chart_policy(doc: Document) -> bool:
    return doc.kind == "NetworkPolicy" and doc.api_version == "networking.k8s.io/v1"


def confined(obj: dict, release: str, namespace: str) -> dict:
    """What the decoded policy must be once confined (the proof's reference)."""
    out = copy.deepcopy(obj)
    spec = out.get("spec") if isinstance(out, dict) else None
    if not isinstance(spec, dict):
        return out
    for direction, key in DIRECTIONS:
        rules = spec.get(direction)
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, dict):
                continue
            peers = rule.get(key)
            if not peers:
                rule[key] = [{"podSelector": {"matchLabels": {RELEASE_LABEL: release}}}]
                continue
            for peer in peers if isinstance(peers, list) else []:
                if not isinstance(peer, dict) or not ("podSelector" in peer or "namespaceSelector" in peer):
                    continue
                _set_label(peer, "podSelector", RELEASE_LABEL, release)
                if "namespaceSelector" in peer:
                    _set_label(peer, "namespaceSelector", NAMESPACE_LABEL, namespace)
    return out


def _set_label(peer: dict, selector: str, key: str, value: str) -> None:
    sel = peer.get(selector)
    if not isinstance(sel, dict):
        sel = peer[selector] = {}
    labels = sel.get("matchLabels")
    if not isinstance(labels, dict):
        labels = sel["matchLabels"] = {}
    labels[key] = value


def confine(doc: Document, release: str, namespace: str) -> Document:
    """``doc`` (a chart NetworkPolicy) with its peers confined to the release; the same object when nothing
    changes.  Raises a located VnpError when it cannot be rewritten safely."""
    try:
        return _confine(doc, release, namespace)
    except VnpError as exc:
        reworded = []
        for p in exc.problems:  # the planner's words ("cannot add the ... label: why") said as a confinement
            if "cannot confine" not in p.message:
                why = p.message.split(" label: ", 1)[-1].replace("the pod template's metadata", "a selector") \
                    .replace("the pod template's labels", "a selector's matchLabels").replace("pod template", "peer")
                p = _fail(doc, why, p.line).problems[0]
            reworded.append(p)
        raise doc.error_in(VnpError(reworded)) from None


def _fail(doc: Document, why: str, line: int | None = None) -> VnpError:
    return VnpError(Problem(f"NetworkPolicy {doc.name or '<unnamed>'}: cannot confine it to the release "
                            f"(policies.networkPolicy.confineChartPolicies): {why}", file=doc.source,
                            line=line or doc.object_line, hint=HINT))


def _confine(doc: Document, release: str, namespace: str) -> Document:
    from helm_vnp.stream.labelling import plan_by_parser
    from helm_vnp.stream.labelling.verify import decoded

    doc.obj  # the full parse: a broken document is reported here
    obj = decoded(doc)
    if not isinstance(obj, dict):
        raise _fail(doc, "it is not a mapping")
    want = confined(obj, release, namespace)
    if want == obj:
        return doc
    spec = obj.get("spec")
    edits: list[Edit] = []
    empty_rules: list[tuple[str, int, str]] = []
    for direction, key in DIRECTIONS:
        rules = spec.get(direction) if isinstance(spec, dict) else None
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            peers = rule.get(key)
            if not peers:
                empty_rules.append((direction, i, key))
                continue
            for j, peer in enumerate(peers if isinstance(peers, list) else []):
                if not isinstance(peer, dict) or not ("podSelector" in peer or "namespaceSelector" in peer):
                    continue
                base = ("spec", direction, i, key, j)
                found = plan_by_parser.plan(doc, base + ("podSelector",), RELEASE_LABEL, release, len(base),
                                            leaf="matchLabels", hint=HINT)
                if found is None:
                    raise _fail(doc, f"spec.{direction}[{i}].{key}[{j}] cannot be read as a peer")
                edits += found
                if "namespaceSelector" in peer:
                    found = plan_by_parser.plan(doc, base + ("namespaceSelector",), NAMESPACE_LABEL, namespace,
                                                len(base), leaf="matchLabels", hint=HINT)
                    if found is None:
                        raise _fail(doc, f"spec.{direction}[{i}].{key}[{j}].namespaceSelector is not a mapping")
                    edits += found
    if empty_rules:
        edits += _peer_lists(doc, empty_rules, release)
    edits.sort(key=lambda e: e.offset)
    for a, b in zip(edits, edits[1:]):
        if a.offset + a.delete > b.offset:
            raise _fail(doc, "two of its edits overlap (a YAML alias?)")
    out = doc.relabelled(apply(doc.raw, edits))
    try:
        got = decoded(out)
    except VnpError:
        raise _fail(doc, "the edited policy is no longer valid YAML") from None
    if got != want:
        raise _fail(doc, "the edit would change more than the policy's peers (a YAML anchor or alias?)")
    return out


def _peer_lists(doc: Document, rules: list[tuple[str, int, str]], release: str) -> list[Edit]:
    """Edits that give each rule without peers the release's pods as its only peer."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from helm_vnp.base.yamlload import compose
    from helm_vnp.stream.labelling import plan_by_parser as pp

    bom = 3 if doc.raw.startswith(b"\xef\xbb\xbf") else 0
    text = doc.raw[bom:].decode("utf-8")
    root = compose(text, doc.source, doc.line)
    pos = pp.Positions(text, bom)
    selector = "{" + f"{quote('matchLabels')}: " + "{" + f"{quote(RELEASE_LABEL)}: {quote(release)}" + "}}"
    flow = "[{" + f"{quote('podSelector')}: {selector}" + "}]"
    out = []

    def fail_node(why: str, node):
        return _fail(doc, why, doc.line + node.start_mark.line if node is not None else None)

    for direction, i, key in rules:
        spec = pp._get(root, "spec") if isinstance(root, MappingNode) else None
        seq = pp._get(spec, direction) if isinstance(spec, MappingNode) else None
        if not isinstance(seq, SequenceNode) or i >= len(seq.value) or not isinstance(seq.value[i], MappingNode):
            raise _fail(doc, f"spec.{direction}[{i}] is not where the parser finds it (a YAML alias?)")
        rule = seq.value[i]
        if not (rule.start_mark.index >= seq.start_mark.index) or pp._anchored_item(text, rule):
            raise fail_node(f"spec.{direction}[{i}] carries a YAML anchor or alias", rule)
        if any(getattr(k, "value", None) == "<<" for k, _ in rule.value):
            raise fail_node(f"spec.{direction}[{i}] uses a YAML merge key (<<)", rule)
        node = pp._get(rule, key)
        if node is not None:
            empty = (isinstance(node, SequenceNode) and not node.value) or (isinstance(node, ScalarNode)
                                                                             and pp._null(node))
            if not empty or pp._anchored(text, node, pos):
                raise fail_node(f"spec.{direction}[{i}].{key} cannot be rewritten", node)
            blank = node.start_mark.index == node.end_mark.index
            out.append(pp._replace(node, pos, (" " if blank else "") + flow))
            continue
        entry = f"{quote(key)}: {flow}"
        if rule.flow_style or not rule.value:
            if not rule.flow_style:
                raise fail_node(f"spec.{direction}[{i}] is an empty block mapping", rule)
            sep = ", " if rule.value else ""
            out.append(Edit(pos.byte(rule.start_mark.index + 1), 0, (entry + sep).encode("utf-8")))
            continue
        first = rule.value[0][0]
        col = first.start_mark.column
        start = pos.line_start(first.start_mark.index)
        prefix = text[start:first.start_mark.index]
        if prefix.strip():
            start = pp.after_first_entry(rule, pos, col) if prefix.strip(" -") == "" else None
            if start is None:
                raise fail_node(f"spec.{direction}[{i}]: its first key does not start its line", first)
        newline = "\r\n" if "\r\n" in text else "\n"
        out.append(Edit(pos.byte(start), 0, (" " * col + entry + newline).encode("utf-8")))
    return out
