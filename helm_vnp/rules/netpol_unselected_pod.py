"""netpol.unselectedPod: with vnp's isolation off, a pod of the release that no NetworkPolicy selects.

**What it checks.** Only when ``policies.networkPolicy.enabled`` is false (with it on,
vnp's own policies select every pod of the release): every pod template of the
release (test hooks and host-network pods aside: ``helm test`` pods are short-lived,
and NetworkPolicy does not apply to the host network, see ``netpol.hostNetwork``)
that no NetworkPolicy of the release in its namespace selects, in either direction.

**Why.** A pod no policy selects accepts connections from every pod of the cluster
and may connect anywhere.  kube-score (``pod-networkpolicy``) and kube-linter
(``non-isolated-pod``) report the same.

**Severity.** ``warning`` when the chart renders NetworkPolicies in that namespace
but none selects this pod: the chart meant to isolate its pods and missed this one
(a component added later, labels that differ).  ``info`` when the chart renders no
NetworkPolicy there at all: the release runs unisolated by choice, and one setting,
``policies.networkPolicy.enabled: true``, isolates every pod.  Policies installed
outside the release (a platform's namespace default deny) are not seen.

**Example that triggers it**::

    kind: Deployment            # app: web, app: worker
    ---
    kind: NetworkPolicy
    spec:
      podSelector: {matchLabels: {app: web}}   # worker is selected by nothing

**Fix.** Turn on vnp's isolation (``policies.networkPolicy.enabled: true``), or
extend the chart's policies to the pod.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.unselectedPod", severity="warning",
            summary="with vnp's isolation off, a pod of the release is selected by no NetworkPolicy")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import selects
    if release.policies["networkPolicy"]["enabled"]:
        return
    policies = release.network_policies
    for ps in release.pods:
        o = ps.owner
        if ps.host_network or o.test_hook:
            continue
        here = [p for p in policies if p.namespace == o.namespace]
        if any(selects(p.pod_selector, ps.labels) for p in here):
            continue
        if here:
            yield Finding(RULE.id, RULE.severity,
                          f"{o.kind} {o.name}: none of the chart's {len(here)} NetworkPolicies in namespace "
                          f"{o.namespace} selects its pods, so they accept connections from every pod of the "
                          "cluster and may connect anywhere: extend a policy to them or set "
                          "policies.networkPolicy.enabled: true", release.ref_of(o), release.source(o.doc))
        else:
            yield Finding(RULE.id, "info",
                          f"{o.kind} {o.name}: no NetworkPolicy selects its pods (vnp's isolation is off and the "
                          f"chart renders none in namespace {o.namespace}), so they accept connections from every "
                          "pod of the cluster; policies.networkPolicy.enabled: true isolates them",
                          release.ref_of(o), release.source(o.doc))
