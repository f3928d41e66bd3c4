"""`helm vnp discover` against the real API server, through the real kubectl 1.37 (.tools/bin/kubectl):
what a cluster publishes is made here (the test control plane runs no DNS, ingress controller or
Prometheus, and its loopback address is no valid endpoint, so it publishes no kubernetes
EndpointSlice of its own: the test writes one as a cluster's endpoint reconciler does)."""
from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from tests.cluster.kube import ApiError
from tests.e2e.helmkit import TOOLS

KUBECTL = TOOLS / "kubectl"


def pod(name: str, ns: str, labels: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "registry.example/x:1"}]}}


@pytest.fixture
def published(kube):
    """What a real cluster has: the kubernetes EndpointSlice, CoreDNS, an ingress-nginx with its IngressClass,
    a Prometheus."""
    made = []

    def make(obj, ns=None):
        try:
            kube.create(obj, ns)
        except ApiError as e:
            if e.status != 409:
                raise
        made.append((obj, ns))

    for ns in ("ingress-nginx", "monitoring"):
        try:
            kube.create_namespace(ns)
        except ApiError as e:
            if e.status != 409:
                raise
    make({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
          "metadata": {"name": "kubernetes", "namespace": "default",
                       "labels": {"kubernetes.io/service-name": "kubernetes",
                                  "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
          "addressType": "IPv4",
          "endpoints": [{"addresses": ["192.0.2.10"], "conditions": {"ready": True}},
                        {"addresses": ["192.0.2.11"], "conditions": {"ready": True}}],
          "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]})
    make({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "coredns", "namespace": "kube-system",
                                                                     "labels": {"k8s-app": "kube-dns"}},
          "spec": {"selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                   "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}},
                                "spec": {"containers": [{"name": "coredns", "image": "registry.example/coredns:1"}]}}}})
    make({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
          "spec": {"controller": "k8s.io/ingress-nginx"}})
    make(pod("controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}))
    make(pod("prometheus-0", "monitoring", {"app.kubernetes.io/name": "prometheus"}))
    yield
    for obj, ns in reversed(made):
        try:
            kube.request("DELETE", kube.path(obj["apiVersion"], obj["kind"], obj["metadata"].get("namespace") or ns,
                                             obj["metadata"]["name"]))
        except ApiError:
            pass


def discover(helm, cluster, *args) -> subprocess.CompletedProcess:
    if not os.access(KUBECTL, os.X_OK):
        pytest.skip(f"kubectl not found at {KUBECTL} (run `make tools`)")
    return helm.run("vnp", "discover", *args, env={"KUBECTL": str(KUBECTL)}, check=False)


def test_discover_reads_the_cluster_into_a_values_snippet(helm, kube, cluster, namespace, published, tmp_path):
    if helm.major == 3:
        pytest.skip("discover calls kubectl, not Helm: Helm 4 runs it")
    kube.request("PATCH", f"/api/v1/namespaces/{namespace}",
                 {"metadata": {"labels": {"pod-security.kubernetes.io/enforce": "baseline"}}},
                 content_type="application/merge-patch+json")
    kube.create({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "team"},
                 "spec": {"hard": {"pods": "10"}}}, namespace)
    kube.create({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "team"},
                 "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}}]}}, namespace)

    proc = discover(helm, cluster, "-n", namespace)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    policies = yaml.safe_load(text)["policies"]
    net = policies["networkPolicy"]
    assert net["apiServer"] == {"peers": [{"ipBlock": {"cidr": "192.0.2.10/32"}},
                                          {"ipBlock": {"cidr": "192.0.2.11/32"}}], "ports": [6443]}
    assert net["dns"] == {"preset": "kube-dns"}
    assert net["monitoring"] == {"namespace": "monitoring"}
    assert policies["podSecurityStandard"] == "baseline"
    assert "IngressClass nginx: controller k8s.io/ingress-nginx; its pods run in ingress-nginx" in text
    assert f"ResourceQuota {namespace}/team exists already" in text
    assert f"LimitRange {namespace}/team exists already" in text
    assert "pod-security.kubernetes.io/enforce=baseline" in text
    # the snippet is a valid config as it stands
    snippet = tmp_path / "discovered.yaml"
    snippet.write_text(text)
    check = helm.run("vnp", "validate", "-f", snippet, check=False)
    assert check.returncode == 0, check.stderr.decode()


def test_discover_without_kubectl_or_cluster_says_why(helm, cluster, tmp_path):
    if helm.major == 3:
        pytest.skip("discover calls kubectl, not Helm: Helm 4 runs it")
    proc = helm.run("vnp", "discover", env={"KUBECTL": str(tmp_path / "no-kubectl")}, check=False)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr, proc.stderr.decode()
    assert b"no-kubectl" in proc.stderr
    bad = helm.run("vnp", "discover", env={"KUBECTL": str(KUBECTL), "KUBECONFIG": str(tmp_path / "none")},
                   check=False)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
    assert b"kubectl get" in bad.stderr
