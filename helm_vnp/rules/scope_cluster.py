"""scope.cluster: the release creates cluster-scoped objects (or objects of unknown scope).

**What it checks.** Every object whose kind is cluster-scoped: ClusterRole,
ClusterRoleBinding, CustomResourceDefinition, Mutating/ValidatingWebhookConfiguration,
PriorityClass, StorageClass, Namespace, PersistentVolume, APIService, … Built-in
kinds are classified from a table; a custom resource is classified by its
CustomResourceDefinition when the same release renders it (``spec.scope``).
A custom resource whose CRD is not in the release has an *unknown* scope: it is
reported as such (severity info), never guessed.

**Why.** Isolation in the style of vCluster's isolated mode fences one
namespace: its NetworkPolicies, ResourceQuota and LimitRange only govern
namespaced objects, and a tenant that may only write in its namespace cannot
install these objects at all.  A ClusterRole or a webhook configuration acts on
the whole cluster; a CRD changes the API for everyone.

**Example that triggers it**::

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: my-app-reader}

**Fix.** Use the namespaced equivalent (Role/RoleBinding), turn the feature off
in the chart's values (e.g. ``rbac.clusterScope: false``, ``crds.enabled:
false``, ``admissionWebhooks.enabled: false``) and let the platform team install
the cluster-wide parts once, or accept it knowingly by putting
``vnp.helm-plugin.io/disable: scope.cluster`` on the object.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.record import replace
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="scope.cluster", severity="warning",
            summary="cluster-scoped objects escape the release namespace's isolation")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.kinds import CLUSTER, UNKNOWN, kind_info
    for o in release.objects:
        if o.generated:
            continue
        info = kind_info(o.api_version, o.kind, release.crds)
        if info.scope == CLUSTER:
            why = "" if info.source == "built-in" else f" (scope from {info.source})"
            yield Finding(RULE.id, RULE.severity,
                          f"{o.kind} {o.name} is cluster-scoped{why}: it lives outside namespace "
                          f"{release.namespace}, its effect is cluster-wide, and installing it needs rights "
                          "beyond the namespace", replace(release.ref_of(o), namespace=""),
                          release.source(o.doc))
        elif info.scope == UNKNOWN:
            yield Finding(RULE.id, "info",
                          f"{o.kind} {o.name} ({o.api_version}): scope unknown - no built-in kind and no "
                          "CustomResourceDefinition in this release declares it; if it is cluster-scoped it "
                          "escapes the namespace", release.ref_of(o), release.source(o.doc))
