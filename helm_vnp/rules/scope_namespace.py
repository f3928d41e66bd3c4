"""scope.namespace: objects placed in a namespace other than the release namespace.

**What it checks.** Every namespaced object (or object of unknown scope) whose
``metadata.namespace`` is set and differs from the release namespace.
Cluster-scoped objects are left to ``scope.cluster`` (their namespace field is
ignored by the API server).

**Why.** vCluster's isolation model is *everything in a single namespace*: the
generated NetworkPolicies, ResourceQuota and LimitRange exist only in the
release namespace, so an object in ``kube-system`` is outside all of them - a
Service there is not fenced, a pod there is not counted, and a tenant limited to
its namespace cannot create it.  kube-prometheus-stack, for example, puts its
scrape Services for the control plane in ``kube-system``.

With isolation on (``networkPolicy.enabled``), a pod-creating object in another
namespace is an **error** under ``networkPolicy.otherNamespaces: refuse`` (the
default): the post-renderer refuses the render (exit 2), since its pods would
run outside every policy of the release.  ``otherNamespaces: isolate`` generates
the release's NetworkPolicies in that namespace too (a warning remains: the
quota and limit range do not apply there); ``allow`` lets it pass with a
warning.

**Example that triggers it** (release namespace ``team-a``)::

    apiVersion: v1
    kind: Service
    metadata: {name: exporter, namespace: kube-system}

**Fix.** Drop the hard-coded namespace (``{{ .Release.Namespace }}``), disable
the component in the chart's values, or install that part separately from the
platform side; for pods that must run elsewhere, set
``policies.networkPolicy.otherNamespaces: isolate``.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="scope.namespace", severity="warning",
            summary="objects in another namespace are outside the release's isolation")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.kinds import CLUSTER, UNKNOWN, scope_of
    from helm_vnp.k8s.pod_creators import is_pod_creator
    netpol = release.policies["networkPolicy"]
    isolating = netpol["enabled"]
    mode = netpol.get("otherNamespaces") or "refuse"
    for o in release.objects:
        if o.generated or o.namespace == release.namespace:
            continue
        scope = scope_of(o.api_version, o.kind, release.crds)
        if scope == CLUSTER:
            continue
        maybe = " (if it is namespaced: its scope is unknown)" if scope == UNKNOWN else ""
        if isolating and o.doc is not None and is_pod_creator(o.api_version, o.kind, release.declared_kinds):
            yield _pods_elsewhere(release, o, mode)
            continue
        yield Finding(RULE.id, RULE.severity,
                      f"{o.kind} {o.name} is created in namespace {o.namespace}, not the release namespace "
                      f"{release.namespace}{maybe}: the release's NetworkPolicies, quota and limit range do not "
                      "apply there", release.ref_of(o), release.source(o.doc))


def _pods_elsewhere(release: Release, o, mode: str) -> Finding:
    """A pod-creating object in another namespace while isolation is on: what the post-renderer does."""
    head = f"{o.kind} {o.name} creates pods in namespace {o.namespace}, not the release namespace {release.namespace}"
    if mode == "isolate":
        text = (f"{head}: the release's NetworkPolicies are generated there too (networkPolicy.otherNamespaces: "
                "isolate); its quota and limit range do not apply there")
        return Finding(RULE.id, RULE.severity, text, release.ref_of(o), release.source(o.doc))
    if mode == "allow":
        text = (f"{head}: the release's NetworkPolicies do not cover its pods, which run unisolated "
                "(networkPolicy.otherNamespaces: allow)")
        return Finding(RULE.id, RULE.severity, text, release.ref_of(o), release.source(o.doc))
    text = (f"{head}: the release's NetworkPolicies do not cover its pods, so the post-renderer refuses the "
            "render (exit 2); render it into the release namespace, or set "
            "policies.networkPolicy.otherNamespaces: isolate (the release's NetworkPolicies are generated there "
            "too) or allow (it passes unisolated)")
    return Finding(RULE.id, "error", text, release.ref_of(o), release.source(o.doc))
