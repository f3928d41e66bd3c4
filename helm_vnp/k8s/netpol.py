"""NetworkPolicy semantics: may pod A reach pod B (or an address) on a port?

A literal reading of the API reference.  A pod is isolated in a direction
once any policy in its namespace selects it with that policyType (policyTypes
defaults to Ingress, plus Egress when the policy has an egress section);
isolated traffic must match some rule of some selecting policy (union); a
connection needs the source's egress and the destination's ingress.  A rule
with no (or an empty) peer list matches every peer, with no ports every port.
``ipBlock`` peers match addresses only (pods are matched by selectors), which
is what the API promises for traffic outside the cluster.
"""
from __future__ import annotations

import functools
import ipaddress
from typing import Iterable, Mapping

from helm_vnp.base.record import field, record

NS_NAME_LABEL = "kubernetes.io/metadata.name"
INGRESS, EGRESS = "Ingress", "Egress"


@record(frozen=True)
class Pod:
    namespace: str
    labels: Mapping = field(default_factory=dict, hash=False)
    namespace_labels: Mapping | None = field(default=None, hash=False)  # None: only the name label
    ports: Mapping = field(default_factory=dict, hash=False)  # named container port -> (number, protocol)
    ip: str | None = None

    def ns_labels(self) -> Mapping:
        if self.namespace_labels is None:
            return {NS_NAME_LABEL: self.namespace}
        return {**self.namespace_labels, NS_NAME_LABEL: self.namespace}


Peer = "Pod | str"  # a pod, or an address outside the cluster


@record(frozen=True)
class Policy:
    name: str
    namespace: str
    pod_selector: dict
    types: tuple
    ingress: list
    egress: list


def policies_from(objects: Iterable[dict], default_namespace: str) -> list[Policy]:
    """Normalised NetworkPolicies from parsed objects (other kinds are skipped)."""
    out = []
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") != "NetworkPolicy":
            continue
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        types = spec.get("policyTypes")
        if not isinstance(types, list) or not types:
            # as the API server defaults it: Egress only when there is an egress rule (`egress: []` isolates nothing)
            types = [INGRESS] + ([EGRESS] if isinstance(spec.get("egress"), list) and spec["egress"] else [])
        out.append(Policy(str(meta.get("name") or ""), str(meta.get("namespace") or default_namespace),
                          spec.get("podSelector") if isinstance(spec.get("podSelector"), dict) else {},
                          tuple(types), _rules(spec.get("ingress")), _rules(spec.get("egress"))))
    return out


def _rules(value) -> list:
    return [r if isinstance(r, dict) else {} for r in value] if isinstance(value, list) else []


def selects(selector: dict | None, labels: Mapping) -> bool:
    """LabelSelector semantics: {} selects everything, None nothing; unknown operators select nothing."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if key not in labels or str(labels[key]) != str(value):
            return False
    for req in selector.get("matchExpressions") or []:
        key, op = req.get("key"), req.get("operator")
        values = [str(v) for v in req.get("values") or []]
        present = key in labels
        if op == "In":
            ok = present and str(labels[key]) in values
        elif op == "NotIn":
            ok = not present or str(labels[key]) not in values
        elif op == "Exists":
            ok = present
        elif op == "DoesNotExist":
            ok = not present
        else:
            return False
        if not ok:
            return False
    return True


def _in_block(block: dict, ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
        net = ipaddress.ip_network(str(block.get("cidr")), strict=False)
    except ValueError:
        return False
    if addr.version != net.version or addr not in net:
        return False
    for e in block.get("except") or []:
        try:
            ex = ipaddress.ip_network(str(e), strict=False)
        except ValueError:
            continue
        if ex.version == addr.version and addr in ex:
            return False
    return True


def peer_matches(peer: dict, policy_ns: str, other) -> bool:
    """Does one NetworkPolicyPeer match ``other`` (a Pod, or an address string)?"""
    if not isinstance(peer, dict):
        return False
    if "ipBlock" in peer:
        ip = other if isinstance(other, str) else other.ip
        return bool(ip) and isinstance(peer["ipBlock"], dict) and _in_block(peer["ipBlock"], ip)
    if isinstance(other, str):
        return False
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"] or {}, other.ns_labels()):
            return False
    elif other.namespace != policy_ns:
        return False
    return selects(peer.get("podSelector") or {}, other.labels)


def port_matches(ports, port: int, protocol: str, target: Pod | None) -> bool:
    """Does a rule's ``ports`` list admit ``port``/``protocol`` on ``target`` (named ports resolve there)?"""
    if not ports:
        return True
    for p in ports:
        if not isinstance(p, dict):
            continue
        if (p.get("protocol") or "TCP") != protocol:
            continue
        want = p.get("port")
        if want is None:
            return True
        if isinstance(want, str) and not want.isdigit():
            named = (target.ports if target is not None else {}).get(want)
            if named is not None and named[0] == port and named[1] == protocol:
                return True
            continue
        low = int(want)
        high = p.get("endPort") if isinstance(p.get("endPort"), int) else low
        if low <= port <= high:
            return True
    return False


@record(frozen=True)
class Verdict:
    allowed: bool
    isolated: bool  # some policy selects the pod in this direction
    by: tuple = ()  # (policy name, rule index) of every rule that allows it


