"""config.emptyPolicy: isolation is enabled but generates nothing that takes effect.

**What it checks.**

- ``networkPolicy.enabled: true`` while no generated NetworkPolicy selects any
  pod the release renders (e.g. ``selection: workloadSelectors`` and no
  workload has a usable selector, or the release renders no pods at all):
  nothing is isolated although the config says it is.
- ``resourceQuota.enabled: true`` with an empty ``quota``: the ResourceQuota
  limits nothing.
- ``limitRange.enabled: true`` with no ``default``, ``defaultRequest``, ``min``
  or ``max``: the LimitRange does nothing.

**Why.** An enabled feature that silently does nothing is worse than a
disabled one: everyone believes the release is fenced in.

**Example that triggers it**::

    policies:
      resourceQuota:
        enabled: true
        quota: null        # removes every default entry (an empty map would keep them: maps merge)

**Fix.** Fill in the settings (or drop the ``null`` overrides that removed the
defaults), or set ``enabled: false`` to say what is meant.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="config.emptyPolicy", severity="warning",
            summary="isolation enabled but the generated policy, quota or limit range is empty or selects nothing")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import policies_from, selects
    p = release.policies
    if p["networkPolicy"]["enabled"]:
        generated = policies_from(release.generated, release.namespace)
        pods = [ps for ps in release.pods if ps.owner.namespace == release.namespace]
        if not any(selects(g.pod_selector, ps.labels) for g in generated for ps in pods):
            why = ("no NetworkPolicy is generated" if not generated
                   else f"the generated NetworkPolicies select none of the {len(pods)} pod templates")
            yield Finding(RULE.id, RULE.severity,
                          f"policies.networkPolicy.enabled is true but {why} of the release: nothing is isolated",
                          ObjectRef(), release.config_source("policies.networkPolicy.enabled"))
    if p["resourceQuota"]["enabled"] and not p["resourceQuota"]["quota"]:
        yield Finding(RULE.id, RULE.severity,
                      "policies.resourceQuota.enabled is true but the quota is empty: the ResourceQuota limits nothing",
                      ObjectRef(),
                      release.config_source("policies.resourceQuota.quota", "policies.resourceQuota.enabled"))
    lr = p["limitRange"]
    if lr["enabled"] and not (lr["default"] or lr["defaultRequest"] or lr["min"] or lr["max"]):
        yield Finding(RULE.id, RULE.severity,
                      "policies.limitRange.enabled is true but default, defaultRequest, min and max are all empty: "
                      "the LimitRange does nothing", ObjectRef(),
                      release.config_source("policies.limitRange.default", "policies.limitRange.enabled"))
