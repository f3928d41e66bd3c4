"""Defaults of the ``policies`` block (v0.31+ layout plus helm-vnp extensions).

They play the part of a chart's values.yaml: user values are coalesced onto them
with Helm's rules, so a user ``null`` removes a default (e.g. one quota entry).
``tests/config`` checks they agree with the ``default`` annotations of the schema.
"""
from __future__ import annotations

# vCluster's public egress exceptions plus 169.254.0.0/16 (link-local: cloud metadata).
DEFAULT_PUBLIC_EXCEPT = ["100.64.0.0/10", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
                         "192.168.0.0/16", "169.254.0.0/16"]
# vCluster has no IPv6 entry; this keeps loopback, ULA, link-local and v4-mapped out.
DEFAULT_EXTRA_IP_BLOCKS = [{"cidr": "::/0", "except": ["::1/128", "fc00::/7", "fe80::/10", "::ffff:0:0/96"]}]

DEFAULT_POLICIES = {
    "selection": "podLabel",
    "podSecurityStandard": "",
    "podSecurityVersion": "latest",
    "podSecurity": {"mode": "enforce", "exemptions": []},
    "workloadKinds": [],
    "unknownWorkloads": "error",
    "networkPolicy": {
        "enabled": False,
        "fallbackDns": "8.8.8.8",
        "labels": {},
        "annotations": {},
        "dns": {"preset": "kube-dns"},
        "controlPlane": {"platform": True, "ingress": [], "egress": []},
        "workload": {
            "publicEgress": {"enabled": True, "cidr": "0.0.0.0/0", "except": DEFAULT_PUBLIC_EXCEPT,
                             "extraIpBlocks": DEFAULT_EXTRA_IP_BLOCKS},
            "ingress": [],
            "egress": [],
        },
    },
    "resourceQuota": {
        "enabled": "auto",
        "quota": {
            "requests.cpu": "10", "requests.memory": "20Gi", "requests.storage": "100Gi",
            "requests.ephemeral-storage": "60Gi", "limits.cpu": "20", "limits.memory": "40Gi",
            "limits.ephemeral-storage": "160Gi", "services.nodeports": "0", "services.loadbalancers": "1",
            "count/endpoints": "40", "count/pods": "20", "count/services": "20", "count/secrets": "100",
            "count/configmaps": "100", "count/persistentvolumeclaims": "20",
        },
        "scopes": [],
        "scopeSelector": {},
        "labels": {},
        "annotations": {},
    },
    "limitRange": {
        "enabled": "auto",
        "default": {"ephemeral-storage": "8Gi", "memory": "512Mi", "cpu": "1"},
        "defaultRequest": {"ephemeral-storage": "3Gi", "memory": "128Mi", "cpu": "100m"},
        "min": {},
        "max": {},
        "labels": {},
        "annotations": {},
    },
}

# policies.networkPolicy.dns.preset -> where that cluster DNS runs.
DNS_PRESETS = {
    "kube-dns": {"ports": [53],
                 "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                 "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}},
    "openshift": {"ports": [5353],
                  "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "openshift-dns"}},
                  "podSelector": {"matchLabels": {"dns.operator.openshift.io/daemonset-dns": "default"}}},
    # vCluster's own DNS pods run in the release namespace: no namespaceSelector.
    "vcluster": {"ports": [1053], "namespaceSelector": None,
                 "podSelector": {"matchLabels": {"k8s-app": "vcluster-kube-dns"}}},
}
