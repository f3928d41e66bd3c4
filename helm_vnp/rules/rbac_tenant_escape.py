"""rbac.tenantEscape: a Role or ClusterRole of the release grants a way out of the tenant.

**What it checks.** Every Role and ClusterRole the chart renders, rule by rule, read
as the API server's RBAC authorizer reads them (``*`` in ``apiGroups``,
``resources`` and ``verbs``; ``*/subresource``; ``resourceNames``), for grants that
let whoever holds the role step outside the namespace vnp fences, or take any
permission at all:

* ``*`` verbs on ``*`` resources in ``*`` groups: everything (cluster-admin); in a Role,
  everything in the namespace, every ServiceAccount token in it included, and so every
  permission bound to any of those ServiceAccounts;
* ``escalate`` on ``roles`` / ``clusterroles``: writing roles with permissions it does
  not hold, so it can grant itself any permission;
* ``bind`` on ``roles`` / ``clusterroles``: binding roles it does not hold,
  ``cluster-admin`` included;
* ``impersonate`` on ``users``, ``groups``, ``serviceaccounts``, ``userextras``,
  ``uids``: acting as anyone (the group ``system:masters`` holds every permission);
* create/update/patch/delete on ``roles``, ``rolebindings``, ``clusterroles``,
  ``clusterrolebindings``: rewriting who holds what, handing its permissions to any
  subject, removing or changing other tenants' roles and bindings;
* create/update/patch/delete on mutating admission webhook configurations or policies:
  rewriting any API request in the cluster (a container injected into any pod),
  objects (Secrets included) sent to a webhook of its choice, admission switched off;
* the same on validating ones: rejecting any API request in the cluster, objects sent
  to a webhook of its choice, validation switched off;
* create/update/patch/delete on ``customresourcedefinitions``: changing or deleting any
  API type (deleting a CRD deletes every object of its kind in every namespace), its
  conversion webhook pointed at a service of its own;
* create/update/patch/delete on ``apiservices``: a whole API group routed to a service
  of its choice, which then serves and sees every request for it;
* get/create on ``nodes/proxy``: the kubelet API of every node, so commands in any pod
  (the kubelet authorizes a WebSocket exec, an HTTP GET, as ``get``), past pods/exec
  authorization and admission;
* cluster-wide create on ``pods/exec``, ``pods/attach`` (older API servers accepted
  ``get`` for a WebSocket exec too; not reported) and create on
  ``serviceaccounts/token``: commands in, or tokens of, any pod or ServiceAccount of any
  namespace, the control plane's add-ons included.

Where a grant reaches: a Role only in its namespace, so its cluster-scoped grants are
void (``bind`` on ``clusterroles`` is not: a RoleBinding to a ClusterRole is checked
in the binding's namespace); exec and token grants in a Role stay inside the tenant
and are not reported.  A ClusterRole is judged as cluster-wide unless every binding
of it in the release is a RoleBinding (then as those namespaces).  Rules of an
aggregated ClusterRole (``aggregationRule``) are filled in by the controller from
other ClusterRoles and are not seen here.

**resourceNames.** A rule limited by ``resourceNames`` grants only requests that name
one of those objects: it can never grant ``create`` or ``deletecollection``, and its
other grants reach only the named objects.  That is narrower but not harmless (a job
that may update its own webhook configuration can still widen it to every request in
the cluster), so it is reported at ``warning`` and names the objects.

**Not reported here** (other routes to the same end, common in operators and better
judged case by case): reading Secrets cluster-wide, and creating workloads in any
namespace (kube-prometheus-stack's operator manages StatefulSets everywhere), which
lets a pod run as any ServiceAccount it can name.

**Why.** vnp's isolation fences one namespace: NetworkPolicies, quota, Pod Security.
RBAC is the other half of a tenant boundary, and these grants reach around all of it:
one compromised pod holding such a role owns the cluster, or every other tenant.

**Example that triggers it**::

    kind: ClusterRole
    rules:
    - apiGroups: [admissionregistration.k8s.io]
      resources: [validatingwebhookconfigurations]
      verbs: [get, update]

**Fix.** Narrow the role: name the objects (``resourceNames``), drop the verbs the
workload does not need, use a Role in the release namespace instead of a
ClusterRole; or let the platform team install the cluster-wide part (webhook CA
injection, CRDs) once, outside the tenant's release.  Accept it knowingly with
``vnp.helm-plugin.io/disable: rbac.tenantEscape`` on the role.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.record import record
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="rbac.tenantEscape", severity="error",
            summary="a Role or ClusterRole of the release grants escalation, impersonation or cluster-wide control")

CLUSTER, NAMESPACE = "cluster", "namespace"
MUTATING = ("mutatingwebhookconfigurations", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings")
VALIDATING = ("validatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings")


@record(frozen=True)
class Danger:
    """Grants of ``verbs`` on (group, resource) ``targets`` that enable ``what``; ``reach``: the scopes in
    which the grant means an escape (a Role reaches only its namespace)."""
    name: str
    targets: tuple
    verbs: tuple
    what: str
    reach: tuple = (CLUSTER, NAMESPACE)


def _on(group: str, *resources: str) -> tuple:
    return tuple((group, r) for r in resources)


WRITE = ("create", "update", "patch", "delete", "deletecollection")
RBAC = "rbac.authorization.k8s.io"
DANGERS = (
    Danger("escalate", _on(RBAC, "roles"), ("escalate",),
           "can write roles with permissions it does not hold: it can grant itself any permission"),
    Danger("escalate", _on(RBAC, "clusterroles"), ("escalate",),
           "can write ClusterRoles with permissions it does not hold: it can grant itself any permission",
           (CLUSTER,)),
    Danger("bind", _on(RBAC, "roles", "clusterroles"), ("bind",),
           "can bind roles it does not hold (cluster-admin included): it can grant itself any permission"),
    Danger("impersonate", _on("", "users", "groups") + _on("authentication.k8s.io", "userextras/*", "uids"),
           ("impersonate",), "can act as any user or group (system:masters holds every permission)", (CLUSTER,)),
    Danger("impersonate", _on("", "serviceaccounts"), ("impersonate",),
           "can act as any ServiceAccount, with every permission bound to it"),
    Danger("write RBAC", _on(RBAC, "roles", "rolebindings"), WRITE,
           "can rewrite who holds what: hand its permissions to any subject, remove or change other "
           "subjects' roles and bindings"),
    Danger("write RBAC", _on(RBAC, "clusterroles", "clusterrolebindings"), WRITE,
           "can rewrite who holds what cluster-wide: hand its permissions to any subject, remove or change "
           "other tenants' ClusterRoles and bindings", (CLUSTER,)),
    Danger("write admission", _on("admissionregistration.k8s.io", *MUTATING), WRITE,
           "can rewrite any API request in the cluster (e.g. inject a container into any pod), have the objects "
           "(Secrets included) sent to a webhook of its choice, or switch that admission control off", (CLUSTER,)),
    Danger("write admission", _on("admissionregistration.k8s.io", *VALIDATING), WRITE,
           "can reject any API request in the cluster, have the objects (Secrets included) sent to a webhook of "
           "its choice, or switch that validation off", (CLUSTER,)),
    Danger("write CRDs", _on("apiextensions.k8s.io", "customresourcedefinitions"), WRITE,
           "can change or delete any API type in the cluster (deleting a CRD deletes every object of its kind "
           "in every namespace) and point its conversion webhook at a service of its own", (CLUSTER,)),
    Danger("write APIServices", _on("apiregistration.k8s.io", "apiservices"), WRITE,
           "can route a whole API group to a service of its choice, which then serves and sees every request "
           "for it", (CLUSTER,)),
    Danger("node proxy", _on("", "nodes/proxy"), ("get", "create"),
           "reaches every kubelet's API: it can run commands in any pod on any node, past pods/exec "
           "authorization and admission", (CLUSTER,)),
    Danger("exec", _on("", "pods/exec", "pods/attach"), ("create",),
           "can run commands in any pod of any namespace (the control plane's add-ons included) and take its "
           "ServiceAccount's permissions", (CLUSTER,)),
    Danger("tokens", _on("", "serviceaccounts/token"), ("create",),
           "can mint a token for any ServiceAccount of any namespace and hold its permissions", (CLUSTER,)),
)


def _reach(o, bindings: dict) -> tuple[str, str]:
    """(CLUSTER or NAMESPACE, where) for a role: a Role is its namespace's; a ClusterRole is cluster-wide
    unless the release binds it only with RoleBindings."""
    if o.kind == "Role":
        return NAMESPACE, f"namespace {o.namespace}"
    kinds = bindings.get(o.name, [])
    if kinds and all(k == "RoleBinding" for k, _ in kinds):
        namespaces = sorted({ns for _, ns in kinds})
        return NAMESPACE, "namespace " + ", ".join(namespaces)
    return CLUSTER, "the cluster"


def _cluster_role_bindings(release: Release) -> dict:
    """ClusterRole name -> [(binding kind, namespace)] of the release's bindings that refer to it."""
    out: dict = {}
    for o in release.objects:
        if o.kind in ("RoleBinding", "ClusterRoleBinding") and o.api_version.startswith(f"{RBAC}/"):
            ref = o.obj.get("roleRef") if isinstance(o.obj.get("roleRef"), dict) else {}
            if ref.get("kind") == "ClusterRole" and ref.get("name"):
                out.setdefault(str(ref["name"]), []).append((o.kind, o.namespace))
    return out


