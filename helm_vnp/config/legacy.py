"""Older ways of writing the same settings, turned into the v0.31+ layout.

* vCluster v0.20-v0.30 keys under ``policies.networkPolicy`` (outgoingConnections,
  extraWorkloadRules, extraControlPlaneRules) map one-to-one onto v0.31+ keys; writing
  both spellings of one setting is an error naming both paths.
* vCluster <= 0.19 top-level ``isolation.*`` is converted (with a warning naming the
  new key) or, for keys with no helm-vnp meaning, rejected.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

from helm_vnp.base.errors import Problem
from helm_vnp.config.paths import join

NP = ["policies", "networkPolicy"]
# old path -> new path, both relative to policies.networkPolicy
OLD_TO_NEW = [
    (["extraWorkloadRules"], ["workload", "egress"]),
    (["extraControlPlaneRules"], ["controlPlane", "egress"]),
    (["outgoingConnections", "ipBlock", "cidr"], ["workload", "publicEgress", "cidr"]),
    (["outgoingConnections", "ipBlock", "except"], ["workload", "publicEgress", "except"]),
    (["outgoingConnections", "extraIpBlocks"], ["workload", "publicEgress", "extraIpBlocks"]),
    (["outgoingConnections", "platform"], ["controlPlane", "platform"]),
]
OLD_ROOTS = ["extraWorkloadRules", "extraControlPlaneRules", "outgoingConnections"]
# one setting, two spellings: (old-layout paths, new-layout path)
SAME_SETTING = [
    ([["extraWorkloadRules"]], ["workload", "egress"]),
    ([["extraControlPlaneRules"]], ["controlPlane", "egress"]),
    ([["outgoingConnections", "ipBlock"], ["outgoingConnections", "extraIpBlocks"]], ["workload", "publicEgress"]),
    ([["outgoingConnections", "platform"]], ["controlPlane", "platform"]),
]

Locate = Callable[[str], tuple]


def lookup(tree: Any, path: list) -> tuple[bool, Any]:
    """(found, value); a null on the way counts as found-null (it deletes everything below)."""
    for seg in path:
        if tree is None:
            return True, None
        if not isinstance(tree, dict) or seg not in tree:
            return False, None
        tree = tree[seg]
    return True, tree


def _set(tree: dict, path: list, value: Any) -> None:
    for seg in path[:-1]:
        if not isinstance(tree.get(seg), dict):
            tree[seg] = {}
        tree = tree[seg]
    tree[path[-1]] = value


def mixed_layouts(stripped: dict, locate: Locate) -> list[Problem]:
    """Errors for settings written in both layouts (``stripped``: values without null deletions)."""
    problems = []
    for olds, new in SAME_SETTING:
        if not lookup(stripped, NP + new)[0]:
            continue
        for old in olds:
            if lookup(stripped, NP + old)[0]:
                old_p, new_p = join(NP + old), join(NP + new)
                file, line = locate(old_p)
                problems.append(Problem(
                    f"same setting as {new_p}: use either the v0.20-v0.30 layout or the v0.31+ one",
                    path=old_p, file=file, line=line, expected="only one of the two",
                    hint=f"keep {new_p} and remove this key"))
    return problems


def to_new_layout(policies: Any) -> Any:
    """Copy of the user's policies (nulls kept) with v0.30 keys moved to their v0.31+ places."""
    if not isinstance(policies, dict) or not isinstance(policies.get("networkPolicy"), dict):
        return copy.deepcopy(policies)
    out = copy.deepcopy(policies)
    np = out["networkPolicy"]
    for old, new in OLD_TO_NEW:
        found, value = lookup(np, old)
        if found:
            _set(np, new, value)
    for key in OLD_ROOTS:
        np.pop(key, None)
    return out


# isolation.<key> -> policies path; value default when isolation.enabled is true
ISOLATION_MAP = [
    (["podSecurityStandard"], ["podSecurityStandard"], "baseline"),
    (["resourceQuota", "enabled"], ["resourceQuota", "enabled"], True),
    (["resourceQuota", "quota"], ["resourceQuota", "quota"], None),
    (["resourceQuota", "scopes"], ["resourceQuota", "scopes"], None),
    (["resourceQuota", "scopeSelector"], ["resourceQuota", "scopeSelector"], None),
    (["limitRange", "enabled"], ["limitRange", "enabled"], True),
    (["limitRange", "default"], ["limitRange", "default"], None),
    (["limitRange", "defaultRequest"], ["limitRange", "defaultRequest"], None),
    (["networkPolicy", "enabled"], ["networkPolicy", "enabled"], True),
    (["networkPolicy", "outgoingConnections", "ipBlock", "cidr"],
     ["networkPolicy", "workload", "publicEgress", "cidr"], None),
    (["networkPolicy", "outgoingConnections", "ipBlock", "except"],
     ["networkPolicy", "workload", "publicEgress", "except"], None),
    (["networkPolicy", "outgoingConnections", "extraIpBlocks"],
     ["networkPolicy", "workload", "publicEgress", "extraIpBlocks"], None),
    (["networkPolicy", "outgoingConnections", "platform"], ["networkPolicy", "controlPlane", "platform"], None),
]
ISOLATION_REJECTED = {
    "namespace": "not supported: helm-vnp puts its objects in the release namespace",
    "nodeProxyPermission": "not supported: not an isolation setting "
                           "(vCluster v0.20 replaced it with rbac.clusterRole)",
}


def convert_isolation(isolation: Any, policies: Any, locate: Locate) -> tuple[dict, list[Problem], list[Problem]]:
    """Merge vCluster <= 0.19 ``isolation`` (nulls stripped) into ``policies`` (new layout).

    Returns (policies, errors, warnings)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    policies = copy.deepcopy(policies) if isinstance(policies, dict) else {}
    if not isinstance(isolation, dict) or not isolation:
        return policies, errors, warnings
    for key, message in ISOLATION_REJECTED.items():
        if key in isolation:
            file, line = locate(f"isolation.{key}")
            errors.append(Problem(message, path=f"isolation.{key}", file=file, line=line, value=isolation[key],
                                  hint="remove it"))
    if isolation.get("enabled") is not True:
        file, line = locate("isolation")
        warnings.append(Problem("ignored: isolation.* (vCluster <= 0.19) only applies with isolation.enabled: true; "
                                "use the policies block instead", path="isolation", file=file, line=line))
        return policies, errors, warnings
    implied = []
    for old, new, default in ISOLATION_MAP:
        found, value = lookup(isolation, old)
        if not found:
            if default is None:
                continue
            value = default
        target = join(["policies"] + new)
        old_p = join(["isolation"] + old)
        if lookup(policies, new)[0]:
            if not found:  # an implied default never overrides an explicit policies value
                continue
            file, line = locate(old_p if found else "isolation.enabled")
            errors.append(Problem(f"same setting as {target}, which replaced it",
                                  path=old_p, file=file, line=line, expected="only one of the two",
                                  hint="remove this vCluster <= 0.19 key"))
            continue
        _set(policies, new, copy.deepcopy(value))
        if found:
            file, line = locate(old_p)
            warnings.append(Problem(f"deprecated (vCluster <= 0.19): converted to {target}", path=old_p,
                                    file=file, line=line, value=value, hint=f"write {target} instead"))
        else:
            implied.append(f"{target}={_word(value)}")
    file, line = locate("isolation.enabled")
    warnings.append(Problem("deprecated (vCluster <= 0.19): converted"
                            + (" to " + ", ".join(implied) if implied else ""),
                            path="isolation.enabled", file=file, line=line, value=True,
                            hint="write the policies block instead"))
    return policies, errors, warnings


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
