"""config.redundantRule: an extra network rule that allows nothing new.

**What it checks.** Each rule in ``policies.networkPolicy.workload.ingress`` /
``egress`` and ``controlPlane.ingress`` / ``egress`` against the built-in rules
vnp generates for the same policy (traffic between the release's pods, cluster
DNS, public egress, fallback DNS, control plane) and against the other extra
rules: when every peer and port it allows is already allowed by one of them,
the rule is redundant.  Containment is decided conservatively (label selectors
by their ``matchLabels``, ipBlocks by CIDR and ``except``), so a rule that
is reported is surely redundant, never the other way round.

**Why.** Built-in allows cannot be narrowed (as in vCluster), so a rule that
repeats one usually comes from a misunderstanding - often a DNS rule copied
from another setup (which, on the wrong port, is what ``netpol.dnsPort``
catches).  Removing it keeps the config honest about what it opens.

**Example that triggers it** (default ``dns`` preset kube-dns, port 53)::

    policies:
      networkPolicy:
        enabled: true
        workload:
          egress:
          - to:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
              podSelector: {matchLabels: {k8s-app: kube-dns}}
            ports: [{port: 53, protocol: UDP}]

**Fix.** Delete the rule.
"""
from __future__ import annotations

import json
from typing import Iterable

from helm_vnp.config.rule_paths import NETPOL, user_rules
from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="config.redundantRule", severity="info",
            summary="an extra network rule already covered by a built-in rule or another extra rule")


def _generated_rules(release: Release) -> dict:
    """(section, direction) -> the rules of vnp's policy for that section, built-in ones first."""
    from helm_vnp.generate.meta import object_name
    cp_name = object_name(release.name, "control-plane")
    out = {}
    for obj in release.generated:
        if obj.get("kind") != "NetworkPolicy":
            continue
        section = "controlPlane" if obj["metadata"]["name"] == cp_name else "workload"
        for direction in ("ingress", "egress"):
            out.setdefault((section, direction), obj["spec"].get(direction) or [])
    return out


MAX_PAIRWISE = 300  # user rules per list checked against each other; beyond: exact repeats only


def _show(rule: dict) -> str:
    text = json.dumps(rule, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= 140 else text[:137] + "..."


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import rule_within
    netpol = release.policies["networkPolicy"]
    if not netpol["enabled"]:
        return
    generated = _generated_rules(release)
    first_seen: dict = {}
    for section, direction, peer_key, i, rule in user_rules(release.policies):
        mine = netpol[section][direction]
        rules = generated.get((section, direction))
        if rules is None:
            continue  # no policy for this section (e.g. no control-plane selector)
        n = len(mine)
        builtins = rules[:-n] if n and rules[-n:] == mine else []
        path = f"{NETPOL}.{section}.{direction}[{i}]"
        cover = next((b for b in builtins if rule_within(rule, b, peer_key)), None)
        if cover is not None:
            yield Finding(RULE.id, RULE.severity,
                          f"{path} is already allowed by the built-in {direction} rule {_show(cover)}: "
                          "it has no effect",
                          ObjectRef(), release.config_source(path))
            continue
        if len(mine) > MAX_PAIRWISE:  # every pair of thousands of rules would take minutes: duplicates only
            key = json.dumps(rule, sort_keys=True)
            j = first_seen.setdefault((section, direction), {}).setdefault(key, i)
            if j != i:
                yield Finding(RULE.id, RULE.severity,
                              f"{path} repeats {NETPOL}.{section}.{direction}[{j}]: it has no effect",
                              ObjectRef(), release.config_source(path))
            continue
        for j, other in enumerate(mine):
            if j == i or not isinstance(other, dict) or not rule_within(rule, other, peer_key):
                continue
            if rule_within(other, rule, peer_key) and j > i:
                continue  # equivalent rules: report the later one
            yield Finding(RULE.id, RULE.severity,
                          f"{path} is already allowed by {NETPOL}.{section}.{direction}[{j}]: it has no effect",
                          ObjectRef(), release.config_source(path))
            break
