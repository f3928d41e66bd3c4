"""RBAC as the API server's authorizer reads a PolicyRule: which (group, resource, verb) a rule grants.

A rule grants a request when one of its ``verbs`` is the verb or ``*``, one of
its ``apiGroups`` is the group or ``*``, and one of its ``resources`` is the
resource, ``*``, the resource with its subresource (``pods/exec``) or
``*/subresource`` (``pods/*`` is not a wildcard: it names nothing).
``resourceNames`` narrows a rule to requests that name one of those objects:
``create`` and ``deletecollection`` (and ``list``/``watch`` without a name)
never carry one, so such a rule cannot grant them.  ``nonResourceURLs`` rules
grant no resource.  A Role's rules apply in its namespace only, so a Role
cannot grant a cluster-scoped resource (a ClusterRole can).
"""
from __future__ import annotations

from helm_vnp.base.record import record

RBAC_GROUP = "rbac.authorization.k8s.io"
WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
# verbs no request naming one object can carry: a resourceNames-limited rule cannot grant them
UNNAMED_VERBS = ("create", "deletecollection", "list", "watch")


@record(frozen=True)
class Grant:
    """One thing a rule grants: ``verbs`` (as the rule names them, ``*`` kept) on ``group``/``resource``;
    ``names`` the resourceNames it is limited to (empty: every object)."""
    group: str
    resource: str
    verbs: tuple
    names: tuple = ()


def _strings(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def grants(rule, group: str, resource: str, verbs) -> Grant | None:
    """What of ``verbs`` on ``group``/``resource`` the PolicyRule ``rule`` grants, or None."""
    if not isinstance(rule, dict):
        return None
    rule_verbs, groups, resources = _strings(rule.get("verbs")), _strings(rule.get("apiGroups")), \
        _strings(rule.get("resources"))
    if not (("*" in groups or group in groups) and resource_matches(resources, resource)):
        return None
    names = tuple(_strings(rule.get("resourceNames")))
    granted = tuple(v for v in verbs if ("*" in rule_verbs or v in rule_verbs)
                    and not (names and v in UNNAMED_VERBS))
    return Grant(group, resource, granted, names) if granted else None


def resource_matches(rule_resources: list[str], resource: str) -> bool:
    """Whether a rule's ``resources`` list covers ``resource`` (``name`` or ``name/subresource``)."""
    if "*" in rule_resources or resource in rule_resources:
        return True
    _, slash, sub = resource.partition("/")
    return bool(slash) and f"*/{sub}" in rule_resources


def grants_anything(rule) -> bool:
    """Whether the API server would let this rule grant any request at all: a verb, and either a group
    and a resource, or a non-resource URL (a rule without them is empty, or rejected at install)."""
    if not isinstance(rule, dict) or not _strings(rule.get("verbs")):
        return False
    if _strings(rule.get("nonResourceURLs")):
        return True
    return bool(_strings(rule.get("apiGroups")) and _strings(rule.get("resources")))


def role_grants_anything(role: dict) -> bool:
    """A Role or ClusterRole that grants something: an aggregated ClusterRole (its rules are filled in
    by the controller from other ClusterRoles), or one rule that grants anything."""
    if not isinstance(role, dict):
        return False
    if isinstance(role.get("aggregationRule"), dict):
        return True
    rules = role.get("rules")
    return any(grants_anything(r) for r in rules) if isinstance(rules, list) else False


RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")


def service_account_bindings(objects, namespace: str) -> dict[tuple[str, str], list[str]]:
    """(namespace, ServiceAccount) -> the bindings among ``objects`` (plain dicts; no namespace: in
    ``namespace``) that give it a role granting something, described as ``RoleBinding x (Role y)``.

    The evidence that a pod calls the API: a binding to a role the objects hold and that grants anything,
    or to one they do not hold (a built-in such as ``view``: its rules are not vnp's to see).  A binding
    to a role that grants nothing (argo-cd's repo-server) is no evidence.  The lint rule
    ``netpol.apiServer`` and the generated API-server egress read the same answer."""
    def ns_of(obj: dict) -> str:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        return str(meta.get("namespace") or namespace)

    def name_of(obj: dict) -> str:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        return str(meta.get("name") or "")

    def rbac(obj, kinds) -> bool:
        return isinstance(obj, dict) and obj.get("kind") in kinds and \
            str(obj.get("apiVersion") or "").startswith(RBAC_GROUP + "/")

    objects = list(objects)
    roles = {(o["kind"], "" if o["kind"] == "ClusterRole" else ns_of(o), name_of(o)): o
             for o in objects if rbac(o, ROLE_KINDS)}
    out: dict[tuple[str, str], list[str]] = {}
    for b in objects:
        if not rbac(b, BINDING_KINDS):
            continue
        ref = b.get("roleRef") if isinstance(b.get("roleRef"), dict) else {}
        role_kind = "ClusterRole" if ref.get("kind") == "ClusterRole" else "Role"
        role = roles.get((role_kind, "" if role_kind == "ClusterRole" else ns_of(b), str(ref.get("name"))))
        if role is not None and not role_grants_anything(role):
            continue
        what = f"{b['kind']} {name_of(b)} ({ref.get('kind', 'Role')} {ref.get('name', '?')})"
        for s in b.get("subjects") if isinstance(b.get("subjects"), list) else []:
            if isinstance(s, dict) and s.get("kind") == "ServiceAccount" and s.get("name"):
                out.setdefault((str(s.get("namespace") or ns_of(b)), str(s["name"])), []).append(what)
    return out
