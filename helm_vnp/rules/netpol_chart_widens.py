"""netpol.chartWidens: a NetworkPolicy of the chart allows what vnp's isolation denies.

**What it checks.** Each NetworkPolicy the chart itself renders is added, alone, to
vnp's generated policies, and the connectivity engine computes what that adds: every
connection to or from the release's workloads that vnp's isolation denies and the
chart's policy allows, exactly (ports, protocols, address ranges).  The other side
of each connection is the rest of the world: any pod of another namespace, a pod of
the release namespace outside the release, the pods each of the policy's peers
describes (in a namespace its ``namespaceSelector`` matches), and every address
range outside the cluster.  So an ``ipBlock`` of ``0.0.0.0/0`` with a tiny ``except``
is caught, and so is a ``namespaceSelector`` that matches every namespace by an
``Exists`` on ``kubernetes.io/metadata.name``.  Silent when vnp generates no
NetworkPolicy (nothing of vnp's is widened then).

**Why.** NetworkPolicies are additive: the union of all policies selecting a pod
is allowed.  vnp's generated policies deny ingress from other namespaces, but one
permissive chart policy re-opens the fence for the pods it selects, whatever
``policies.networkPolicy`` says.

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

import bisect
from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.chartWidens", severity="warning",
            summary="a chart NetworkPolicy allows connections vnp's isolation denies")

OTHER_NAMESPACE = "another-namespace"  # a namespace no manifest labels: any tenant's
SHOWN = 4  # connections named in a message; the rest are counted


def _peer_pods(policy: dict, namespace: str, index: int):
    """(Workload, namespace name, namespace labels, description) for one pod each peer of ``policy``
    describes, outside the release."""
    from helm_vnp.connectivity.labels import example_labels
    from helm_vnp.connectivity.workloads import NS_NAME_LABEL, Workload
    spec = policy.get("spec") if isinstance(policy.get("spec"), dict) else {}
    out = []
    for direction, key in (("ingress", "from"), ("egress", "to")):
        for r, rule in enumerate(spec.get(direction) or [] if isinstance(spec.get(direction), list) else []):
            peers = rule.get(key) if isinstance(rule, dict) else None
            for p, peer in enumerate(peers if isinstance(peers, list) else []):
                if not isinstance(peer, dict) or "ipBlock" in peer:
                    continue
                pod_labels = example_labels(peer.get("podSelector"))
                if pod_labels is None:
                    continue
                if "namespaceSelector" in peer:
                    ns_labels = example_labels(peer.get("namespaceSelector"))
                    if ns_labels is None:
                        continue
                    ns = ns_labels.get(NS_NAME_LABEL) or f"peer-{index}-{direction}-{r}-{p}"
                    ns_labels = {**ns_labels, NS_NAME_LABEL: ns}
                else:
                    ns, ns_labels = namespace, None
                name = f"peer-{index}-{direction}-{r}-{p}"
                shown = ",".join(f"{k}={v}" for k, v in sorted(pod_labels.items())) or "any labels"
                where = f"of {ns} outside the release" if ns_labels is None else (
                    f"of namespace {ns}" if NS_NAME_LABEL in ((peer.get("namespaceSelector") or {}).get(
                        "matchLabels") or {}) else "of any namespace its namespaceSelector matches")
                out.append((Workload(ns, name, "Pod", pod_labels, {}), ns, ns_labels,
                            f"a pod {where} ({shown}; {direction} rule {r + 1})"))
    return out


def _opened(release: Release, generated: list[dict], policy: dict, index: int) -> list[str]:
    """``src => dst : connections`` for every connection ``policy`` adds to what ``generated`` allows,
    between the release's workloads and the rest of the world."""
    from helm_vnp.connectivity import compute
    from helm_vnp.connectivity.addresses import show
    from helm_vnp.connectivity.workloads import NS_NAME_LABEL, Workload, from_templates, namespace_labels

    members = from_templates(release.pods)
    if not members:
        return []
    ours = len(members)
    names = {w.key: w.key for w in members}
    extra = [(Workload(OTHER_NAMESPACE, "any-pod", "Pod", {}, {}), OTHER_NAMESPACE, None,
              "any pod of another namespace"),
             (Workload(release.namespace, "pod-outside-release", "Pod", {}, {}), release.namespace, None,
              f"a pod of {release.namespace} outside the release")]
    extra += _peer_pods(policy, policy["metadata"]["namespace"], index)
    namespaces_objs = [o.obj for o in release.objects if o.kind == "Namespace"]
    namespaces = namespace_labels(namespaces_objs, {w.namespace for w in members} | {release.namespace})
    for w, ns, labels, description in extra:
        members.append(w)
        names[w.key] = description
        if labels is not None:
            namespaces.setdefault(ns, {}).update(labels)
        namespaces.setdefault(ns, {NS_NAME_LABEL: ns})
    base = compute(members, generated, namespaces, release.namespace)
    widened = compute(members, [*generated, policy], namespaces, release.namespace)
    out = []
    for a in range(len(members)):
        for b in range(len(members)):
            if a == b or (a >= ours and b >= ours):
                continue
            added = widened.between(a, b) - base.between(a, b)
            if added:
                out.append(f"{names[members[a].key]} => {names[members[b].key]} : {added}")
    starts = [r[:2] for r in base.ranges]
    for direction, table, base_table in (("ingress", widened.ingress_ext, base.ingress_ext),
                                         ("egress", widened.egress_ext, base.egress_ext)):
        for w in range(ours):
            now = table.get(widened.class_of[w], ())
            before = base_table.get(base.class_of[w], ())
            runs: list = []  # [version, lo, hi, added]: adjacent ranges with the same connections merged
            for r, conn in enumerate(now):
                version, lo, hi = widened.ranges[r]
                added = (conn - before[bisect.bisect_right(starts, (version, lo)) - 1]) if before else conn
                if not added:
                    continue
                if runs and runs[-1][0] == version and runs[-1][2] + 1 == lo and runs[-1][3] == added:
                    runs[-1][2] = hi
                else:
                    runs.append([version, lo, hi, added])
            key = members[w].key
            for version, lo, hi, added in runs:
                rng = show(version, lo, hi)
                out.append(f"{rng} => {key} : {added}" if direction == "ingress" else f"{key} => {rng} : {added}")
    return out


def check(release: Release, options: dict) -> Iterable[Finding]:
    generated = []
    chart = []
    for o in release.objects:
        if o.kind != "NetworkPolicy" or not o.api_version.startswith("networking.k8s.io/"):
            continue
        (generated if o.generated else chart).append((o, o.placed))
    if not generated:
        return
    for index, (o, obj) in enumerate(chart):
        opened = _opened(release, [g for _, g in generated], obj, index)
        if not opened:
            continue
        shown = "; ".join(opened[:SHOWN]) + (f"; and {len(opened) - SHOWN} more" if len(opened) > SHOWN else "")
        yield Finding(RULE.id, RULE.severity,
                      f"NetworkPolicy {o.name} allows what vnp's isolation denies ({len(opened)} connection"
                      f"{'s' if len(opened) != 1 else ''}): {shown}. Policies add up, so this re-opens the "
                      "release's isolation", release.ref_of(o), release.source(o.doc))
