"""service.selectsNothing: a Service of the chart selects no pod of the release.

**What it checks.** Every Service the chart renders in the release namespace that
has a ``selector`` (a plain ``label: value`` map; a Service without one has its
endpoints managed by hand and is not judged, nor is an ``ExternalName`` Service):
does it select at least one pod template of the release?  A selector that is not
a plain map is ``netpol.malformedSelector``'s.

**Why.** A Service that selects no pod has no endpoints: every connection to it is
refused, and nothing fails at install.  kube-score (``service-targets-pod``) and
kube-linter (``dangling-service``) report the same.  For isolation it matters
twice: a Service is also how vnp's derived rules and a reviewer find which pods
serve which port.

**Severity.** ``warning``; ``info`` when the release also renders custom resources,
whose controllers may create the pods it is meant for (vnp does not see those,
e.g. the Prometheus pods behind kube-prometheus-stack's ``prometheus`` Service).

**Example that triggers it**::

    kind: Service
    spec:
      selector: {app: wbe}       # the Deployment's pods are app: web

**Fix.** Make the selector match the pods' labels.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.text import unseen_pods_note
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="service.selectsNothing", severity="warning",
            summary="a chart Service's selector matches no pod of the release")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.selectors import plain_selector_problem, shown
    for o in release.objects:
        if o.generated or o.kind != "Service" or o.api_version != "v1" or o.namespace != release.namespace:
            continue
        spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
        selector = spec.get("selector")
        if spec.get("type") == "ExternalName" or not selector or plain_selector_problem(selector):
            continue
        want = {str(k): "" if v is None else str(v) for k, v in selector.items()}
        if any(all(k in ps.labels and str(ps.labels[k]) == v for k, v in want.items())
               for ps in release.pods_in(o.namespace)):
            continue
        note = unseen_pods_note(release.unseen_pod_makers)
        yield Finding(RULE.id, "info" if note else RULE.severity,
                      f"Service {o.name}: its selector {shown(want)} matches no pod of the release in namespace "
                      f"{o.namespace}, so it has no endpoints and every connection to it is refused{note}",
                      release.ref_of(o), release.source(o.doc))
