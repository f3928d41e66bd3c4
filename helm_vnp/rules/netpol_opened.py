"""netpol.opened: a way into the release that vnp opened because one of its objects declares it.

**What it checks.** With isolation on (``networkPolicy.enabled``), every entry
point the release's own objects declare and that vnp opens with a NetworkPolicy
of its own (named ``vnp-<release>-from-...``, annotated
``vnp.helm-plugin.io/reason``):

- the backends of an ``Ingress``, from the pods of its class's controller
  (``networkPolicy.ingressControllers``; the class is ``spec.ingressClassName``,
  else the ``kubernetes.io/ingress.class`` annotation, else the release's
  IngressClass marked ``ingressclass.kubernetes.io/is-default-class``, else
  ``networkPolicy.defaultIngressClass``);
- the backends of an ``HTTPRoute``/``GRPCRoute``/``TLSRoute``/``TCPRoute``,
  from the pods of its parent Gateways (``networkPolicy.gateways``);
- the Service behind an admission webhook, an ``APIService`` or a CRD
  conversion webhook, from the API server (``networkPolicy.apiServer.peers``);
- a ``LoadBalancer``/``NodePort`` Service or one with ``externalIPs``, from
  every address (``networkPolicy.exposedServices: allow``);
- the Services of a ``ServiceMonitor`` and the pods of a ``PodMonitor``, from
  Prometheus (``networkPolicy.monitoring``);
- and one way out: pods whose ServiceAccount a RoleBinding/ClusterRoleBinding of
  the release binds, with the token mounted (they call the API), get egress to
  ``networkPolicy.apiServer.peers`` on ``networkPolicy.apiServer.ports``.

Each policy selects only the release's pods that the Service (or PodMonitor)
selects and admits only the Service's target ports.

**Why.** Isolation that breaks the release is switched off by its users; isolation
that opens paths silently is not reviewed.  This finding says what was opened,
for whom and why, so a reviewer can narrow it (a preset that does not match the
cluster, an API server that has a known address).

**Example that triggers it**::

    kind: Ingress
    metadata: {name: web}
    spec:
      ingressClassName: nginx
      defaultBackend: {service: {name: web, port: {number: 80}}}
    # values: policies.networkPolicy.enabled: true

**Fix.** Nothing to fix: it is information.  To open less, set the peers (e.g.
``networkPolicy.apiServer.peers`` to the control-plane CIDRs); to open nothing, set
the controller, Gateway or peers to ``none``/``[]`` (then ``netpol.blocked`` reports
the entry point instead).  Disable the rule to silence it.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.opened", severity="info",
            summary="an entry point the release declares (Ingress, route, webhook, exposed Service, monitor) "
                    "opened by vnp")

NARROW = (" (every address, the default: set policies.networkPolicy.apiServer.peers to the control-plane "
          "addresses to narrow it)")


def check(release: Release, options: dict) -> Iterable[Finding]:
    opened = [e for e in release.entry_points if e.opened]
    if not opened:
        return
    from helm_vnp.config.defaults import ANYWHERE
    from helm_vnp.generate.networkpolicy import traffic_policy_name
    for e in opened:
        o = release.declaring(e)
        if o is None:
            continue
        policy = f"NetworkPolicy {traffic_policy_name(release.name, e)}"
        what = (f"{policy} lets its pods reach {_peers(e.peers)}" if e.direction == "egress"
                else f"{policy} admits {_peers(e.peers)} to the pods {e.target} selects")
        narrow = NARROW if e.category in ("apiServer", "apiCaller") and list(e.peers) == ANYWHERE else ""
        yield Finding(RULE.id, RULE.severity, f"{e.reason}: {what}{narrow}", release.ref_of(o), release.source(o.doc))


def _peers(peers) -> str:
    """``0.0.0.0/0, ::/0``, or each peer as compact JSON (exactly what the policy says)."""
    import json
    return ", ".join(str(peer["ipBlock"].get("cidr")) if isinstance(peer.get("ipBlock"), dict)
                     else json.dumps(peer, sort_keys=True, separators=(",", ":")) for peer in peers)
