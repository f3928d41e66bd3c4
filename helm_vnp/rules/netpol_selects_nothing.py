"""netpol.selectsNothing: a NetworkPolicy of the chart selects no pod of the release.

**What it checks.** Every NetworkPolicy the chart renders in the release namespace
with a non-empty ``podSelector``: does it select at least one pod template of the
release (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, hooks
included), as the NetworkPolicy simulator matches labels?  An empty ``podSelector``
(``{}``, every pod of the namespace, e.g. a default deny) is not reported; a
malformed one is ``netpol.malformedSelector``'s.

**Why.** A policy that selects nothing protects nothing: its label does not match
the pods (a renamed component, a typo, ``app`` versus ``app.kubernetes.io/name``),
so the pods it was written for run without the isolation the chart author meant,
and nothing says so.  kube-score reports the same (``networkpolicy-targets-pod``).

**Severity.** ``warning``; ``info`` when the release also renders custom resources,
whose controllers may create the pods it is meant for (vnp does not see those).

**Example that triggers it**::

    kind: Deployment            # pods labelled app: web
    ---
    kind: NetworkPolicy
    spec:
      podSelector: {matchLabels: {app: wbe}}

**Fix.** Make the selector match the pods' labels (``kubectl get pods --show-labels``
after install, or the pod template in ``helm template``), or drop the policy.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.text import unseen_pods_note
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.selectsNothing", severity="warning",
            summary="a chart NetworkPolicy selects no pod of the release")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import policies_from, selects
    from helm_vnp.k8s.selectors import label_selector_problem, shown
    for o in release.objects:
        if o.generated or o.kind != "NetworkPolicy" or not o.api_version.startswith("networking.k8s.io/") \
                or o.namespace != release.namespace:
            continue
        [pol] = policies_from([o.obj], release.namespace)
        spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
        raw = spec.get("podSelector")
        if not pol.pod_selector or label_selector_problem(raw):
            continue  # every pod of the namespace; a malformed selector is netpol.malformedSelector's
        if any(selects(pol.pod_selector, ps.labels) for ps in release.pods_in(o.namespace)):
            continue
        note = unseen_pods_note(release.unseen_pod_makers)
        yield Finding(RULE.id, "info" if note else RULE.severity,
                      f"NetworkPolicy {o.name}: its podSelector {shown(pol.pod_selector)} selects no pod of the "
                      f"release in namespace {o.namespace}, so it isolates nothing{note}",
                      release.ref_of(o), release.source(o.doc))
