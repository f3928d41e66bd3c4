"""Both vCluster layouts, the seed's examples, defaults, extensions and legacy isolation keys."""
import copy

import pytest

from helm_vnp.config.defaults import DEFAULT_PUBLIC_EXCEPT
from tests.config.helpers import errors, load

V6 = {"cidr": "::/0", "except": ["::1/128", "fc00::/7", "fe80::/10"]}


def test_defaults_match_the_reference(tmp_path):
    p = load(tmp_path).policies
    np = p["networkPolicy"]
    assert np["enabled"] is False and np["fallbackDns"] == "8.8.8.8"
    # issue 13 item 11: off unless configured (vCluster: on; any tenant can create `app: loft` pods)
    assert np["controlPlane"] == {"selector": None, "platform": False, "ingress": [], "egress": []}
    assert np["workload"]["publicEgress"] == {"enabled": True, "ipBlocks": [
        {"cidr": "0.0.0.0/0", "except": ["100.64.0.0/10", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
                                         "192.168.0.0/16", "169.254.0.0/16"]}, V6]}
    assert np["dns"] == {"ports": [53], "peers": [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]}
    assert p["podSecurityStandard"] == "" and p["selection"] == "podLabel" and p["podSecurityVersion"] == "latest"
    assert p["podSecurity"] == {"mode": "enforce", "exemptions": []}
    assert p["resourceQuota"]["enabled"] is False and p["limitRange"]["enabled"] is False
    # exactly what vCluster renders (reference/vcluster/quota-limitrange.yaml)
    assert p["resourceQuota"]["quota"] == {
        "count/configmaps": "100", "count/endpoints": "40", "count/persistentvolumeclaims": "20", "count/pods": "20",
        "count/secrets": "100", "count/services": "20", "limits.cpu": "20", "limits.ephemeral-storage": "160Gi",
        "limits.memory": "40Gi", "requests.cpu": "10", "requests.ephemeral-storage": "60Gi",
        "requests.memory": "20Gi", "requests.storage": "100Gi", "services.loadbalancers": "1",
        "services.nodeports": "0"}
    assert p["limitRange"]["default"] == {"cpu": "1", "ephemeral-storage": "8Gi", "memory": "512Mi"}
    assert p["limitRange"]["defaultRequest"] == {"cpu": "100m", "ephemeral-storage": "3Gi", "memory": "128Mi"}


@pytest.mark.parametrize("rq,lr,expected", [
    (None, None, (False, False)),
    ("true", None, (True, True)),
    (None, "true", (True, True)),
    ("true", "false", (True, False)),
    ("false", "true", (False, True)),
    ('"auto"', '"auto"', (False, False)),
])
def test_quota_and_limit_range_auto(tmp_path, rq, lr, expected):
    text = "policies:\n" + (f"  resourceQuota: {{enabled: {rq}}}\n" if rq else "") + \
        (f"  limitRange: {{enabled: {lr}}}\n" if lr else "")
    p = load(tmp_path, text if rq or lr else "").policies
    assert (p["resourceQuota"]["enabled"], p["limitRange"]["enabled"]) == expected


def test_seed_basic_isolation(tmp_path):
    assert load(tmp_path,
                "policies:\n  networkPolicy:\n    enabled: true\n").policies["networkPolicy"]["enabled"] is True


