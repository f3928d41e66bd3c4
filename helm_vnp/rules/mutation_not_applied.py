"""mutation.notApplied: a post-render mutation left a field as the chart wrote it.

With ``policies.hardening.enabled`` (or ``nodeIsolation``, ``serviceAccountTokens``), the
post-renderer sets pod and container fields only where the chart left them unset: an explicit
chart value is never overridden.  This rule names each field the chart set otherwise
(``runAsNonRoot: false``, ``runAsUser: 0``, ``allowPrivilegeEscalation: true``, a
``capabilities.drop`` list without ``ALL``, a ``seccompProfile`` of ``Unconfined``,
``automountServiceAccountToken: true`` on an account no binding of the release names), each
place the post-renderer could not reach (a kind whose pods come from its controller with no pod
spec vnp can edit: prometheus-operator's kinds, Argo Workflows, Spark, Deckhouse VMs; a KubeVirt
VM's spec is not a PodSpec), and each Helm hook Helm 3 never hands to a post-renderer.  The
``pss.*`` rules say what still fails the standard; this one says why vnp did not change it.

Fix: drop the explicit value from the chart's values (so hardening can set it), or exempt the
workload (``policies.podSecurity.exemptions``); on Helm 3, hooks stay as the chart renders them
(Helm 4 post-renders them).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("mutation.notApplied", "warning",
            "a post-render mutation (hardening, nodeIsolation, serviceAccountTokens) left a field as the chart set it")


def check(release: Release, options: dict) -> Iterable[Finding]:
    """One finding per note the post-render's mutations left."""
    for note in release.notes:
        yield Finding(RULE.id, RULE.severity, f"{note.feature}: {note.message}", release.ref(note.doc),
                      release.source(note.doc))
