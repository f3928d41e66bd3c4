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

from dataclasses import dataclass

RBAC_GROUP = "rbac.authorization.k8s.io"
WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
# verbs no request naming one object can carry: a resourceNames-limited rule cannot grant them
UNNAMED_VERBS = ("create", "deletecollection", "list", "watch")


@dataclass(frozen=True)
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