def test_seed_custom_egress_rules(tmp_path):
    p = load(tmp_path, """\
        policies:
          networkPolicy:
            enabled: true
            outgoingConnections:
              ipBlock:
                cidr: 0.0.0.0/0
                except:
                  - 169.254.0.0/16 # AWS metadata service
                  - 10.0.0.0/8 # Private network ranges
                  - 172.16.0.0/12
                  - 192.168.0.0/16
        """).policies
    assert p["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"] == [
        {"cidr": "0.0.0.0/0", "except": ["169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}, V6]


def test_seed_custom_labels(tmp_path):
    np = load(tmp_path, """\
        policies:
          networkPolicy:
            enabled: true
            labels:
              environment: production
              team: platform
            annotations:
              description: "Network isolation for production vCluster"
        """).policies["networkPolicy"]
    assert np["labels"] == {"environment": "production", "team": "platform"}
    assert np["annotations"] == {"description": "Network isolation for production vCluster"}


def test_seed_project_template_label_is_a_helm_template_not_a_label_value(tmp_path):
    # The seed's VirtualClusterTemplate embeds values rendered by the platform; given to
    # helm-vnp verbatim, the label value is not one Kubernetes accepts.
    assert errors(tmp_path, """\
        policies:
          networkPolicy:
            enabled: true
            labels:
              vcluster.io/project: "{{ .Values.loft.project }}"
        """) == ['values.yaml:5: policies.networkPolicy.labels["vcluster.io/project"]: invalid value '
                 '"{{ .Values.loft.project }}": expected a label value (at most 63 characters: letters, digits, '
                 "'-', '_', '.', starting and ending alphanumeric, or empty)"]


RULE = {"to": [{"podSelector": {"matchLabels": {"app": "db"}}}], "ports": [{"port": 5432}]}
OLD = """\
    policies:
      networkPolicy:
        enabled: true
        fallbackDns: 1.1.1.1
        outgoingConnections:
          ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
          platform: false
          extraIpBlocks: [{cidr: "2001:db8::/32"}]
        extraWorkloadRules:
          - to: [{podSelector: {matchLabels: {app: db}}}]
            ports: [{port: 5432}]
        extraControlPlaneRules:
          - to: [{podSelector: {matchLabels: {app: db}}}]
            ports: [{port: 5432}]
    """
NEW = """\
    policies:
      networkPolicy:
        enabled: true
        fallbackDns: 1.1.1.1
        controlPlane:
          platform: false
          egress:
            - to: [{podSelector: {matchLabels: {app: db}}}]
              ports: [{port: 5432}]
        workload:
          publicEgress: {cidr: 0.0.0.0/0, except: [10.0.0.0/8], extraIpBlocks: [{cidr: "2001:db8::/32"}]}
          egress:
            - to: [{podSelector: {matchLabels: {app: db}}}]
              ports: [{port: 5432}]
    """


def test_both_layouts_give_the_same_model(tmp_path):
    old = load(tmp_path, OLD).policies
    new = load(tmp_path, NEW).policies
    assert old == new
    np = new["networkPolicy"]
    assert np["controlPlane"]["egress"] == [RULE] and np["workload"]["egress"] == [RULE]
    assert np["controlPlane"]["platform"] is False
    assert np["workload"]["publicEgress"]["ipBlocks"] == [
        {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}, {"cidr": "2001:db8::/32", "except": []}]


def test_v036_layout_ingress_and_disabled_public_egress(tmp_path):
    np = load(tmp_path, """\
        policies:
          networkPolicy:
            enabled: true
            controlPlane:
              selector: {matchLabels: {app: vcluster}}
              ingress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}], ports: [{port: 8443, protocol: TCP}]}]
            workload:
              publicEgress: {enabled: false}
              ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]
        """).policies["networkPolicy"]
    assert np["controlPlane"]["selector"] == {"matchLabels": {"app": "vcluster"}}
    assert np["controlPlane"]["ingress"][0]["ports"] == [{"port": 8443, "protocol": "TCP"}]
    assert np["workload"]["publicEgress"]["enabled"] is False
    assert np["workload"]["ingress"] == [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}]


def test_empty_cidr_drops_the_ipv4_block(tmp_path):
    pe = load(tmp_path, "policies:\n  networkPolicy:\n    workload:\n      publicEgress: {cidr: ''}\n").policies
    assert pe["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"] == [V6]


@pytest.mark.parametrize("dns,expected", [
    ("{preset: vcluster}", {"ports": [1053], "peers": [{
        "podSelector": {"matchLabels": {"k8s-app": "vcluster-kube-dns"}}}]}),
    ("{preset: openshift}", {"ports": [5353], "peers": [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "openshift-dns"}},
        "podSelector": {"matchLabels": {"dns.operator.openshift.io/daemonset-dns": "default"}}}]}),
    ("{ports: [53, 1053], podSelector: {matchLabels: {app: coredns}}}", {"ports": [53, 1053], "peers": [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"app": "coredns"}}}]}),
])
def test_dns_presets_and_overrides(tmp_path, dns, expected):
    assert load(tmp_path, f"policies:\n  networkPolicy:\n    dns: {dns}\n").policies["networkPolicy"]["dns"] == expected


