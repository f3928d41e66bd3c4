"""The engine's admin-policy answers against a packet-by-packet oracle, on random clusters (hypothesis).

network-config-analyzer 2.1.0 (the differential reference of ``tests/netpol``) does not read
AdminNetworkPolicy or BaselineAdminNetworkPolicy at all (its source has neither kind), so the reference
here is an oracle written for this test, one packet at a time and without any of the engine's machinery
(no masks, classes, interval sets or ranges): for each direction, walk the AdminNetworkPolicies by
priority and their rules in order, the first rule whose peer and port match decides; Pass or no match
hands the packet to the NetworkPolicies (``helm_vnp.k8s.netpol``, the independent per-packet simulator
that ``tests/netpol`` checks against NCA), and if none isolates the pod, to the baseline, then allow.

Probes: every elementary port interval between the boundaries any rule or named port creates (TCP, UDP,
SCTP) and one protocol without ports; every elementary address range between the CIDR boundaries, both
directions.  The engine must give the same connection set for every pod pair and pod/range pair.
"""
from __future__ import annotations

import ipaddress
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helm_vnp.connectivity import Workload, compute
from helm_vnp.k8s import netpol
from tests.netpol.engine_nca import as_conn
from tests.netpol.nca import OTHER_PROTOCOLS, PORT_PROTOCOLS, Conn
from tests.netpol.test_engine_random import ALL_OPS, KEYS, NAMESPACES, NS_KEYS, PORT_NAMES, selector
from tests.netpol.test_engine_random import policy as network_policy

EXAMPLES = int(os.environ.get("VNP_ANP_EXAMPLES", "40"))
API = "policy.networking.k8s.io/v1alpha1"
NETWORKS = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "192.168.7.9/32", "::/0", "2001:db8::/32"]


@st.composite
def admin_peer(draw, egress: bool):
    kind = draw(st.sampled_from(["namespaces", "pods", "networks"] if egress else ["namespaces", "pods"]))
    if kind == "namespaces":
        return {"namespaces": draw(selector(NS_KEYS, ALL_OPS))}
    if kind == "pods":
        return {"pods": {"namespaceSelector": draw(selector(NS_KEYS, ALL_OPS)),
                         "podSelector": draw(selector(KEYS, ALL_OPS))}}
    return {"networks": draw(st.lists(st.sampled_from(NETWORKS), min_size=1, max_size=2, unique=True))}


@st.composite
def admin_port(draw):
    kind = draw(st.sampled_from(["number", "range", "named"]))
    protocol = draw(st.sampled_from([None, "TCP", "UDP", "SCTP"]))
    extra = {"protocol": protocol} if protocol else {}
    if kind == "number":
        return {"portNumber": {"port": draw(st.sampled_from([53, 80, 443, 8080])), **extra}}
    if kind == "range":
        lo = draw(st.sampled_from([53, 80, 8000]))
        return {"portRange": {"start": lo, "end": lo + draw(st.sampled_from([0, 1, 100])), **extra}}
    return {"namedPort": draw(st.sampled_from(PORT_NAMES))}


@st.composite
def admin_rule(draw, egress: bool, actions):
    out = {"action": draw(st.sampled_from(actions)),
           ("to" if egress else "from"): draw(st.lists(admin_peer(egress), min_size=1, max_size=2))}
    ports = draw(st.one_of(st.none(), st.lists(admin_port(), min_size=1, max_size=2)))
    if ports is not None:
        out["ports"] = ports
    return out


@st.composite
def admin_policy(draw, name: str, priority: int | None):
    actions = ["Allow", "Deny", "Pass"] if priority is not None else ["Allow", "Deny"]
    subject = draw(st.one_of(
        st.builds(lambda s: {"namespaces": s}, selector(NS_KEYS, ALL_OPS)),
        st.builds(lambda n, p: {"pods": {"namespaceSelector": n, "podSelector": p}},
                  selector(NS_KEYS, ALL_OPS), selector(KEYS, ALL_OPS))))
    spec = {"subject": subject}
    if priority is not None:
        spec["priority"] = priority
    for key in ("ingress", "egress"):
        rules = draw(st.lists(admin_rule(key == "egress", actions), max_size=3))
        if rules:
            spec[key] = rules
    kind = "AdminNetworkPolicy" if priority is not None else "BaselineAdminNetworkPolicy"
    return {"apiVersion": API, "kind": kind, "metadata": {"name": name}, "spec": spec}


