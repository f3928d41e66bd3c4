"""`helm vnp graph`: who can talk to whom once the policies apply.

The release's workloads are the nodes; a handful of probe endpoints stand for
the rest of the world (cluster DNS, the internet over IPv4 and IPv6, the cloud
metadata endpoint, a private address, a pod of another namespace, a pod of the
same namespace outside the release).  Every pair is judged by the same
NetworkPolicy semantics the lint rules use (``helm_vnp.k8s.netpol``), over the
chart's own policies and vnp's generated ones together, on the ports the
destination actually declares.
"""
from __future__ import annotations

import json

OTHER_PORT = 8080  # the probe port for a destination that declares no container port


class Endpoint:
    """A node: a release workload (``pod``, ``ports``) or a probe (``target`` pod or address)."""

    __slots__ = ("id", "label", "target", "ports", "probe", "host_network")

    def __init__(self, id: str, label: str, target, ports, probe: bool, host_network: bool = False):
        self.id, self.label, self.target, self.ports = id, label, target, ports
        self.probe, self.host_network = probe, host_network


def _probes(namespace: str, dns_ports: list[int]):
    from helm_vnp.k8s.netpol import Pod

    dns = Pod("kube-system", {"k8s-app": "kube-dns"}, None, {})
    egress = [
        Endpoint("dns", "cluster DNS (kube-system/kube-dns)", dns,
                 [(p, proto) for p in (dns_ports or [53]) for proto in ("UDP", "TCP")], True),
        Endpoint("internet-v4", "internet IPv4 (1.1.1.1)", "1.1.1.1", [(443, "TCP")], True),
        Endpoint("internet-v6", "internet IPv6 (2606:4700:4700::1111)", "2606:4700:4700::1111", [(443, "TCP")], True),
        Endpoint("metadata", "cloud metadata (169.254.169.254)", "169.254.169.254", [(80, "TCP")], True),
        Endpoint("private", "private network (10.0.0.10)", "10.0.0.10", [(443, "TCP")], True),
    ]
    neighbours = [
        Endpoint("other-namespace", "pod in another namespace", Pod("other-namespace", {"app": "other"}, None, {}),
                 [(OTHER_PORT, "TCP")], True),
        Endpoint("same-namespace", f"pod in {namespace}, not in the release",
                 Pod(namespace, {"app": "not-in-release"}, None, {}), [(OTHER_PORT, "TCP")], True),
    ]
    outside = Endpoint("outside", "outside the cluster (203.0.113.7)", "203.0.113.7", [], True)
    return egress, neighbours, outside


def _workloads(ctx) -> list[Endpoint]:
    from helm_vnp.checks.rules._release import pod_of, view

    out = []
    for ps in view(ctx).pods:
        pod = pod_of(ps)
        ports = []
        for c in ps.spec.get("containers") if isinstance(ps.spec.get("containers"), list) else []:
            for p in c.get("ports") if isinstance(c, dict) and isinstance(c.get("ports"), list) else []:
                if isinstance(p, dict) and isinstance(p.get("containerPort"), int):
                    ports.append((p["containerPort"], str(p.get("protocol") or "TCP")))
        label = ps.owner.label().replace(" ", "/")
        out.append(Endpoint(label, label, pod, sorted(set(ports)) or [(OTHER_PORT, "TCP")], False, ps.host_network))
    return out


def analyse(ctx) -> dict:
    """The graph as plain data: nodes, and one edge per (source, destination, port) judged."""
    from helm_vnp.checks.rules._release import network_policies
    from helm_vnp.k8s import netpol

    policies = network_policies(ctx)
    workloads = _workloads(ctx)
    egress_probes, neighbours, outside = _probes(ctx.namespace, ctx.policies["networkPolicy"]["dns"]["ports"])
    edges = []

    def judge(src: Endpoint, dst: Endpoint, port: int, proto: str) -> None:
        s = src.target if not src.host_network else "node"  # hostNetwork pods are never selected
        d = dst.target if not dst.host_network else "node"
        ok = True
        by = []
        if isinstance(s, netpol.Pod):
            v = netpol.egress(policies, s, d if d != "node" else "10.0.0.1", port, proto)
            ok, by = ok and v.allowed, by + [n for n, _ in v.by]
        if isinstance(d, netpol.Pod):
            v = netpol.ingress(policies, d, s if s != "node" else "10.0.0.1", port, proto)
            ok, by = ok and v.allowed, by + [n for n, _ in v.by]
        edges.append({"from": src.id, "to": dst.id, "port": port, "protocol": proto, "allowed": ok,
                      "by": sorted(set(by))})

    for src in workloads:
        for dst in workloads:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
        for dst in egress_probes + neighbours:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
    for dst in workloads:
        for src in neighbours + [outside]:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
    nodes = [{"id": e.id, "label": e.label, "probe": e.probe, "hostNetwork": e.host_network}
             for e in workloads + egress_probes + neighbours + [outside]]
    return {"release": ctx.release, "namespace": ctx.namespace,
            "policies": sorted(p.name for p in policies), "nodes": nodes, "edges": edges}


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
    for title, pairs in sections:
        lines.append("")
        lines.append(title)
        width = max([len(nodes[a]["label"]) for a, _ in pairs] + [4])
        for a, b in pairs:
            lines.append(f"  {nodes[a]['label']:<{width}}  ->  {nodes[b]['label']}: {_verdicts(graph, a, b)}")
    return "\n".join(lines) + "\n"


def render_json(graph: dict) -> str:
    return json.dumps(graph, indent=2, sort_keys=False) + "\n"


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
