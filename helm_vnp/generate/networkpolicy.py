"""NetworkPolicies that fence a release in, like vCluster's isolated mode.

The release's pods may talk to each other, to cluster DNS, to the public
internet (publicEgress ipBlocks) and to its control plane; everything else is
denied in both directions.  The user's extra rules are appended verbatim: they
can widen the fence, never narrow the built-in allows (as in vCluster).

An empty peer list in a NetworkPolicy rule means "everyone", so a rule whose
peers would be empty is left out, never rendered with ``from: []``/``to: []``.
"""
from __future__ import annotations

import copy
import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import PROJECT_LABEL, REASON_ANNOTATION, RELEASE_LABEL
from helm_vnp.config.normalise import IPBLOCK_EXCEPT
from helm_vnp.generate.meta import metadata, new_object, object_name

if TYPE_CHECKING:
    from helm_vnp.config.model import Policies

API_VERSION = "networking.k8s.io/v1"
KIND = "NetworkPolicy"
POLICY_TYPES = ["Ingress", "Egress"]
API_SERVER_PORTS = (443, 6443, 8443)  # where vCluster's control plane reaches the API server (+ apiServer.ports)
CONTROL_PLANE_PORTS = (443, 8443)  # what workloads may reach on the control plane
FALLBACK_DNS_PORT = 53
FALLBACK_DNS_PATH = "policies.networkPolicy.fallbackDns"
# vCluster's platform (loft) pods, in any namespace
PLATFORM_PEER = {"podSelector": {"matchLabels": {"app": "loft"}}, "namespaceSelector": {}}


def network_policies(
    policies: Policies, release: str, namespace: str | None, workloads: Sequence[dict],
    extra_egress: Sequence[dict] = (),
) -> list[dict]:
    """Workload policy (or one per workload), then the control-plane policy if selected."""
    netpol = policies["networkPolicy"]
    if not netpol["enabled"]:
        return []
    if policies["selection"] == "workloadSelectors":
        selectable = _selectable(workloads)
        own = [{"podSelector": w["selector"]} for w in selectable]
        targets = [(object_name(release, w["kind"].lower(), w["name"]), w["selector"]) for w in selectable]
    else:
        own = [{"podSelector": _release_selector(release)}]
        targets = [(object_name(release, "workload"), _release_selector(release))]
    cp_selector = netpol["controlPlane"]["selector"]
    cp_peers = [{"podSelector": cp_selector}] if cp_selector else []

    project = _project_peers(netpol)
    ingress = _rules("from", own, cp_peers, project) + netpol["workload"]["ingress"]
    egress = (
        _rules("to", own, project)
        + _dns_rules(netpol["dns"])
        + _public_egress_rules(netpol["workload"]["publicEgress"])
        + _fallback_dns_rules(netpol["fallbackDns"])
        + _rules("to", cp_peers, ports=_tcp(CONTROL_PLANE_PORTS))
        + netpol["workload"]["egress"]
        + list(extra_egress)
    )

    out = [_policy(netpol, release, namespace, name, sel, ingress, egress) for name, sel in targets]
    if cp_selector:
        out.append(_control_plane_policy(policies, release, namespace, cp_selector, own))
    return out


def _project_peers(netpol: dict) -> list[dict]:
    """``networkPolicy.project``: the pods of the same project in any namespace (the release's pods carry
    ``PROJECT_LABEL`` too, so two releases of one project reach each other)."""
    project = netpol.get("project") or ""
    if not project:
        return []
    return [{"namespaceSelector": {}, "podSelector": {"matchLabels": {PROJECT_LABEL: project}}}]


def _control_plane_policy(
    policies: Policies, release: str, namespace: str | None, selector: dict, own: list[dict]
) -> dict:
    """The control plane: reached by the release's pods, reaches the API server (``apiServer.peers``, never
    every address by itself: vCluster's rule has no `to`), DNS, them, and the Loft platform only if asked."""
    netpol = policies["networkPolicy"]
    cp = netpol["controlPlane"]
    ingress = _rules("from", own) + cp["ingress"]
    egress = (
        _rules("to", netpol["apiServer"]["peers"], ports=_tcp(_api_ports(netpol)))
        + _dns_rules(netpol["dns"])
        + _rules("to", own)
        + _rules("to", [PLATFORM_PEER] if cp["platform"] else [])
        + cp["egress"]
    )
    name = object_name(release, "control-plane")
    return _policy(netpol, release, namespace, name, selector, ingress, egress)


def _api_ports(netpol: dict) -> list[int]:
    """The control plane's API-server ports: vCluster's (443, 6443, 8443) and ``apiServer.ports``."""
    return sorted(set(API_SERVER_PORTS) | set(netpol["apiServer"]["ports"]))


