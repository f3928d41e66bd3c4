"""Defaults of the ``policies`` block (v0.31+ layout plus helm-vnp extensions).

They play the part of a chart's values.yaml: user values are coalesced onto them
with Helm's rules, so a user ``null`` removes a default (e.g. one quota entry).
``tests/config`` checks they agree with the ``default`` annotations of the schema.
"""
from __future__ import annotations

# vCluster's public egress exceptions plus 169.254.0.0/16 (link-local: cloud metadata).
DEFAULT_PUBLIC_EXCEPT = ["100.64.0.0/10", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
                         "192.168.0.0/16", "169.254.0.0/16"]
# vCluster has no IPv6 entry; this keeps loopback, ULA and link-local out.  Not ::ffff:0:0/96 (v4-mapped):
# the API server refuses an IPv4-mapped range in an ipBlock (Kubernetes 1.33+, strict IP validation), and
# such addresses never reach the wire as IPv6 (the kernel sends IPv4, which the IPv4 rule governs).
DEFAULT_EXTRA_IP_BLOCKS = [{"cidr": "::/0", "except": ["::1/128", "fc00::/7", "fe80::/10"]}]

# Every address, both families: where the API server may be when nobody said (see the README's
# differences table) and who reaches a Service the chart exposes outside the cluster.
ANYWHERE = [{"ipBlock": {"cidr": "0.0.0.0/0"}}, {"ipBlock": {"cidr": "::/0"}}]

DEFAULT_POLICIES = {
    "selection": "podLabel",
    "podSecurityStandard": "",
    "podSecurityVersion": "latest",
    "podSecurity": {"mode": "enforce", "exemptions": []},
    "workloadKinds": [],
    "unknownWorkloads": "error",
    "hardening": {"enabled": False},
    "nodeIsolation": {"nodeSelector": {}, "tolerations": [], "runtimeClassName": "", "priorityClassName": "",
                      "override": False},
    "serviceAccountTokens": {"disableAutomount": False, "allow": []},
    "tenant": {"mode": "enforce"},  # every rule group off unless set
    "networkPolicy": {
        "enabled": False,
        "fallbackDns": "8.8.8.8",
        "labels": {},
        "annotations": {},
        "dns": {"preset": "kube-dns"},
        "controlPlane": {"platform": False, "ingress": [], "egress": []},
        "workload": {
            "publicEgress": {"enabled": True, "cidr": "0.0.0.0/0", "except": DEFAULT_PUBLIC_EXCEPT,
                             "extraIpBlocks": DEFAULT_EXTRA_IP_BLOCKS},
            "ingress": [],
            "egress": [],
        },
        "ingressControllers": {},
        "defaultIngressClass": "",
        "gateways": {},
        "apiServer": {"peers": ANYWHERE, "ports": [443, 6443]},
        "exposedServices": "allow",
        "otherNamespaces": "refuse",
        "project": "",
        "confineChartPolicies": False,
        "monitoring": {"namespace": "monitoring"},
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
    # NodeLocal DNSCache: pods query the node-local cache on a link-local address (excluded from public
    # egress with the metadata range 169.254.0.0/16), which forwards to kube-dns; either may answer
    "nodelocal": {"ports": [53],
                  "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                  "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                  "ipBlocks": ["169.254.20.10/32"]},
    # vCluster's own DNS pods run in the release namespace: no namespaceSelector.
    "vcluster": {"ports": [1053], "namespaceSelector": None,
                 "podSelector": {"matchLabels": {"k8s-app": "vcluster-kube-dns"}}},
}


def _in_namespaces(*names: str) -> dict:
    if len(names) == 1:
        return {"matchLabels": {"kubernetes.io/metadata.name": names[0]}}
    return {"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In", "values": list(names)}]}


