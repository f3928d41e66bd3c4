"""netpol.peerMatchesNothing: a chart NetworkPolicy peer names pods of the release namespace that do not exist.

**What it checks.** Every ``from``/``to`` peer of the chart's NetworkPolicies in the
release namespace whose pods are in the release namespace (a ``podSelector``
without ``namespaceSelector``, or with one that selects the release namespace by
its ``kubernetes.io/metadata.name`` label only) and whose non-empty
``podSelector`` matches no pod template of the release.  Peers in other
namespaces are not judged: the release does not own them, and their pods are
someone else's.

**Why.** The rule was written to let some component in (or out), and its selector
names none: the traffic it was meant for is denied, usually after install, when a
client times out.  The usual causes are a label that changed, or a component that
is disabled in the values.

**Severity.** ``warning``; ``info`` when the release also renders custom resources,
whose controllers may create the pods it means (vnp does not see those).  Another
release installed in the same namespace is not seen either: share a namespace
and the peer may be its pods.

**Example that triggers it**::

    kind: NetworkPolicy
    spec:
      podSelector: {matchLabels: {app: db}}
      ingress:
      - from: [{podSelector: {matchLabels: {app: api}}}]   # no pod has app: api

**Fix.** Make the peer's selector match the pods' labels, or drop the rule.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.text import unseen_pods_note
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.peerMatchesNothing", severity="warning",
            summary="a chart NetworkPolicy peer selects no pod of the release in the release namespace")


def _own_namespace(peer: dict, namespace: str) -> bool:
    """Whether the peer's pods are those of ``namespace`` only (no namespaceSelector, or one naming it)."""
    from helm_vnp.k8s.netpol import NS_NAME_LABEL
    if "namespaceSelector" not in peer:
        return True
    ns = peer.get("namespaceSelector")
    return isinstance(ns, dict) and set(ns) == {"matchLabels"} and ns["matchLabels"] == {NS_NAME_LABEL: namespace}


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import policies_from, selects
    from helm_vnp.k8s.selectors import label_selector_problem, shown
    for o in release.objects:
        if o.generated or o.kind != "NetworkPolicy" or not o.api_version.startswith("networking.k8s.io/") \
                or o.namespace != release.namespace:
            continue
        [pol] = policies_from([o.obj], release.namespace)
        pods = release.pods_in(o.namespace)
        for direction, key, rules in (("ingress", "from", pol.ingress), ("egress", "to", pol.egress)):
            for i, rule in enumerate(rules):
                peers = rule.get(key) if isinstance(rule.get(key), list) else []
                for j, peer in enumerate(peers):
                    if not isinstance(peer, dict) or "ipBlock" in peer or not _own_namespace(peer, o.namespace):
                        continue
                    sel = peer.get("podSelector")
                    if not sel or not isinstance(sel, dict) or label_selector_problem(sel):
                        continue  # every pod; malformed: netpol.malformedSelector's
                    if any(selects(sel, ps.labels) for ps in pods):
                        continue
                    note = unseen_pods_note(release.unseen_pod_makers)
                    yield Finding(RULE.id, "info" if note else RULE.severity,
                                  f"NetworkPolicy {o.name} {direction} rule {i + 1} peer {j + 1}: podSelector "
                                  f"{shown(sel)} matches no pod of the release in namespace {o.namespace}, so the "
                                  f"rule admits no pod through it{note}", release.ref_of(o), release.source(o.doc))