def _policy(
    netpol: dict,
    release: str,
    namespace: str | None,
    name: str,
    pod_selector: dict,
    ingress: list[dict],
    egress: list[dict],
) -> dict:
    """One NetworkPolicy object.

    The one place rules are copied: no two objects, and no object and the
    config, share a mutable list or dict (user rules are reused verbatim).
    """
    meta = metadata(name, namespace, release, netpol["labels"], netpol["annotations"])
    spec = {
        "podSelector": copy.deepcopy(pod_selector),
        "policyTypes": list(POLICY_TYPES),
        "ingress": copy.deepcopy(ingress),
        "egress": copy.deepcopy(egress),
    }
    return new_object(API_VERSION, KIND, meta, spec)


def _release_selector(release: str) -> dict:
    return {"matchLabels": {RELEASE_LABEL: release}}


def _selectable(workloads: Sequence[dict]) -> list[dict]:
    """Workloads with a selector; an empty selector would select every pod in the namespace."""
    out = []
    for w in workloads:
        sel = w["selector"]
        if sel is None:
            continue
        if not (sel.get("matchLabels") or sel.get("matchExpressions")):
            raise ValueError(f"{w['kind']}/{w['name']}: empty selector selects every pod; pass None")
        out.append(w)
    return out


def _rules(direction: str, *peer_groups: list[dict], ports: list[dict] | None = None) -> list[dict]:
    """One rule per non-empty peer group (empty peers would mean "everyone")."""
    rules = []
    for peers in peer_groups:
        if peers:
            rule: dict = {direction: peers}
            if ports:
                rule["ports"] = ports
            rules.append(rule)
    return rules


def _tcp(ports: Sequence[int]) -> list[dict]:
    return [{"port": p, "protocol": "TCP"} for p in ports]


def _udp_tcp(ports: Sequence[int]) -> list[dict]:
    return [{"port": p, "protocol": proto} for p in ports for proto in ("UDP", "TCP")]


def _dns_rules(dns: dict) -> list[dict]:
    """DNS on every configured pod port; no peers means any destination (vCluster v0.30)."""
    if not dns["ports"]:
        return []  # a rule with peers but no ports would open every port on them
    rule: dict = {"to": dns["peers"]} if dns["peers"] else {}
    rule["ports"] = _udp_tcp(dns["ports"])
    return [rule]


def _public_egress_rules(public: dict) -> list[dict]:
    """One rule per ipBlock (one per address family by default)."""
    if not public["enabled"]:
        return []
    rules = []
    for block in public["ipBlocks"]:
        ip_block: dict = {"cidr": block["cidr"]}
        if block.get(IPBLOCK_EXCEPT):
            ip_block[IPBLOCK_EXCEPT] = block[IPBLOCK_EXCEPT]
        rules.append({"to": [{"ipBlock": ip_block}]})
    return rules


def _fallback_dns_rules(server: str) -> list[dict]:
    """Port 53 to the single fallback DNS server (/32 or /128)."""
    if not server:
        return []
    try:
        addr = ipaddress.ip_address(server)
    except ValueError:
        raise VnpError(
            Problem("not an IP address", path=FALLBACK_DNS_PATH, value=server, expected="IPv4 or IPv6 address")
        ) from None
    cidr = f"{addr}/{addr.max_prefixlen}"
    return [{"to": [{"ipBlock": {"cidr": cidr}}], "ports": _udp_tcp([FALLBACK_DNS_PORT])}]


def traffic_policies(policies: Policies, release: str, namespace: str | None, entries: Sequence) -> list[dict]:
    """One Ingress-only NetworkPolicy per opened entry point (``helm_vnp.generate.traffic.Entry``):
    the release pods it reaches, from its peers, on its ports only (Egress-only, to the API server,
    for pods that call it); named after the object that declares it, which its
    ``vnp.helm-plugin.io/reason`` annotation names."""
    netpol = policies["networkPolicy"]
    if not netpol["enabled"]:
        return []
    out = []
    for e in entries:
        if not e.opened:
            continue
        meta = metadata(traffic_policy_name(release, e), namespace, release, netpol["labels"],
                        {**netpol["annotations"], REASON_ANNOTATION: e.reason})
        if e.direction == "egress":
            spec = {"podSelector": copy.deepcopy(e.selector), "policyTypes": ["Egress"],
                    "egress": [{"to": copy.deepcopy(list(e.peers)), "ports": copy.deepcopy(list(e.ports))}]}
        else:
            spec = {"podSelector": copy.deepcopy(e.selector), "policyTypes": ["Ingress"],
                    "ingress": [{"from": copy.deepcopy(list(e.peers)), "ports": copy.deepcopy(list(e.ports))}]}
        out.append(new_object(API_VERSION, KIND, meta, spec))
    return sorted(out, key=lambda o: o["metadata"]["name"])


def traffic_policy_name(release: str, e) -> str:
    """``vnp-<release>-from-ingress-<name>-to-<service>`` and the like: stable, and distinct per entry."""
    kind = e.kind.lower()
    if e.direction == "egress":
        return object_name(release, "to-apiserver", kind, e.name)
    source = {"ingress": ("from-ingress", e.name), "apiServer": ("from-apiserver", kind, e.name),
              "exposed": ("from-outside",)}.get(e.category, ("from-" + kind, e.name))
    target = e.target.split(" ")[-1] if e.target.startswith("Service ") else "pods"
    return object_name(release, *source, "to", target)
