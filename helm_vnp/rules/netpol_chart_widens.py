"""netpol.chartWidens: a NetworkPolicy of the chart opens the release's pods to everyone.

**What it checks.** NetworkPolicies the chart itself renders, in the release
namespace, that select pods of the release and have an ingress rule admitting
every source: no ``from`` at all, a peer with ``namespaceSelector: {}`` (all
namespaces) and no narrowing pod selector, or an ``ipBlock`` of ``0.0.0.0/0`` /
``::/0``.

**Why.** NetworkPolicies are additive: the union of all policies selecting a
pod is allowed.  vnp's generated policies deny ingress from other namespaces,
but one permissive chart policy re-opens the fence for the pods it selects,
whatever ``policies.networkPolicy`` says.

**Example that triggers it**::

    kind: NetworkPolicy
    spec:
      podSelector: {matchLabels: {app: web}}
      ingress:
      - ports: [{port: 8080}]

**Fix.** Turn off the chart's own network policy (often ``networkPolicy.enabled:
false``) and express the needed exceptions as
``policies.networkPolicy.workload.ingress`` rules, or give the chart's rule
explicit ``from`` peers.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.chartWidens", severity="warning",
            summary="a chart NetworkPolicy allows ingress from all namespaces or all addresses to the release's pods")


def _open_peer(peer) -> str | None:
    if not isinstance(peer, dict):
        return None
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        try:
            net = ipaddress.ip_network(str(block.get("cidr")), strict=False)
        except ValueError:
            return None
        return f"every address ({net})" if net.prefixlen == 0 and not block.get("except") else None
    ns = peer.get("namespaceSelector")
    pods = peer.get("podSelector") or {}
    if ns is not None and not (ns.get("matchLabels") or ns.get("matchExpressions")) \
            and not (pods.get("matchLabels") or pods.get("matchExpressions")):
        return "every pod in every namespace"
    return None


def _widening(rule: dict) -> str | None:
    peers = rule.get("from")
    if not peers:
        return "every source (no `from`)"
    for peer in peers:
        why = _open_peer(peer)
        if why:
            return why
    return None


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import INGRESS, policies_from, selects
    for o in release.objects:
        if o.generated or o.kind != "NetworkPolicy" or o.namespace != release.namespace:
            continue
        pol = policies_from([o.obj], release.namespace)[0]
        if INGRESS not in pol.types:
            continue
        selected = [ps.owner.label() for ps in release.pods
                    if ps.owner.namespace == release.namespace and selects(pol.pod_selector, ps.labels)]
        if not selected:
            continue
        for i, rule in enumerate(pol.ingress):
            why = _widening(rule)
            if why:
                ports = rule.get("ports") or []
                on = (" on port " + ", ".join(str(p.get("port", "any")) for p in ports if isinstance(p, dict))
                      if ports else " on every port")
                shown = ", ".join(selected[:3]) + (f" and {len(selected) - 3} more" if len(selected) > 3 else "")
                yield Finding(RULE.id, RULE.severity,
                              f"NetworkPolicy {o.name} ingress rule {i + 1} admits {why}{on} to pods of {shown}: "
                              "policies add up, so this re-opens the release's ingress isolation",
                              release.ref_of(o), release.source(o.doc))