def _star(rule: dict) -> bool:
    def has(key):
        return isinstance(rule.get(key), list) and "*" in [str(v) for v in rule[key]]
    return has("apiGroups") and has("resources") and has("verbs") and not rule.get("resourceNames")


def _findings(rule: dict, scope: str) -> Iterable[tuple[str, str, tuple, tuple]]:
    """(grant, what it enables, verbs, names) for each danger one rule grants within ``scope``."""
    from helm_vnp.k8s.rbac import grants
    if _star(rule):
        what = ("holds every permission in the cluster (cluster-admin)" if scope == CLUSTER else
                "holds every permission in the namespace: every Secret and ServiceAccount token in it, and so "
                "every permission bound to any of its ServiceAccounts, cluster-wide ones included")
        yield "* on * in every API group", what, ("*",), ()
        return
    for danger in DANGERS:
        if scope not in danger.reach:
            continue
        found = [g for group, resource in danger.targets if (g := grants(rule, group, resource, danger.verbs))]
        if not found:
            continue
        verbs = tuple(dict.fromkeys(v for g in found for v in g.verbs))
        resources = ", ".join(dict.fromkeys(g.resource for g in found))
        names = tuple(dict.fromkeys(n for g in found for n in g.names)) if all(g.names for g in found) else ()
        yield f"{'/'.join(verbs)} on {resources}", danger.what, verbs, names


