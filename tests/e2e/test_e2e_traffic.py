"""The traffic a release's own objects declare, through the real ``vnp-postrender`` and judged by the
NetworkPolicy semantics (helm_vnp.k8s.netpol): the ingress controller reaches an Ingress's backend, the
API server reaches a webhook, clients outside reach a LoadBalancer - on the target ports, and nobody
else does."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from tests.e2e.e2e_helpers import load_all
from tests.e2e.helmkit import RELEASE_LABEL, REPO, make_helm

POSTRENDER = REPO / ".venv" / "bin" / "vnp-postrender"
REASON = "vnp.helm-plugin.io/reason"
NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"
# ingress-nginx's controller as its official chart labels it (../shared/corpus/ingress-nginx.yaml), in its namespace
NGINX_CONTROLLER = Pod("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx",
                                         "app.kubernetes.io/instance": "ingress-nginx",
                                         "app.kubernetes.io/component": "controller"})


def postrender(stream: bytes, release: str, namespace: str, values: str, tmp_path: Path) -> list[dict]:
    if not POSTRENDER.exists():
        pytest.skip(f"{POSTRENDER} not found (run `make venv`)")
    path = tmp_path / "values.yaml"
    path.write_text(values)
    proc = subprocess.run([str(POSTRENDER), "--release", release, "--namespace", namespace, "-f", str(path)],
                          input=stream, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    again = subprocess.run([str(POSTRENDER), "--release", release, "--namespace", namespace, "-f", str(path)],
                           input=proc.stdout, capture_output=True, timeout=300)
    assert again.stdout == proc.stdout  # idempotent: its own output changes nothing
    return load_all(proc.stdout)


def reasons(objects: list[dict]) -> dict[str, str]:
    """Generated policy name -> the object that caused it, as its annotation says."""
    return {o["metadata"]["name"]: o["metadata"]["annotations"][REASON] for o in objects
            if REASON in (o["metadata"].get("annotations") or {})}


def pod_of(objects: list[dict], kind: str, name: str, namespace: str) -> Pod:
    """The pod a workload of the post-rendered stream creates: its labels (vnp's included) and named ports."""
    [obj] = [o for o in objects if o.get("kind") == kind and o["metadata"]["name"] == name]
    template = obj["spec"]["template"]
    ports = {p["name"]: (p["containerPort"], p.get("protocol", "TCP"))
             for c in template["spec"]["containers"] for p in c.get("ports", []) if p.get("name")}
    return Pod(namespace, template["metadata"]["labels"], None, ports)


@pytest.fixture(scope="module")
def helm_create_ingress(tmp_path_factory) -> bytes:
    """`helm create web` rendered by the real Helm 4 with an Ingress of class nginx."""
    home = tmp_path_factory.mktemp("helm")
    helm = make_helm(4, home)
    helm.run("create", "web", cwd=home)
    return helm.run("template", "web", str(home / "web"), "-n", "shop", "--set", "ingress.enabled=true",
                    "--set", "ingress.className=nginx", cwd=home).stdout


def test_helm_create_ingress_is_reached_by_its_controller_only(helm_create_ingress, tmp_path):
    objects = postrender(helm_create_ingress, "web", "shop", NETPOL_ON, tmp_path)
    policies = policies_from(objects, "shop")
    backend = pod_of(objects, "Deployment", "web", "shop")
    assert backend.labels[RELEASE_LABEL] == "web" and backend.ports == {"http": (80, "TCP")}
    # the controller reaches the backend on the Service's target port (http: 80), nowhere else
    assert allowed(policies, NGINX_CONTROLLER, backend, 80)
    assert not allowed(policies, NGINX_CONTROLLER, backend, 8080)
    # the same labels in another namespace, any other pod outside the release: denied
    assert not allowed(policies, Pod("tenant-b", NGINX_CONTROLLER.labels), backend, 80)
    assert not allowed(policies, Pod("ingress-nginx", {"app": "other"}), backend, 80)
    assert not allowed(policies, Pod("tenant-b", {"app": "x"}), backend, 80)
    assert reasons(objects) == {
        "vnp-web-from-ingress-web-to-web": "Ingress web -> Service web:http/TCP (ingress class nginx)"}
    [opened] = [o for o in objects if o["metadata"]["name"] == "vnp-web-from-ingress-web-to-web"]
    assert opened["spec"]["podSelector"]["matchLabels"][RELEASE_LABEL] == "web"


def test_helm_create_ingress_of_class_none_stays_blocked(helm_create_ingress, tmp_path):
    objects = postrender(helm_create_ingress, "web", "shop", NETPOL_ON + "    ingressControllers: {nginx: none}\n",
                         tmp_path)
    backend = pod_of(objects, "Deployment", "web", "shop")
    assert not allowed(policies_from(objects, "shop"), NGINX_CONTROLLER, backend, 80)
    assert reasons(objects) == {}


def test_cert_manager_webhook_reached_from_the_api_server_peers_only(corpus, tmp_path):
    values = NETPOL_ON + "    apiServer:\n      peers: [{ipBlock: {cidr: 10.0.0.0/24}}]\n"
    objects = postrender(corpus("cert-manager.yaml").read_bytes(), "cert-manager", "cert-manager", values, tmp_path)
    policies = policies_from(objects, "cert-manager")
    webhook = pod_of(objects, "Deployment", "cert-manager-webhook", "cert-manager")
    port = webhook.ports["https"][0]  # the Service's targetPort https: 10250
    assert allowed(policies, "10.0.0.5", webhook, port)
    assert not allowed(policies, "10.0.0.5", webhook, 9402)  # metrics: not a webhook port
    assert not allowed(policies, "10.0.1.5", webhook, port)  # not an API server address
    for other in (Pod("kube-system", {"component": "kube-apiserver"}), Pod("tenant-b", {"app": "x"}),
                  Pod("cert-manager", {"app": "not-the-release"})):
        assert not allowed(policies, other, webhook, port)
    # the release's own pods still reach it (the workload policy)
    assert allowed(policies, pod_of(objects, "Deployment", "cert-manager", "cert-manager"), webhook, port)


def test_ingress_nginx_controller_reached_from_outside_on_80_and_443_only(corpus, tmp_path):
    objects = postrender(corpus("ingress-nginx.yaml").read_bytes(), "ingress-nginx", "ingress-nginx", NETPOL_ON,
                         tmp_path)
    policies = policies_from(objects, "ingress-nginx")
    controller = pod_of(objects, "Deployment", "ingress-nginx-controller", "ingress-nginx")
    for client in ("203.0.113.7", "2001:db8::7"):
        assert allowed(policies, client, controller, 80) and allowed(policies, client, controller, 443)
        assert not allowed(policies, client, controller, 10254)  # metrics/health
    # the admission webhook (8443) is the API server's: the default apiServer peers (every address)
    assert allowed(policies, "10.0.0.5", controller, 8443)
    assert not allowed(policies, Pod("tenant-b", {"app": "x"}), controller, 8443)


def test_exposed_services_deny_refuses_the_load_balancer(corpus, tmp_path):
    values = NETPOL_ON + "    exposedServices: deny\n"
    objects = postrender(corpus("ingress-nginx.yaml").read_bytes(), "ingress-nginx", "ingress-nginx", values, tmp_path)
    controller = pod_of(objects, "Deployment", "ingress-nginx-controller", "ingress-nginx")
    assert not allowed(policies_from(objects, "ingress-nginx"), "203.0.113.7", controller, 80)


def test_service_monitor_scraped_by_prometheus_in_monitoring_only(corpus, tmp_path):
    objects = postrender(corpus("kube-prometheus-stack.yaml").read_bytes(), "kps", "monitoring", NETPOL_ON, tmp_path)
    policies = policies_from(objects, "monitoring")
    ksm = pod_of(objects, "Deployment", "kps-kube-state-metrics", "monitoring")
    port = ksm.ports["http"][0]
    # prometheus-operator's Prometheus pods (not the release's workloads: created from the Prometheus CR)
    prometheus = Pod("monitoring", {"app.kubernetes.io/name": "prometheus", "prometheus": "kps"})
    assert allowed(policies, prometheus, ksm, port)
    assert not allowed(policies, Pod("tenant-b", prometheus.labels), ksm, port)
    assert reasons(objects)["vnp-kps-from-servicemonitor-kps-kube-state-metrics-to-kps-kube-state-metrics"] == (
        "ServiceMonitor kps-kube-state-metrics -> Service kps-kube-state-metrics:http/TCP "
        "(policies.networkPolicy.monitoring)")