@st.composite
def clusters(draw):
    namespaces = {n: draw(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in NS_KEYS.items()}))
                  for n in NAMESPACES}
    pods = []
    for i in range(draw(st.integers(2, 5))):
        labels = draw(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in KEYS.items()}))
        names = draw(st.lists(st.sampled_from(PORT_NAMES), unique=True, max_size=2))
        ports = {n: (draw(st.sampled_from([53, 80, 8080])), draw(st.sampled_from(["TCP", "UDP"]))) for n in names}
        pods.append(Workload(draw(st.sampled_from(NAMESPACES)), f"pod-{i}", "Pod", labels, ports))
    priorities = draw(st.lists(st.integers(0, 1000), unique=True, min_size=1, max_size=3))
    anps = [draw(admin_policy(f"anp-{i}", p)) for i, p in enumerate(priorities)]
    banps = [draw(admin_policy("default", None))] if draw(st.booleans()) else []
    nps = [draw(network_policy(i)) for i in range(draw(st.integers(0, 3)))]
    return namespaces, pods, anps + banps + nps


# -- the oracle ---------------------------------------------------------------------------------------------

def _ns_labels(namespaces: dict, name: str) -> dict:
    return {**namespaces[name], netpol.NS_NAME_LABEL: name}


def _peer_matches(peer: dict, other, namespaces: dict) -> bool:
    if "networks" in peer:
        if not isinstance(other, str):
            return False
        addr = ipaddress.ip_address(other)
        return any(addr.version == net.version and addr in net
                   for net in (ipaddress.ip_network(c) for c in peer["networks"]))
    if isinstance(other, str):
        return False
    if "namespaces" in peer:
        return netpol.selects(peer["namespaces"], _ns_labels(namespaces, other.namespace))
    pods = peer["pods"]
    return netpol.selects(pods["namespaceSelector"], _ns_labels(namespaces, other.namespace)) \
        and netpol.selects(pods["podSelector"], other.labels)


def _port_matches(ports, port: int, protocol: str, dst) -> bool:
    if ports is None:
        return True
    for p in ports:
        if "namedPort" in p:
            found = dst.ports.get(p["namedPort"]) if not isinstance(dst, str) else None
            if found and found == (port, protocol):
                return True
            continue
        spec = p.get("portNumber") or p.get("portRange")
        if (spec.get("protocol") or "TCP") != protocol:
            continue
        lo = spec.get("port", spec.get("start"))
        hi = spec.get("port", spec.get("end"))
        if lo <= port <= hi:
            return True
    return False


def _first(rules, peer_key, other, port, protocol, dst, namespaces):
    for r in rules:
        if any(_peer_matches(p, other, namespaces) for p in r[peer_key]) \
                and _port_matches(r.get("ports"), port, protocol, dst):
            return r["action"]
    return None


def _direction(objects, namespaces, pod, other, port, protocol, dst, nps, ingress: bool) -> bool:
    key, peer_key = ("ingress", "from") if ingress else ("egress", "to")

    def subject(p) -> bool:
        s = p["spec"]["subject"]
        return _peer_matches(s, pod, namespaces)

    anps = sorted((o for o in objects if o["kind"] == "AdminNetworkPolicy"), key=lambda o: o["spec"]["priority"])
    for p in anps:
        if subject(p):
            action = _first(p["spec"].get(key, []), peer_key, other, port, protocol, dst, namespaces)
            if action in ("Allow", "Deny"):
                return action == "Allow"
            if action == "Pass":
                break
    np_pod = netpol.Pod(pod.namespace, pod.labels, namespaces[pod.namespace], pod.ports)
    np_other = other if isinstance(other, str) else netpol.Pod(other.namespace, other.labels,
                                                               namespaces[other.namespace], other.ports)
    verdict = (netpol.ingress(nps, np_pod, np_other, port, protocol) if ingress
               else netpol.egress(nps, np_pod, np_other, port, protocol))
    if verdict.isolated:
        return verdict.allowed
    for p in objects:
        if p["kind"] == "BaselineAdminNetworkPolicy" and subject(p):
            action = _first(p["spec"].get(key, []), peer_key, other, port, protocol, dst, namespaces)
            if action is not None:
                return action == "Allow"
    return True


def oracle(objects, namespaces, src, dst, cuts) -> Conn:
    nps = netpol.policies_from(objects, "default")

    def allowed(port, protocol) -> bool:
        if not isinstance(src, str) and not _direction(objects, namespaces, src, dst, port, protocol, dst, nps, False):
            return False
        if not isinstance(dst, str) and not _direction(objects, namespaces, dst, src, port, protocol, dst, nps, True):
            return False
        return True
    ports = {number: [(lo, hi - 1) for lo, hi in zip(cuts, cuts[1:]) if allowed(lo, name)]
             for name, number in PORT_PROTOCOLS.items()}
    return Conn.of(ports, OTHER_PROTOCOLS if allowed(0, "ICMP") else ())


