"""A small, literal reading of Kubernetes NetworkPolicy semantics, for tests.

Lets tests state what a user depends on ("another release cannot reach my
pods", "DNS works") instead of the shape of the YAML.  Follows the API
reference: a pod is isolated in a direction once any policy selecting it
lists that policyType; then traffic must match some rule of some such policy;
a connection needs both the source's egress and the destination's ingress.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

NS_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Pod:
    namespace: str
    labels: dict = field(hash=False)
    ip: str = "10.244.0.10"


def selects(selector: dict, labels: dict) -> bool:
    """LabelSelector match; {} selects everything."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for req in selector.get("matchExpressions", []):
        key, op, values = req["key"], req["operator"], req.get("values", [])
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True


def _ns_labels(namespace: str) -> dict:
    return {NS_NAME_LABEL: namespace}


def _peer_matches(peer: dict, policy_ns: str, other: Pod | str) -> bool:
    ip = other if isinstance(other, str) else other.ip
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        addr = ipaddress.ip_address(ip)
        net = ipaddress.ip_network(block["cidr"])
        if addr.version != net.version or addr not in net:
            return False
        return not any(
            addr.version == ipaddress.ip_network(e).version and addr in ipaddress.ip_network(e)
            for e in block.get("except", [])
        )
    if isinstance(other, str):
        return False  # pod/namespace selectors never match an outside address
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], _ns_labels(other.namespace)):
            return False
    elif other.namespace != policy_ns:
        return False
    return selects(peer.get("podSelector", {}), other.labels)


def _port_matches(ports: list[dict] | None, port: int, protocol: str) -> bool:
    if not ports:
        return True
    for p in ports:
        if p.get("protocol", "TCP") != protocol:
            continue
        if "port" not in p:
            return True
        if not isinstance(p["port"], int):
            raise NotImplementedError("named ports")
        if p["port"] <= port <= p.get("endPort", p["port"]):
            return True
    return False


def _direction_allows(policies, pod: Pod, other: Pod | str, port, protocol, ptype, key, peer_key) -> bool:
    selecting = [
        p
        for p in policies
        if p["metadata"]["namespace"] == pod.namespace
        and ptype in p["spec"]["policyTypes"]
        and selects(p["spec"]["podSelector"], pod.labels)
    ]
    if not selecting:
        return True
    return any(
        _port_matches(rule.get("ports"), port, protocol)
        # a missing or empty peer list means every peer
        and (not rule.get(peer_key) or any(_peer_matches(peer, pod.namespace, other) for peer in rule[peer_key]))
        for p in selecting
        for rule in p["spec"].get(key, [])
    )


def allowed(policies: list[dict], src: Pod | str, dst: Pod | str, port: int, protocol: str = "TCP") -> bool:
    """May ``src`` open a connection to ``dst:port``?  Strings are addresses outside the cluster.

    Policies must carry metadata.namespace (generate them with a namespace).
    """
    policies = [p for p in policies if p["kind"] == "NetworkPolicy"]
    if isinstance(src, Pod) and not _direction_allows(policies, src, dst, port, protocol, "Egress", "egress", "to"):
        return False
    if isinstance(dst, Pod) and not _direction_allows(policies, dst, src, port, protocol, "Ingress", "ingress", "from"):
        return False
    return True
