"""config.controlPlaneSelector: the control-plane selector matches no pod of the release.

**What it checks.** ``policies.networkPolicy.controlPlane.selector`` (vnp's
extension naming the release's control-plane pods) against the pod templates
the release renders in its namespace.

**Why.** The control-plane NetworkPolicy is written for pods that do not exist
in this release: its allows (API server, platform, DNS, the release's pods) go
unused - or, worse, apply to another release's pods that happen to carry those
labels in the same namespace.  Usually a label typo or a selector copied from
vCluster (``release: <name>``) to a chart that labels its pods differently.

**Example that triggers it**::

    policies:
      networkPolicy:
        enabled: true
        controlPlane:
          selector: {matchLabels: {app: vcluster}}   # the chart's pods say app: my-api

**Fix.** Use labels that the intended pods carry (see them with
``kubectl get pods --show-labels`` after a test install, or in the chart's
``podLabels``), or remove the selector if the release has no control plane.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="config.controlPlaneSelector", severity="warning",
            summary="the control-plane selector selects no pod the release renders")
PATH = "policies.networkPolicy.controlPlane.selector"


def check(release: Release, options: dict) -> Iterable[Finding]:
    import json

    from helm_vnp.k8s.netpol import selects
    netpol = release.policies["networkPolicy"]
    selector = netpol["controlPlane"]["selector"]
    if not netpol["enabled"] or not selector:
        return
    pods = [ps for ps in release.pods if ps.owner.namespace == release.namespace]
    if any(selects(selector, ps.labels) for ps in pods):
        return
    shown = json.dumps(selector, sort_keys=True, separators=(",", ":"))
    yield Finding(RULE.id, RULE.severity,
                  f"{PATH} {shown} selects none of the {len(pods)} pod templates the release renders in "
                  f"{release.namespace}: the control-plane policy protects nothing of this release "
                  "(and would apply to other pods with those labels)", ObjectRef(), release.config_source(PATH))
