"""netpol.apiServer: pods bound to RBAC roles whose egress cannot reach the API server."""
from __future__ import annotations

from helm_vnp.rules import netpol_api_server
from tests.builders import network_policy, role_binding, service_account, stream
from tests.rules.rulekit import NETPOL_ON, deployment, run

OPERATOR = deployment("operator", service_account_name="operator")
# no known API server address: vnp opens no egress to it (by default it opens 443/6443 to every address)
NO_API = NETPOL_ON + "    apiServer: {peers: []}\n"


def binding(kind: str = "ClusterRoleBinding", sa: str = "operator", namespace: str | None = "ns") -> str:
    return stream(role_binding(f"{sa}-binding", kind=kind, role_name=f"{sa}-role", service_accounts=[(sa, namespace)]))


def test_bound_pods_under_isolation_are_reported():
    [f] = run(netpol_api_server, OPERATOR + deployment("web") + binding(), NO_API, namespace="ns")
    assert f.object.name == "operator" and f.rule == "netpol.apiServer"
    assert "ServiceAccount operator, bound by ClusterRoleBinding operator-binding (ClusterRole operator-role)" \
        in f.message
    assert "apiServer.peers" in f.message and "controlPlane.selector" not in f.message


def test_role_binding_without_subject_namespace_means_its_own():
    [f] = run(netpol_api_server, OPERATOR + binding("RoleBinding", namespace=None), NO_API, namespace="ns")
    assert "RoleBinding operator-binding" in f.message


def test_no_isolation_no_binding_or_no_token_is_quiet():
    assert run(netpol_api_server, OPERATOR + binding(), "", namespace="ns") == []  # nothing isolates egress
    assert run(netpol_api_server, OPERATOR, NETPOL_ON, namespace="ns") == []  # no RBAC: no evidence of API use
    assert run(netpol_api_server, OPERATOR + binding(sa="other"), NETPOL_ON, namespace="ns") == []
    assert run(netpol_api_server, OPERATOR + binding(namespace="elsewhere"), NETPOL_ON, namespace="ns") == []
    no_token = deployment("operator", service_account_name="operator", automount_service_account_token=False)
    assert run(netpol_api_server, no_token + binding(), NETPOL_ON, namespace="ns") == []
    sa_off = stream(service_account("operator", automount_service_account_token=False))
    assert run(netpol_api_server, OPERATOR + binding() + sa_off, NETPOL_ON, namespace="ns") == []


def test_an_egress_rule_fixes_it_and_the_control_plane_selector_alone_does_not():
    """Issue 13 item 11: the control plane reaches the API server at apiServer.peers only (vCluster's rule, which
    vnp used to copy, has no `to`: every address); with peers [] naming the pods control plane opens nothing."""
    control_plane = NO_API + "    controlPlane:\n      selector: {matchLabels: {app: operator}}\n"
    assert len(run(netpol_api_server, OPERATOR + binding(), control_plane, namespace="ns")) == 1
    api_rule = NO_API + ("    workload:\n      egress:\n      - to: [{ipBlock: {cidr: 10.0.0.1/32}}]\n"
                            "        ports: [{port: 6443, protocol: TCP}]\n")
    assert run(netpol_api_server, OPERATOR + binding(), api_rule, namespace="ns") == []
    # the README's fix, with the cluster's own API server address
    own_address = api_rule.replace("10.0.0.1/32", "10.20.30.40/32")
    assert run(netpol_api_server, OPERATOR + binding(), own_address, namespace="ns") == []
    wrong_port = own_address.replace("port: 6443", "port: 5432")
    assert len(run(netpol_api_server, OPERATOR + binding(), wrong_port, namespace="ns")) == 1


def test_a_chart_policy_with_empty_egress_isolates_nothing():
    """`egress: []` without policyTypes: the API server defaults policyTypes to [Ingress] only."""
    chart_np = stream(network_policy("np", ingress=[{}], egress=[]))
    assert run(netpol_api_server, OPERATOR + binding() + chart_np, "", namespace="ns") == []
    isolating = stream(network_policy("np", policy_types=["Ingress", "Egress"], ingress=[{}], egress=[]))
    assert len(run(netpol_api_server, OPERATOR + binding() + isolating, "", namespace="ns")) == 1


def test_kube_prometheus_stack_operator_and_friends(corpus):
    """The upstream-default chart: the operator, kube-state-metrics and grafana's sidecar all watch the API."""
    stream = corpus("kube-prometheus-stack.yaml").read_bytes().decode()
    found = run(netpol_api_server, stream, NO_API, namespace="monitoring")
    names = {f.object.name for f in found}
    assert {"kps-kube-prometheus-stack-operator", "kps-kube-state-metrics", "kps-grafana"} <= names
    assert "kps-prometheus-node-exporter" not in names  # host network: netpol.hostNetwork's


def test_default_api_server_peers_give_bound_pods_egress():
    """By default vnp opens 443/6443 to every address for exactly these pods: nothing to report."""
    assert run(netpol_api_server, OPERATOR + binding(), NETPOL_ON, namespace="ns") == []


def _role(kind: str, rules, **extra) -> str:
    from tests.builders import role
    obj = role("operator-role", kind=kind, rules=rules)
    obj.update(extra)
    return stream(obj)


def test_a_role_that_grants_nothing_is_no_evidence():
    """argo-cd's repo-server: bound to a Role with no rules, it never calls the API."""
    for rules in ([], None, [{"apiGroups": [""], "resources": ["pods"], "verbs": []}],
                  [{"apiGroups": [""], "resources": [], "verbs": ["get"]}]):
        for kind, binding_kind in (("ClusterRole", "ClusterRoleBinding"), ("Role", "RoleBinding")):
            bound = OPERATOR + stream(role_binding("operator-binding", kind=binding_kind, role_kind=kind,
                                                   role_name="operator-role", service_accounts=[("operator", "ns")]))
            assert run(netpol_api_server, bound + _role(kind, rules), NO_API, namespace="ns") == [], (kind, rules)


def test_a_role_that_grants_something_an_aggregated_one_or_one_not_rendered_is_evidence():
    grants = [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["watch"]}]
    assert len(run(netpol_api_server, OPERATOR + binding() + _role("ClusterRole", grants), NO_API,
                   namespace="ns")) == 1
    urls = [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]
    assert len(run(netpol_api_server, OPERATOR + binding() + _role("ClusterRole", urls), NO_API,
                   namespace="ns")) == 1
    aggregated = _role("ClusterRole", [], aggregationRule={"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]})
    assert len(run(netpol_api_server, OPERATOR + binding() + aggregated, NO_API, namespace="ns")) == 1
    # `view` is built in: not rendered by the release, its rules unseen, so the binding still counts
    view = stream(role_binding("operator-view", kind="RoleBinding", role_kind="ClusterRole", role_name="view",
                               service_accounts=[("operator", None)]))
    [f] = run(netpol_api_server, OPERATOR + view, NO_API, namespace="ns")
    assert "ClusterRole view" in f.message
    # a Role of the same name in another namespace is not the one a RoleBinding in ns refers to
    elsewhere = stream(role_binding("operator-binding", kind="RoleBinding", role_kind="Role",
                                    role_name="operator-role", service_accounts=[("operator", None)]))
    from tests.builders import role
    empty_elsewhere = stream(role("operator-role", rules=[], namespace="other"))
    assert len(run(netpol_api_server, OPERATOR + elsewhere + empty_elsewhere, NO_API, namespace="ns")) == 1
