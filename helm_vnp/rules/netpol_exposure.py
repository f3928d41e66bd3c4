"""netpol.exposure: Services reachable from outside the cluster, and what NetworkPolicy can say about it.

**What it checks.** Services of ``type: NodePort`` or ``type: LoadBalancer``,
and Services with ``externalIPs``.

**Why.** Traffic that arrives through a node port, a load balancer or an external
IP is delivered to the Service's pods like any other, and on most network plugins
(Calico, Cilium, OVN-Kubernetes, Antrea, kube-router; not on plugins without
NetworkPolicy support) the pods' *ingress* policies apply to it.  What the policy
sees as the source depends on the Service:

- ``externalTrafficPolicy: Cluster`` (the default): the node that received the
  packet may forward it to a pod on another node and rewrites (SNATs) the source
  to a node address.  A policy therefore cannot tell clients apart: admitting
  "every address" admits everyone; admitting only some client ranges blocks
  forwarded traffic unpredictably.
- ``externalTrafficPolicy: Local``: only nodes with a ready pod receive
  traffic and the client's own address is kept, so ipBlock rules apply to the
  real clients (plus the node's health checks).
- ``externalIPs``: as ``Cluster``; and they let a Service claim arbitrary
  addresses (CVE-2020-8554).

Under vnp's isolation, ``networkPolicy.exposedServices: allow`` (the default)
follows the chart: ingress from every address, IPv4 and IPv6, on the Service's
target ports only (``netpol.opened`` names the policy); ``deny`` opens nothing,
so the Service is unreachable from outside (``netpol.blocked``).  Without
isolation nothing restricts it.  With the reference quota (``services.nodeports:
0``, ``services.loadbalancers: 1``) a NodePort Service - and a LoadBalancer one
that allocates node ports - is refused at install (see ``quota.fit``).

**Example that triggers it**::

    kind: Service
    spec:
      type: NodePort
      ports: [{port: 80}]

**Fix.** Use ``type: ClusterIP`` and expose the release through the platform's
Ingress/Gateway; for a LoadBalancer that must stay, set
``externalTrafficPolicy: Local`` to keep client addresses (then a
``networkPolicy.workload.ingress`` rule with ipBlocks can restrict clients,
with ``exposedServices: deny``), and ``allocateLoadBalancerNodePorts: false``
where the load balancer supports it.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.text import plural
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.exposure", severity="warning",
            summary="NodePort/LoadBalancer Services and externalIPs take traffic from outside the cluster")


def _nodeport_quota(release: Release) -> str | None:
    """The smallest ``services.nodeports`` hard limit in force for the release namespace."""
    from helm_vnp.k8s.quantity import format_quantity, try_quantity
    limits = []
    for o in release.objects:
        if o.kind == "ResourceQuota" and o.namespace == release.namespace:
            spec = o.obj.get("spec") or {}
            if spec.get("scopes") or spec.get("scopeSelector"):
                continue
            q = try_quantity(((spec.get("hard") or {}).get("services.nodeports")))
            if q is not None:
                limits.append(q)
    return format_quantity(min(limits)) if limits else None


def check(release: Release, options: dict) -> Iterable[Finding]:
    nodeports_hard = None
    for o in release.objects:
        if o.generated or o.kind != "Service" or o.api_version != "v1":
            continue
        spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
        kind = spec.get("type") or "ClusterIP"
        ports = spec.get("ports") if isinstance(spec.get("ports"), list) else []
        parts = []
        if kind in ("NodePort", "LoadBalancer"):
            allocates = kind == "NodePort" or spec.get("allocateLoadBalancerNodePorts") is not False
            text = f"type {kind}"
            if allocates:
                text += f" opens {plural(len(ports), 'node port')} on every node"
                if nodeports_hard is None:
                    nodeports_hard = _nodeport_quota(release) or ""
                if nodeports_hard == "0" and ports:
                    text += " (the quota's services.nodeports: 0 makes it fail to install)"
            parts.append(text)
        external = spec.get("externalIPs")
        if isinstance(external, list) and external:
            parts.append(f"externalIPs {', '.join(str(x) for x in external)}")
        if parts:
            yield Finding(RULE.id, RULE.severity,
                          f"Service {o.name} is reachable from outside the cluster: {'; '.join(parts)} - "
                          + _verdict(release, spec), release.ref_of(o), release.source(o.doc))


def _verdict(release: Release, spec: dict) -> str:
    """What the pods' ingress policies make of that traffic, per setting."""
    local = spec.get("externalTrafficPolicy") == "Local" and not spec.get("externalIPs")
    source = ("clients keep their own address (externalTrafficPolicy: Local), so ipBlock rules see them" if local
              else "the pods see a node address as the source (externalTrafficPolicy: Cluster), so no "
                   "NetworkPolicy can tell clients apart")
    netpol = release.policies["networkPolicy"]
    if not netpol["enabled"]:
        return f"no isolation restricts it; {source}"
    if netpol["exposedServices"] == "deny":
        return "the isolation refuses it (policies.networkPolicy.exposedServices: deny; see netpol.blocked)"
    return (f"the isolation admits every address on its target ports (policies.networkPolicy.exposedServices: "
            f"allow; see netpol.opened); {source}")
