"""Literal ``Policies`` inputs, in the shape ``helm_vnp.config.model`` defines.

Built by hand on purpose: the generators are tested against the contract,
not against whatever the loader currently produces.  Values follow vCluster's
defaults (quota, limit range, public egress) plus vnp's documented extensions
(metadata range excluded, an IPv6 block, configurable DNS ports).
"""
from __future__ import annotations

RELEASE = "shop"
NAMESPACE = "team-a"

KUBE_DNS = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}
IPV4_EXCEPT = ["100.64.0.0/10", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]
IPV6_EXCEPT = ["fc00::/7", "fe80::/10", "::1/128"]
CONTROL_PLANE = {"matchLabels": {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": RELEASE}}

# vCluster's defaults, as policies.resourceQuota.quota / policies.limitRange.* in its values.yaml
VCLUSTER_QUOTA = {
    "requests.cpu": "10",
    "requests.memory": "20Gi",
    "requests.storage": "100Gi",
    "requests.ephemeral-storage": "60Gi",
    "limits.cpu": "20",
    "limits.memory": "40Gi",
    "limits.ephemeral-storage": "160Gi",
    "services.nodeports": "0",
    "services.loadbalancers": "1",
    "count/endpoints": "40",
    "count/pods": "20",
    "count/services": "20",
    "count/secrets": "100",
    "count/configmaps": "100",
    "count/persistentvolumeclaims": "20",
}
VCLUSTER_LIMIT_DEFAULT = {"ephemeral-storage": "8Gi", "memory": "512Mi", "cpu": "1"}
VCLUSTER_LIMIT_DEFAULT_REQUEST = {"ephemeral-storage": "3Gi", "memory": "128Mi", "cpu": "100m"}

WORKLOADS = [
    {"kind": "Deployment", "name": "web", "selector": {"matchLabels": {"app": "web"}}},
    {
        "kind": "StatefulSet",
        "name": "db",
        "selector": {
            "matchLabels": {"app": "db"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["data"]}],
        },
    },
    {"kind": "Pod", "name": "debug", "selector": None},  # cannot be selected
]


def make_policies(
    *,
    network: bool = True,
    quota: bool = True,
    limits: bool = True,
    control_plane: dict | None = None,
    selection: str = "podLabel",
) -> dict:
    """A fresh, complete ``Policies`` dict; tests edit their own copy."""
    return {
        "selection": selection,
        "podSecurityStandard": "baseline",
        "podSecurityVersion": "latest",
        "podSecurity": {"mode": "enforce", "exemptions": []},
        "networkPolicy": {
            "enabled": network,
            "fallbackDns": "8.8.8.8",
            "labels": {},
            "annotations": {},
            "dns": {"ports": [53], "peers": [KUBE_DNS]},
            "controlPlane": {"selector": control_plane, "platform": True, "ingress": [], "egress": []},
            "workload": {
                "publicEgress": {
                    "enabled": True,
                    "ipBlocks": [
                        {"cidr": "0.0.0.0/0", "except": list(IPV4_EXCEPT)},
                        {"cidr": "::/0", "except": list(IPV6_EXCEPT)},
                    ],
                },
                "ingress": [],
                "egress": [],
            },
            "apiServer": {"peers": [{"ipBlock": {"cidr": "0.0.0.0/0"}}, {"ipBlock": {"cidr": "::/0"}}],
                          "ports": [443, 6443]},
        },
        "resourceQuota": {
            "enabled": quota,
            "quota": dict(VCLUSTER_QUOTA),
            "scopes": [],
            "scopeSelector": {},
            "labels": {},
            "annotations": {},
        },
        "limitRange": {
            "enabled": limits,
            "default": dict(VCLUSTER_LIMIT_DEFAULT),
            "defaultRequest": dict(VCLUSTER_LIMIT_DEFAULT_REQUEST),
            "min": {},
            "max": {},
            "labels": {},
            "annotations": {},
        },
    }


def by_name(objects: list[dict]) -> dict[str, dict]:
    """``kind/name`` -> object, asserting no two generated objects share a kind and name."""
    out = {f"{o['kind']}/{o['metadata']['name']}": o for o in objects}
    assert len(out) == len(objects), "two generated objects share kind and name"
    return out
