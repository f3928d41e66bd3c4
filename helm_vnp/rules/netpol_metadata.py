"""netpol.metadata: the release's pods can reach the cloud metadata endpoint.

**What it checks.** For every pod template of the release (host-network pods
are left to ``netpol.hostNetwork``), whether its effective egress reaches the
instance metadata service - ``169.254.169.254:80`` (AWS, GCP, Azure, OpenStack,
…) and ``[fd00:ec2::254]:80`` (AWS IPv6).  Effective egress is the union of
every NetworkPolicy selecting the pod in the release namespace: vnp's generated
ones (built-in allows plus ``policies.networkPolicy.workload.egress`` /
``controlPlane.egress``) and the chart's own.  Checked when isolation is on
(``networkPolicy.enabled``) or when a chart policy isolates the pod's egress.

**Why.** The metadata endpoint hands out the node's cloud credentials and
bootstrap data; a pod that reaches it can often act as the node.  vCluster's
default public egress (``0.0.0.0/0`` except private ranges) leaves
``169.254.0.0/16`` reachable; helm-vnp's default excludes it (and
``fc00::/7`` on IPv6), so this fires when that exception is removed or a user
rule (``to: []`` or an ``ipBlock`` around it) re-opens it.

**Example that triggers it**::

    policies:
      networkPolicy:
        enabled: true
        workload:
          egress:
          - to: [{ipBlock: {cidr: 0.0.0.0/0}}]

**Fix.** Keep ``169.254.0.0/16`` (and ``fc00::/7`` or ``fd00:ec2::254/128``) in
the ``except`` list of every wide ``ipBlock``; narrow user egress rules to the
addresses and ports actually needed.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.metadata", severity="warning",
            summary="effective egress reaches the cloud metadata endpoint 169.254.169.254 / fd00:ec2::254")

METADATA_ENDPOINTS = ("169.254.169.254", "fd00:ec2::254")
METADATA_PORT = 80


def _describe(by: tuple) -> str:
    return ", ".join(f"egress rule {i + 1} of NetworkPolicy {name}" for name, i in by[:3])


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import egress
    policies = release.network_policies
    enabled = bool(release.policies["networkPolicy"]["enabled"])
    if not enabled and not policies:
        return
    for ps in release.pods:
        o = ps.owner
        if ps.host_network or o.namespace != release.namespace or o.test_hook:
            continue
        pod = ps.pod
        reached = []
        for ip in METADATA_ENDPOINTS:
            verdict = egress(policies, pod, ip, METADATA_PORT)
            if not verdict.allowed:
                continue
            if not verdict.isolated:
                if not enabled:
                    break  # no isolation claimed for this pod
                reached.append(f"{ip} (no NetworkPolicy isolates the pods' egress)")
            else:
                reached.append(f"{ip} (allowed by {_describe(verdict.by)})")
        if reached:
            endpoint = "endpoint" if len(reached) == 1 else "endpoints"
            yield Finding(RULE.id, RULE.severity,
                          f"{o.kind} {o.name}: pods can reach the cloud metadata {endpoint} on port {METADATA_PORT}: "
                          + "; ".join(reached), release.ref_of(o), release.source(o.doc))