def test_extensions(tmp_path):
    p = load(tmp_path, """\
        policies:
          selection: workloadSelectors
          podSecurityStandard: restricted
          podSecurityVersion: v1.30
          podSecurity: {mode: warn, exemptions: [{kind: Deployment, name: legacy}, {kind: "*", name: debug}]}
          limitRange: {enabled: true, max: {cpu: 2}, min: {memory: 0.5}}
        """).policies
    assert p["selection"] == "workloadSelectors" and p["podSecurityVersion"] == "v1.30"
    assert p["podSecurity"]["exemptions"] == [{"kind": "Deployment", "name": "legacy"}, {"kind": "*", "name": "debug"}]
    assert p["limitRange"]["max"] == {"cpu": "2"} and p["limitRange"]["min"] == {"memory": "0.5"}
    assert p["resourceQuota"]["enabled"] is True


def test_central_admission_is_accepted_and_warned_about(tmp_path):
    cfg = load(tmp_path, "policies:\n  centralAdmission:\n    validatingWebhooks: [{}]\n")
    assert [w.render().replace(str(tmp_path) + "/", "") for w in cfg.warnings] == [
        "values.yaml:2: policies.centralAdmission: not supported by helm-vnp: policies.centralAdmission is ignored "
        "(vCluster enforces it with its syncer, which a plain Helm release does not have)"]


def test_legacy_isolation_is_converted_with_warnings(tmp_path):
    cfg = load(tmp_path, """\
        isolation:
          enabled: true
          resourceQuota:
            quota: {count/pods: 5}
          networkPolicy:
            outgoingConnections:
              ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}
        """)
    p = cfg.policies
    assert p["podSecurityStandard"] == "baseline"
    assert p["resourceQuota"]["enabled"] and p["limitRange"]["enabled"] and p["networkPolicy"]["enabled"]
    assert p["resourceQuota"]["quota"]["count/pods"] == "5" and p["resourceQuota"]["quota"]["requests.cpu"] == "10"
    assert p["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"][0] == {"cidr": "0.0.0.0/0",
                                                                            "except": ["10.0.0.0/8"]}
    assert [w.render().replace(str(tmp_path) + "/", "") for w in cfg.warnings] == [
        "values.yaml:2: isolation.enabled: deprecated (vCluster <= 0.19): converted to "
        "policies.podSecurityStandard=baseline, policies.resourceQuota.enabled=true, policies.limitRange.enabled=true, "
        "policies.networkPolicy.enabled=true (write the policies block instead)",
        "values.yaml:4: isolation.resourceQuota.quota: deprecated (vCluster <= 0.19): converted to "
        "policies.resourceQuota.quota (write policies.resourceQuota.quota instead)",
        "values.yaml:7: isolation.networkPolicy.outgoingConnections.ipBlock.cidr: deprecated (vCluster <= 0.19): "
        "converted to policies.networkPolicy.workload.publicEgress.cidr "
        "(write policies.networkPolicy.workload.publicEgress.cidr instead)",
        "values.yaml:7: isolation.networkPolicy.outgoingConnections.ipBlock.except: deprecated (vCluster <= 0.19): "
        "converted to policies.networkPolicy.workload.publicEgress.except "
        "(write policies.networkPolicy.workload.publicEgress.except instead)",
    ]


def test_legacy_isolation_explicit_policies_win_over_implied_defaults(tmp_path):
    p = load(tmp_path, "isolation: {enabled: true}\npolicies: {podSecurityStandard: restricted}\n").policies
    assert p["podSecurityStandard"] == "restricted"


def test_legacy_isolation_disabled_is_ignored_with_a_warning(tmp_path):
    cfg = load(tmp_path, "isolation:\n  podSecurityStandard: restricted\n")
    assert cfg.policies["podSecurityStandard"] == ""
    assert "only applies with isolation.enabled: true" in cfg.warnings[0].message


def test_results_are_deterministic(tmp_path):
    a = load(tmp_path, NEW)
    b = load(tmp_path, NEW)
    assert a == b and copy.deepcopy(a.policies) == b.policies
    assert DEFAULT_PUBLIC_EXCEPT[-1] == "169.254.0.0/16"
