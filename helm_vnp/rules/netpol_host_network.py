"""netpol.hostNetwork: pods on the host network are not subject to NetworkPolicy.

**What it checks.** Every workload whose pod template sets ``hostNetwork: true``.

**Why.** A host-network pod shares the node's network namespace: it has the
node's IP address and NetworkPolicies neither select it nor, reliably, match it
as a peer.  None of the isolation helm-vnp generates applies to it; it can reach
everything the node can (including the cloud metadata endpoint and the kubelet).
With ``podSecurityStandard: baseline`` or stricter the pod is rejected anyway
(``pss.hostNamespaces``).

**Example that triggers it**::

    kind: DaemonSet
    spec:
      template:
        spec:
          hostNetwork: true

**Fix.** Turn off host networking in the chart's values (node exporters usually
offer ``hostNetwork: false``), or install that component outside the tenant
namespace.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.hostNetwork", severity="warning",
            summary="pods with hostNetwork: true escape NetworkPolicy entirely")


def check(release: Release, options: dict) -> Iterable[Finding]:
    for ps in release.pods:
        if ps.host_network:
            o = ps.owner
            yield Finding(RULE.id, RULE.severity,
                          f"{o.kind} {o.name}: pods use hostNetwork: true - they share the node's network "
                          "and no NetworkPolicy (vnp's or the chart's) applies to them",
                          release.ref_of(o), release.source(o.doc))
