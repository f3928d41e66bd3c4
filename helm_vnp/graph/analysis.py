"""Who can talk to whom once the policies apply: the release's workloads and the probes, judged pair by pair.

The release's workloads are the nodes; a handful of probe endpoints stand for
the rest of the world (cluster DNS, the internet over IPv4 and IPv6, the cloud
metadata endpoint, a private address, a pod of another namespace, a pod of the
same namespace outside the release, and one pod or address per peer of every
entry point the release declares: its ingress controller, the API server,
Prometheus).  Every pair is judged by the connectivity engine
(``helm_vnp.connectivity``: the probe pods join the release's workloads, the probe
addresses are addresses), over the chart's own policies and vnp's generated ones
together, on the ports the destination actually declares.  A hostNetwork workload
is judged as its node's address (10.0.0.1) would be: here the graph shows what
most network plugins do (no policy selects such a pod), where ``connlist`` follows
netpol-analyzer's model (it is selected like any pod) so the two tools compare.
"""
from __future__ import annotations

from helm_vnp.release.model import Release

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


def _peer_probe(peer: dict, namespace: str):
    """A pod (or an address) that ``peer`` admits: the namespace its namespaceSelector names, the labels its
    podSelector requires; None when the peer names no such pod (a label-only namespace selector, every address)."""
    import ipaddress

    from helm_vnp.connectivity.labels import example_labels
    from helm_vnp.k8s.netpol import NS_NAME_LABEL, Pod, peer_matches

    if isinstance(peer.get("ipBlock"), dict):
        try:
            net = ipaddress.ip_network(str(peer["ipBlock"].get("cidr")), strict=False)
        except ValueError:
            return None
        return None if net.prefixlen == 0 else str(net.network_address + (1 if net.num_addresses > 1 else 0))

    ns = namespace
    if "namespaceSelector" in peer:
        ns = (example_labels(peer["namespaceSelector"]) or {}).get(NS_NAME_LABEL)
        if ns is None:
            return None
    pod_labels = example_labels(peer.get("podSelector"))
    if pod_labels is None:
        return None
    pod = Pod(ns, pod_labels, None, {})
    return pod if peer_matches(peer, namespace, pod) else None


def _entry_probes(release: Release) -> list[Endpoint]:
    """One probe per peer of every entry point vnp opened towards the release (the ingress controller, the
    API server, Prometheus), so the graph shows the paths the release declares."""
    out: dict[str, Endpoint] = {}
    for e in release.entry_points:
        if not e.opened or e.direction != "ingress":
            continue
        for peer in e.peers:
            target = _peer_probe(peer, release.namespace)
            if target is None:
                continue
            where = target if isinstance(target, str) else f"{target.namespace}/" + ",".join(
                f"{k}={v}" for k, v in sorted(target.labels.items()))
            label = f"{e.via.split(' (')[0].replace('policies.networkPolicy.', '')} ({where})"
            out.setdefault(label, Endpoint(f"peer-{len(out)}", label, target, [], True))
    return list(out.values())


def _workloads(release: Release) -> list[Endpoint]:
    from helm_vnp.connectivity.workloads import named_ports
    from helm_vnp.k8s.netpol import Pod

    out = []
    for ps in release.pods:
        pod = Pod(ps.owner.namespace, ps.labels, None, named_ports(ps.spec))  # the ports connlist resolves
        ports = []
        for c in ps.spec.get("containers") if isinstance(ps.spec.get("containers"), list) else []:
            for p in c.get("ports") if isinstance(c, dict) and isinstance(c.get("ports"), list) else []:
                if isinstance(p, dict) and isinstance(p.get("containerPort"), int):
                    ports.append((p["containerPort"], str(p.get("protocol") or "TCP")))
        label = ps.owner.label().replace(" ", "/") + (f" ({ps.where})" if ps.where else "")
        out.append(Endpoint(label, label, pod, sorted(set(ports)) or [(OTHER_PORT, "TCP")], False, ps.host_network))
    return out


def analyse(release: Release, extra=None) -> dict:
    """The graph as plain data: nodes, and one edge per (source, destination, port) judged.  ``extra``:
    releases standing for the rest of the cluster (``--cluster-policies``): their NetworkPolicies, admin
    policies and Namespaces apply (their workloads are not drawn)."""
    from helm_vnp.connectivity import compute
    from helm_vnp.connectivity.explain import End, address, decide
    from helm_vnp.connectivity.workloads import Workload, namespace_labels
    from helm_vnp.k8s import netpol

    policies = release.network_policies
    workloads = _workloads(release)
    egress_probes, neighbours, outside = _probes(release.namespace, release.policies["networkPolicy"]["dns"]["ports"])
    peers = _entry_probes(release)
    everyone = workloads + egress_probes + neighbours + [outside] + peers
    # the engine's population: every pod of the graph that is not on its node's network
    members: list = []
    index: dict[str, int] = {}
    for e in everyone:
        if isinstance(e.target, netpol.Pod) and not e.host_network and e.id not in index:
            index[e.id] = len(members)
            members.append(Workload(e.target.namespace, e.id, "Pod", dict(e.target.labels), dict(e.target.ports)))
    from helm_vnp.connectivity.admin import is_admin
    objects = []
    sources: dict[int, tuple] = {}
    for r in [release, *(extra or [])]:
        for o in r.objects:
            if o.kind == "NetworkPolicy":
                objects.append(o.placed)
            elif o.kind == "Namespace" or is_admin(o.obj):
                objects.append(o.obj)
                if o.doc is not None:
                    src = r.source(o.doc)
                    sources[id(o.obj)] = (src.file, src.line)
    result = compute(members, objects, namespace_labels(objects, {w.namespace for w in members}), release.namespace,
                     source_of=lambda obj: sources.get(id(obj), ("", 0)))

    def end(e: Endpoint) -> End:
        if e.id in index:
            return End(e.id, index=index[e.id])
        return address("10.0.0.1" if e.host_network else e.target)  # a hostNetwork pod: its node's address

    edges = []

    def judge(src: Endpoint, dst: Endpoint, port: int, proto: str) -> None:
        answer = decide(result, end(src), end(dst), (port, proto))
        by = {r.policy.name for side in answer.sides if side.isolated for r, c in side.allowing
              if port in c.ports[proto]}
        by |= {st.rule.policy.name for side in answer.sides for st in side.steps
               if st.rule is not None and st.action == "Allow" and port in st.conn.ports[proto]}
        edges.append({"from": src.id, "to": dst.id, "port": port, "protocol": proto, "allowed": answer.allowed,
                      "by": sorted(by)})

    for src in workloads:
        for dst in workloads:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
        for dst in egress_probes + neighbours:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
    for dst in workloads:
        for src in neighbours + [outside] + peers:
            for port, proto in dst.ports:
                judge(src, dst, port, proto)
    nodes = [{"id": e.id, "label": e.label, "probe": e.probe, "hostNetwork": e.host_network} for e in everyone]
    return {"release": release.name, "namespace": release.namespace,
            "policies": sorted(p.name for p in policies), "nodes": nodes, "edges": edges}