def _direction(policies: list[Policy], pod: Pod, other, port: int, protocol: str, ptype: str,
               target: Pod | None) -> Verdict:
    selecting = [p for p in policies if p.namespace == pod.namespace and ptype in p.types
                 and selects(p.pod_selector, pod.labels)]
    if not selecting:
        return Verdict(True, False)
    key, peer_key = ("egress", "to") if ptype == EGRESS else ("ingress", "from")
    by = []
    for p in selecting:
        for i, rule in enumerate(getattr(p, key)):
            peers = rule.get(peer_key)
            if not port_matches(rule.get("ports"), port, protocol, target):
                continue
            if not peers or any(peer_matches(peer, p.namespace, other) for peer in peers):
                by.append((p.name, i))
    return Verdict(bool(by), True, tuple(by))


def egress(policies: list[Policy], src: Pod, dst, port: int, protocol: str = "TCP") -> Verdict:
    """May ``src`` send to ``dst:port`` as far as ``src``'s own egress policies go?"""
    return _direction(policies, src, dst, port, protocol, EGRESS, dst if isinstance(dst, Pod) else None)


def ingress(policies: list[Policy], dst: Pod, src, port: int, protocol: str = "TCP") -> Verdict:
    """May ``src`` reach ``dst:port`` as far as ``dst``'s ingress policies go?"""
    return _direction(policies, dst, src, port, protocol, INGRESS, dst)


def allowed(policies: list[Policy], src, dst, port: int, protocol: str = "TCP") -> bool:
    """Both ends agree: ``src``'s egress (if a pod) and ``dst``'s ingress (if a pod)."""
    if isinstance(src, Pod) and not egress(policies, src, dst, port, protocol).allowed:
        return False
    if isinstance(dst, Pod) and not ingress(policies, dst, src, port, protocol).allowed:
        return False
    return True


# -- rule containment (for "this rule is already covered") ------------------------------

def _selector_within(inner: dict | None, outer: dict | None) -> bool:
    """Everything ``inner`` selects is selected by ``outer`` (sufficient, not necessary)."""
    inner, outer = inner or {}, outer or {}
    if inner == outer:
        return True
    if outer.get("matchExpressions"):
        return False
    inner_labels = inner.get("matchLabels") or {}
    return all(inner_labels.get(k) == v for k, v in (outer.get("matchLabels") or {}).items())


@functools.lru_cache(maxsize=65536)
def _net(text: str):
    """A parsed network (rules compare the same CIDRs many times)."""
    return ipaddress.ip_network(text, strict=False)


def _block_within(inner: dict, outer: dict) -> bool:
    try:
        a = _net(str(inner.get("cidr")))
        b = _net(str(outer.get("cidr")))
        a_ex = [_net(str(e)) for e in inner.get("except") or []]
        b_ex = [_net(str(e)) for e in outer.get("except") or []]
    except ValueError:
        return False
    if a.version != b.version or not a.subnet_of(b):
        return False
    for e in b_ex:  # every hole of the outer block inside the inner one must be a hole there too
        if e.version != a.version or not e.overlaps(a):
            continue
        hole = e if e.subnet_of(a) else a
        if not any(hole.version == x.version and hole.subnet_of(x) for x in a_ex):
            return False
    return True


def peer_within(inner: dict, outer: dict) -> bool:
    """Every pod/address ``inner`` matches is matched by ``outer`` (same policy namespace)."""
    if "ipBlock" in inner or "ipBlock" in outer:
        return "ipBlock" in inner and "ipBlock" in outer and _block_within(inner["ipBlock"], outer["ipBlock"])
    if "namespaceSelector" in outer:
        if "namespaceSelector" in inner:
            if not _selector_within(inner["namespaceSelector"], outer["namespaceSelector"]):
                return False
        elif (outer["namespaceSelector"] or {}) != {}:
            return False  # same namespace: only "all namespaces" surely contains it
    elif "namespaceSelector" in inner:
        return False
    return _selector_within(inner.get("podSelector"), outer.get("podSelector"))


def _port_within(inner: dict, outer: dict) -> bool:
    if (inner.get("protocol") or "TCP") != (outer.get("protocol") or "TCP"):
        return False
    if outer.get("port") is None:
        return True
    if inner.get("port") is None:
        return False
    if isinstance(inner["port"], str) or isinstance(outer["port"], str):
        return inner["port"] == outer["port"] and outer.get("endPort") is None and inner.get("endPort") is None
    lo, hi = inner["port"], inner.get("endPort") or inner["port"]
    return outer["port"] <= lo and hi <= (outer.get("endPort") or outer["port"])


def rule_within(inner: dict, outer: dict, peer_key: str) -> bool:
    """Everything rule ``inner`` allows, rule ``outer`` allows too."""
    outer_ports = outer.get("ports") or []
    if outer_ports:
        inner_ports = inner.get("ports") or []
        if not inner_ports or not all(any(_port_within(a, b) for b in outer_ports) for a in inner_ports):
            return False
    outer_peers = outer.get(peer_key) or []
    if not outer_peers:
        return True
    inner_peers = inner.get(peer_key) or []
    return bool(inner_peers) and all(any(peer_within(a, b) for b in outer_peers) for a in inner_peers)