# policies.networkPolicy.ingressControllers presets: ingress class -> the controller's pods, as
# each controller's official install puts them (namespace pinned: pod labels alone can be copied
# by any tenant).  A user entry for a class replaces the preset; "none" switches the class off.
INGRESS_CONTROLLER_PRESETS = {
    # ingress-nginx's official chart (kubernetes/ingress-nginx, charts/ingress-nginx), namespace ingress-nginx
    "nginx": [{"namespaceSelector": _in_namespaces("ingress-nginx"),
               "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx",
                                               "app.kubernetes.io/component": "controller"}}}],
    # Traefik's chart (traefik/traefik-helm-chart) in namespace traefik; k3s installs it in kube-system
    "traefik": [{"namespaceSelector": _in_namespaces("traefik", "kube-system"),
                 "podSelector": {"matchLabels": {"app.kubernetes.io/name": "traefik"}}}],
    # HAProxy Technologies' chart (haproxytech/kubernetes-ingress, namespace haproxy-controller) and
    # HAProxy Ingress (jcmoraisjr/haproxy-ingress); both default to class haproxy
    "haproxy": [{"namespaceSelector": _in_namespaces("haproxy-controller", "haproxy-ingress", "ingress-controller"),
                 "podSelector": {"matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "In",
                                                       "values": ["kubernetes-ingress", "haproxy-ingress"]}]}}],
    # Contour's quickstart and chart: the Envoy pods (app: envoy / component envoy) in projectcontour
    "contour": [{"namespaceSelector": _in_namespaces("projectcontour"),
                 "podSelector": {"matchLabels": {"app": "envoy"}}},
                {"namespaceSelector": _in_namespaces("projectcontour"),
                 "podSelector": {"matchLabels": {"app.kubernetes.io/component": "envoy"}}}],
    # Istio's ingress gateway (istio: ingressgateway) in istio-system or istio-ingress
    "istio": [{"namespaceSelector": _in_namespaces("istio-system", "istio-ingress"),
               "podSelector": {"matchLabels": {"istio": "ingressgateway"}}}],
    # the OpenShift router: the namespace label OpenShift documents for "allow from the ingress
    # controller" (it also matches a host-network router on OVN-Kubernetes)
    "openshift-default": [{"namespaceSelector": {"matchLabels": {"policy-group.network.openshift.io/ingress": ""}}}],
}

# IngressClass spec.controller -> the preset for its pods, for a class the release defines under another name
INGRESS_CONTROLLER_NAMES = {
    "k8s.io/ingress-nginx": "nginx",
    "traefik.io/ingress-controller": "traefik",
    "haproxy.org/ingress-controller/haproxy": "haproxy",
    "haproxy-ingress.github.io/controller": "haproxy",
    "projectcontour.io/ingress-controller": "contour",
    "projectcontour.io/projectcontour/contour": "contour",
    "istio.io/ingress-controller": "istio",
    "openshift.io/ingress-to-route": "openshift-default",
}


def monitoring_preset(namespace: str) -> list[dict]:
    """prometheus-operator's Prometheus pods (``app.kubernetes.io/name: prometheus``, set by the
    operator on every Prometheus it runs) in ``namespace``."""
    return [{"namespaceSelector": _in_namespaces(namespace),
             "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}]


def gateway_preset(namespace: str, name: str) -> list[dict]:
    """The pods of Gateway ``namespace/name``: the label Gateway API (GEP-1762) has in-cluster
    gateway deployments carry (Istio sets it on its gateway deployments), and Envoy Gateway's own
    labels, in its controller namespace or the Gateway's (gateway namespace mode)."""
    return [{"namespaceSelector": _in_namespaces(namespace),
             "podSelector": {"matchLabels": {"gateway.networking.k8s.io/gateway-name": name}}},
            {"namespaceSelector": _in_namespaces(*sorted({"envoy-gateway-system", namespace})),
             "podSelector": {"matchLabels": {"gateway.envoyproxy.io/owning-gateway-name": name,
                                             "gateway.envoyproxy.io/owning-gateway-namespace": namespace}}}]