def check(release: Release, options: dict) -> Iterable[Finding]:
    bindings = _cluster_role_bindings(release)
    for o in release.objects:
        if o.generated or o.kind not in ("Role", "ClusterRole") or not o.api_version.startswith(f"{RBAC}/"):
            continue
        rules = o.obj.get("rules") if isinstance(o.obj.get("rules"), list) else []
        scope, where = _reach(o, bindings)
        aggregated = sorted(k for k, v in ((o.obj.get("metadata") or {}).get("labels") or {}).items()
                            if str(k).startswith("rbac.authorization.k8s.io/aggregate-to-") and str(v) == "true")
        also = (f"; its {', '.join(aggregated)} label adds these rules to those built-in roles, so every subject "
                "bound to them gets them too") if aggregated else ""
        seen = set()
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            for grant, what, _, names in _findings(rule, scope):
                if (grant, names) in seen:
                    continue
                seen.add((grant, names))
                if names:
                    yield Finding(RULE.id, "warning",
                                  f"{o.kind} {o.name} rule {i + 1} grants {grant} in {where} on the objects named "
                                  f"{', '.join(names)} only: narrower, so check what those are (without the names, "
                                  f"whoever holds it {what}){also}", release.ref_of(o), release.source(o.doc))
                else:
                    yield Finding(RULE.id, RULE.severity,
                                  f"{o.kind} {o.name} rule {i + 1} grants {grant} in {where}: whoever holds it "
                                  f"{what}{also}", release.ref_of(o), release.source(o.doc))
