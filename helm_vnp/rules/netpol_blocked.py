"""netpol.blocked: a way into the release that its objects declare, but that the isolation blocks.

**What it checks.** With isolation on (``networkPolicy.enabled``), every entry
point the release's own objects declare (see ``netpol.opened``) that vnp does
*not* open, because no peer is known or a setting refuses it:

- an ``Ingress`` whose class has no controller preset and no
  ``networkPolicy.ingressControllers.<class>`` entry, whose class is set to
  ``none``, or that names no class while neither the release nor
  ``networkPolicy.defaultIngressClass`` says which class is the default;
- a Gateway API route whose parent Gateways are all set to ``none`` in
  ``networkPolicy.gateways``;
- an admission webhook, ``APIService`` or CRD conversion webhook served by the
  release while ``networkPolicy.apiServer.peers`` is ``[]``;
- a ``LoadBalancer``/``NodePort``/``externalIPs`` Service under
  ``networkPolicy.exposedServices: deny``;
- a ``ServiceMonitor``/``PodMonitor`` while ``networkPolicy.monitoring.peers`` is ``[]``.

Reported as an **error** when the block takes something else down: an admission
webhook with ``failurePolicy: Fail`` (the default of
``admissionregistration.k8s.io/v1``: the API server then refuses every request the
webhook matches, in the whole cluster), an ``APIService`` (discovery and namespace
deletion fail) or a conversion webhook (objects stored in another version cannot be
read); otherwise as a warning (the site, the scrape or the port is down).

A rule you added yourself in ``networkPolicy.workload.ingress`` is not credited:
disable the finding on the object (``vnp.helm-plugin.io/disable: netpol.blocked``)
once such a rule admits the traffic.

**Example that triggers it**::

    kind: Ingress
    metadata: {name: web}
    spec:
      ingressClassName: my-lb
      defaultBackend: {service: {name: web, port: {number: 80}}}
    # values: policies.networkPolicy.enabled: true (no preset for class my-lb)

**Fix.** Name the peers: ``networkPolicy.ingressControllers.my-lb.peers``,
``networkPolicy.gateways.<ns>/<name>.peers``, ``networkPolicy.apiServer.peers``
(the control-plane CIDRs), ``networkPolicy.monitoring.peers``; or let
``networkPolicy.exposedServices: allow`` follow the chart.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.blocked", severity="warning",
            summary="an entry point the release declares (Ingress, route, webhook, exposed Service, monitor) "
                    "stays blocked by the isolation")

WHO = {"ingress": "its ingress controller", "route": "its Gateway", "apiServer": "the API server",
       "exposed": "clients outside the cluster", "scrape": "Prometheus"}


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.services import show_port
    for e in release.entry_points:
        if e.opened or e.direction == "egress":  # pods that cannot reach the API server: netpol.apiServer
            continue
        o = release.declaring(e)
        if o is None:
            continue
        ports = ", ".join(show_port(p) for p in e.ports)
        text = (f"{e.kind} {e.name}: {WHO.get(e.category, 'its clients')} cannot reach {e.target} (port "
                f"{ports}) under the isolation: {e.blocked}")
        if e.fatal:
            text += f"; {e.fatal_why}"
        yield Finding(RULE.id, "error" if e.fatal else RULE.severity, text, release.ref_of(o), release.source(o.doc))