def _cuts(pods, objects) -> list[int]:
    cuts = {1, 65536}
    for w in pods:
        cuts |= {n for n, _ in w.ports.values()} | {n + 1 for n, _ in w.ports.values()}
    for o in objects:
        for key in ("ingress", "egress"):
            for r in o["spec"].get(key) or []:
                for p in r.get("ports") or []:
                    spec = p.get("portNumber") or p.get("portRange") or p
                    lo = spec.get("port", spec.get("start"))
                    hi = spec.get("endPort", spec.get("end", lo))
                    if isinstance(lo, int):
                        cuts |= {lo, (hi if isinstance(hi, int) else lo) + 1}
    return sorted(cuts)


def _addresses(objects) -> list[str]:
    """The first address of every elementary range between the CIDR boundaries of all policies."""
    bounds = {4: {0}, 6: {0}}
    for o in objects:
        for key in ("ingress", "egress"):
            for r in o["spec"].get(key) or []:
                for peer in r.get("to") or r.get("from") or []:
                    cidrs = peer.get("networks") or []
                    block = peer.get("ipBlock")
                    if block:
                        cidrs = [block["cidr"], *(block.get("except") or [])]
                    for c in cidrs:
                        net = ipaddress.ip_network(c, strict=False)
                        bounds[net.version] |= {int(net.network_address), int(net.broadcast_address) + 1}
    out = []
    for version, points in bounds.items():
        top = 2 ** (32 if version == 4 else 128)
        cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
        out += [str(cls(p)) for p in sorted(points) if p < top]
    return out


def _engine_at(result, index: int, address: str, direction: str):
    addr = ipaddress.ip_address(address)
    for k, (version, lo, hi) in enumerate(result.ranges):
        if version == addr.version and lo <= int(addr) <= hi:
            table = result.egress_ext if direction == "egress" else result.ingress_ext
            return table[result.class_of[index]][k]
    raise AssertionError(address)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(clusters())
def test_engine_agrees_with_a_packet_by_packet_oracle(cluster):
    namespaces, pods, objects = cluster
    namespaces = {n: dict(labels) for n, labels in namespaces.items()}
    result = compute(pods, objects, namespaces)
    cuts = _cuts(pods, objects)
    diffs = []
    for s, src in enumerate(pods):
        for d, dst in enumerate(pods):
            if s != d:
                ours, theirs = as_conn(result.between(s, d)), oracle(objects, namespaces, src, dst, cuts)
                if ours != theirs:
                    diffs.append(f"{src.key} => {dst.key}: engine {ours} | oracle {theirs}")
        for address in _addresses(objects):
            for direction in ("egress", "ingress"):
                a, b = (src, address) if direction == "egress" else (address, src)
                ours = as_conn(_engine_at(result, s, address, direction))
                theirs = oracle(objects, namespaces, a, b, cuts)
                if ours != theirs:
                    diffs.append(f"{a} => {b}: engine {ours} | oracle {theirs}")
    assert not diffs, "\n".join(diffs) + f"\n\nobjects: {objects}\npods: {pods}\nnamespaces: {namespaces}"


def test_the_oracle_catches_a_wrong_precedence():
    """The comparison can fail: with the AdminNetworkPolicy's Deny read after the NetworkPolicies'
    Allow (a wrong precedence), the oracle disagrees with the engine."""
    pods = [Workload("ns-a", "a", "Pod", {"app": "web"}), Workload("ns-b", "b", "Pod", {"app": "db"})]
    namespaces = {n: {} for n in NAMESPACES}
    deny = {"apiVersion": API, "kind": "AdminNetworkPolicy", "metadata": {"name": "d"},
            "spec": {"priority": 1, "subject": {"namespaces": {}},
                     "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]}}
    allow = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "a",
                                                                                         "namespace": "ns-b"},
             "spec": {"podSelector": {}, "ingress": [{}]}}
    result = compute(pods, [deny, allow], namespaces)
    cuts = _cuts(pods, [deny, allow])
    assert as_conn(result.between(0, 1)) == oracle([deny, allow], namespaces, pods[0], pods[1], cuts)
    assert as_conn(result.between(0, 1)) != oracle([allow], namespaces, pods[0], pods[1], cuts)
