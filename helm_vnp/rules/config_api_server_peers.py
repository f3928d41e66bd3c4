"""config.apiServerPeers: the control plane may reach every address on the API-server ports.

**What it checks.** With isolation on and a control plane
(``policies.networkPolicy.controlPlane.selector``), whether
``policies.networkPolicy.apiServer.peers`` was left unset.

**Why.** The control-plane policy lets its pods reach the API server on 443,
6443 and 8443 (and ``apiServer.ports``) at ``apiServer.peers`` only (vCluster's
rule has no ``to`` at all: every address).  Where the API server is differs per
cluster (a private node address on kubeadm, k3s, kind and EKS, a public one on
some managed clusters), so by default the peers are every address and the
release keeps working everywhere - but then the control plane also reaches
every pod and Service in the cluster that listens on those ports, other
tenants' included, and every host on the internet.

**Example that triggers it**::

    policies:
      networkPolicy:
        enabled: true
        controlPlane:
          selector: {matchLabels: {app: vcluster}}

**Fix.** Set ``policies.networkPolicy.apiServer.peers`` to the API server's
addresses (``kubectl get endpointslices -n default -l
kubernetes.io/service-name=kubernetes``), e.g.
``[{ipBlock: {cidr: 10.0.0.10/32}}]``.  Setting it explicitly to every address
(``[{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: ::/0}}]``) silences this.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="config.apiServerPeers", severity="warning",
            summary="the control plane may reach every address on the API-server ports (apiServer.peers unset)")
PATH = "policies.networkPolicy.apiServer.peers"
SELECTOR = "policies.networkPolicy.controlPlane.selector"


def check(release: Release, options: dict) -> Iterable[Finding]:
    netpol = release.policies["networkPolicy"]
    if not netpol["enabled"] or not netpol["controlPlane"]["selector"]:
        return
    if any(p in release.origins for p in (PATH, "policies.networkPolicy.apiServer")):
        return
    yield Finding(RULE.id, RULE.severity,
                  f"{PATH} is unset: the control-plane policy lets the control plane reach every address on "
                  "the API-server ports (other tenants' pods and Services listening on 443, 6443 or 8443 "
                  f"included); set {PATH} to the API server's addresses "
                  "(kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)",
                  ObjectRef(), release.config_source(SELECTOR))
