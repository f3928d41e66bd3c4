"""The graph as text, JSON, Graphviz dot and Mermaid: formats know nothing of how it was computed."""
from __future__ import annotations

import json


def _verdicts(graph: dict, src: str, dst: str) -> str:
    es = [e for e in graph["edges"] if e["from"] == src and e["to"] == dst]
    if not es:
        return "-"
    allowed = [f"{e['port']}/{e['protocol']}" for e in es if e["allowed"]]
    if len(allowed) == len(es):
        return "allow " + ",".join(allowed)
    if not allowed:
        return "deny"
    return "allow " + ",".join(allowed) + " (others deny)"


def render_text(graph: dict) -> str:
    nodes = {n["id"]: n for n in graph["nodes"]}
    workloads = [n for n in graph["nodes"] if not n["probe"]]
    lines = [f"Release {graph['release']} in namespace {graph['namespace']}: {len(workloads)} workloads, "
             f"NetworkPolicies: {', '.join(graph['policies']) or 'none (nothing is isolated)'}"]
    for n in workloads:
        if n["hostNetwork"]:
            lines.append(f"  ! {n['label']} uses hostNetwork: NetworkPolicies do not apply to it")
    sections = (
        ("Between the release's workloads", [(a["id"], b["id"]) for a in workloads for b in workloads]),
        ("Egress from the release", [(a["id"], b) for a in workloads for b in
                                     ("dns", "internet-v4", "internet-v6", "metadata", "private",
                                      "other-namespace", "same-namespace")]),
        ("Ingress to the release", [(a, b["id"]) for b in workloads for a in
                                    ("other-namespace", "same-namespace", "outside")]),
    )
    peers = [n["id"] for n in graph["nodes"] if n["id"].startswith("peer-")]
    opened = [(a, b["id"]) for a in peers for b in workloads
              if any(e["allowed"] for e in graph["edges"] if e["from"] == a and e["to"] == b["id"])]
    if opened:  # the peers of the entry points the release declares, and what each reaches
        sections += (("Opened by the release's own objects (ingress controllers, API server, Prometheus)", opened),)
    for title, pairs in sections:
        lines.append("")
        lines.append(title)
        width = max([len(nodes[a]["label"]) for a, _ in pairs] + [4])
        for a, b in pairs:
            lines.append(f"  {nodes[a]['label']:<{width}}  ->  {nodes[b]['label']}: {_verdicts(graph, a, b)}")
    return "\n".join(lines) + "\n"


def render_json(graph: dict) -> str:
    """The graph with its schema version (schemas/graph.schema.json)."""
    from helm_vnp.connectivity.outputs import SCHEMA_VERSIONS

    return json.dumps({"schemaVersion": SCHEMA_VERSIONS["graph"], **graph}, indent=2, sort_keys=False) + "\n"


def _allowed_pairs(graph: dict) -> dict:
    """(from, to) -> ["port/protocol", ...] for every allowed connection, in edge order."""
    pairs: dict = {}
    for e in graph["edges"]:
        if e["allowed"]:
            pairs.setdefault((e["from"], e["to"]), []).append(f"{e['port']}/{e['protocol']}")
    return pairs


def render_dot(graph: dict) -> str:
    """Graphviz: allowed connections as edges (one per pair, ports as the label)."""
    lines = [f'digraph "{graph["release"]}" {{', "  rankdir=LR;", "  node [shape=box];"]
    for n in graph["nodes"]:
        shape = "ellipse" if n["probe"] else "box"
        lines.append(f'  "{n["id"]}" [label={json.dumps(n["label"])}, shape={shape}];')
    pairs = _allowed_pairs(graph)
    for (a, b), ports in pairs.items():
        lines.append(f'  "{a}" -> "{b}" [label="{",".join(ports)}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_mermaid(graph: dict) -> str:
    ids = {n["id"]: f"n{i}" for i, n in enumerate(graph["nodes"])}
    lines = ["flowchart LR"]
    for n in graph["nodes"]:
        text = n["label"].replace('"', "'")
        lines.append(f'  {ids[n["id"]]}{"([" if n["probe"] else "["}"{text}"{"])" if n["probe"] else "]"}')
    pairs = _allowed_pairs(graph)
    for (a, b), ports in pairs.items():
        lines.append(f'  {ids[a]} -->|{",".join(ports)}| {ids[b]}')
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "dot": render_dot, "mermaid": render_mermaid}
