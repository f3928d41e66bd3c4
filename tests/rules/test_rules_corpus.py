"""Every rule on the real rendered streams in ../shared/corpus, with the reference config
(networkPolicy and resourceQuota enabled: count/pods 20, services.nodeports 0, …).
The expected findings were checked by hand; the reasons are in the comments."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from helm_vnp.rules.registry import RULE_MODULES
from tests.builders import config_map, secret, stream
from tests.rules.rulekit import REFERENCE, check, context


def lint_all(stream: Path, release: str, namespace: str, values: str = REFERENCE):
    ctx = context(stream.read_bytes(), values, release=release, namespace=namespace)
    return [f for m in RULE_MODULES for f in check(m, ctx)]


def test_kube_prometheus_stack_with_crds(corpus):
    found = lint_all(corpus("kube-prometheus-stack-with-crds.yaml"), "kps", "monitoring")
    assert Counter(f.rule for f in found) == {"scope.cluster": 22, "scope.namespace": 5, "netpol.hostNetwork": 1,
                                              "netpol.opened": 13, "rbac.tenantEscape": 2,
                                              "service.selectsNothing": 2}
    # the admission-patch hook's ClusterRole may update/patch every webhook configuration of the cluster
    assert {(f.object.name, f.severity) for f in found if f.rule == "rbac.tenantEscape"} == {
        ("kps-kube-prometheus-stack-admission", "error")}
    # the prometheus and alertmanager Services select pods the operator creates from the Prometheus and
    # Alertmanager resources, which vnp does not see: info, saying so
    selects_nothing = [f for f in found if f.rule == "service.selectsNothing"]
    assert {f.object.name for f in selects_nothing} == {"kps-kube-prometheus-stack-prometheus",
                                                        "kps-kube-prometheus-stack-alertmanager"}
    assert all(f.severity == "info" and "custom resources" in f.message for f in selects_nothing)
    # the operator's admission webhooks from the API server, the six ServiceMonitors of release Services from
    # Prometheus in namespace monitoring (those of kube-system Services are not the release's), and egress to
    # the API server for the five workloads bound to RBAC roles; nothing blocked
    assert Counter(f.object.kind for f in found if f.rule == "netpol.opened") == {
        "ServiceMonitor": 6, "MutatingWebhookConfiguration": 1, "ValidatingWebhookConfiguration": 1,
        "Deployment": 3, "Job": 2}
    # everything bound to an RBAC role watches the API: it gets egress to the API server (every address on
    # 443/6443 by default); with no API server peers the workload policy lets none reach it
    no_api = lint_all(corpus("kube-prometheus-stack-with-crds.yaml"), "kps", "monitoring",
                      REFERENCE.replace("enabled: true\n  resourceQuota", "enabled: true\n    apiServer: {peers: []}\n"
                                        "  resourceQuota"))
    assert {f.object.name for f in no_api if f.rule == "netpol.apiServer"} == {
        "kps-grafana", "kps-kube-state-metrics", "kps-kube-prometheus-stack-operator",
        "kps-kube-prometheus-stack-admission-create", "kps-kube-prometheus-stack-admission-patch"}
    cluster = Counter(f.object.kind for f in found if f.rule == "scope.cluster")
    # 10 prometheus-operator CRDs, RBAC of grafana / kube-state-metrics / operator / prometheus / admission hooks,
    # the operator's two admission webhook configurations
    assert cluster == {"CustomResourceDefinition": 10, "ClusterRole": 5, "ClusterRoleBinding": 5,
                       "MutatingWebhookConfiguration": 1, "ValidatingWebhookConfiguration": 1}
    # the control-plane scrape Services are rendered into kube-system
    assert {f.object.namespace for f in found if f.rule == "scope.namespace"} == {"kube-system"}
    [host] = [f for f in found if f.rule == "netpol.hostNetwork"]
    assert (host.object.kind, host.object.name) == ("DaemonSet", "kps-prometheus-node-exporter")
    # quota.fit is silent: 6 pods (3 Deployments, node-exporter on 1 node, 2 admission hook Jobs) of 20;
    # every container is defaulted by the LimitRange: requests 800m cpu / 1Gi memory, limits 8 cpu / 4Gi.


def test_kube_prometheus_stack_without_crds_reports_unknown_scopes(corpus):
    found = lint_all(corpus("kube-prometheus-stack.yaml"), "kps", "monitoring")
    assert not [f for f in found if f.rule == "netpol.blocked"]
    unknown = Counter(f.object.kind for f in found if f.rule == "scope.cluster" and f.severity == "info")
    assert unknown["ServiceMonitor"] > 0 and unknown["Prometheus"] == 1 and "Deployment" not in unknown
    assert all("scope unknown" in f.message for f in found if f.severity == "info" and f.rule == "scope.cluster")
    assert {f.rule for f in found if f.severity == "info"} == {"scope.cluster", "service.selectsNothing",
                                                              "netpol.opened"}


def test_ingress_nginx_cannot_install_under_the_reference_quota(corpus):
    found = lint_all(corpus("ingress-nginx.yaml"), "ingress-nginx", "ingress-nginx")
    errors = [f for f in found if f.severity == "error"]
    assert [(f.rule, f.message.split(" (")[0].split(":")[0]) for f in errors] == [
        ("quota.fit", "services.nodeports"),
        # the admission-patch hook may update every validating webhook configuration of the cluster
        ("rbac.tenantEscape", "ClusterRole ingress-nginx-admission rule 1 grants update on "
                              "validatingwebhookconfigurations in the cluster")]
    assert "the release needs 2 but ResourceQuota vnp-ingress-nginx allows 0" in errors[0].message
    [exposure] = [f for f in found if f.rule == "netpol.exposure"]
    assert exposure.object.name == "ingress-nginx-controller" and "services.nodeports: 0" in exposure.message
    assert "node address as the source" in exposure.message and "exposedServices: allow" in exposure.message
    # the LoadBalancer Service from outside, the admission webhook from the API server; nothing blocked
    assert sorted((f.object.kind, f.object.name) for f in found if f.rule.startswith("netpol.opened")) == [
        ("Deployment", "ingress-nginx-controller"), ("Job", "ingress-nginx-admission-create"),
        ("Job", "ingress-nginx-admission-patch"),
        ("Service", "ingress-nginx-controller"), ("ValidatingWebhookConfiguration", "ingress-nginx-admission")]
    assert not [f for f in found if f.rule == "netpol.blocked"]


def test_cert_manager_places_rbac_in_kube_system(corpus):
    found = lint_all(corpus("cert-manager.yaml"), "cert-manager", "cert-manager")
    outside = {(f.object.kind, f.object.namespace) for f in found if f.rule == "scope.namespace"}
    assert outside == {("Role", "kube-system"), ("RoleBinding", "kube-system")}
    # the only errors: the cainjector patches CA bundles into every webhook configuration, APIService and CRD
    assert {(f.rule, f.object.name) for f in found if f.severity == "error"} == {
        ("rbac.tenantEscape", "cert-manager-cainjector")}
    # both webhook configurations (failurePolicy Fail) are opened from the API server, so nothing is blocked
    assert sorted(f.object.kind for f in found if f.rule == "netpol.opened" and "-> Service" in f.message) == [
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]
    assert not [f for f in found if f.rule == "netpol.blocked"]


def test_corpus_webhooks_blocked_at_error_without_api_server_peers(corpus):
    values = "policies:\n  networkPolicy:\n    enabled: true\n    apiServer: {peers: []}\n"
    found = lint_all(corpus("cert-manager.yaml"), "cert-manager", "cert-manager", values)
    blocked = [f for f in found if f.rule == "netpol.blocked"]
    assert sorted((f.severity, f.object.kind) for f in blocked) == [
        ("error", "MutatingWebhookConfiguration"), ("error", "ValidatingWebhookConfiguration")]
    assert "failurePolicy Fail" in blocked[0].message and "apiServer.peers is empty" in blocked[0].message
    assert not [f for f in found if f.rule == "netpol.opened"]


def test_no_message_carries_secret_or_configmap_data():
    many = stream(*(o for i in range(120) for o in (
        secret(f"s{i}", namespace="elsewhere", string_data={"password": "hunter2-SECRET"}),
        config_map(f"c{i}", {"k": "CONFIG-VALUE"}))))
    ctx = context(many, REFERENCE)
    found = [f for m in RULE_MODULES for f in check(m, ctx)]
    assert {f.rule for f in found} >= {"quota.fit", "scope.namespace"}
    assert not any("hunter2" in f.message or "CONFIG-VALUE" in f.message for f in found)
