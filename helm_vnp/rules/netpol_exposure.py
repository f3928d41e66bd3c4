"""netpol.exposure: Services reachable from outside the cluster, past ingress isolation.

**What it checks.** Services of ``type: NodePort`` or ``type: LoadBalancer``,
and Services with ``externalIPs``.

**Why.** Traffic to a node port or a load balancer arrives from outside the
namespace fence; depending on the CNI and ``externalTrafficPolicy`` the source
address is the node's (SNAT), which ingress rules cannot tell apart from
legitimate traffic, so the release is exposed beyond what its NetworkPolicies
say.  ``externalIPs`` let a Service claim arbitrary addresses (CVE-2020-8554).
With the reference quota (``services.nodeports: 0``, ``services.loadbalancers:
1``) a NodePort Service - and a LoadBalancer one that allocates node ports - is
refused at install (see ``quota.fit``).

**Example that triggers it**::

    kind: Service
    spec:
      type: NodePort
      ports: [{port: 80}]

**Fix.** Use ``type: ClusterIP`` and expose the release through the platform's
Ingress/Gateway; for a LoadBalancer that must stay, set
``allocateLoadBalancerNodePorts: false`` where the load balancer supports it.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.text import plural
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.exposure", severity="warning",
            summary="NodePort/LoadBalancer Services and externalIPs bypass ingress isolation")


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
                          "ingress isolation does not cover it", release.ref_of(o), release.source(o.doc))
