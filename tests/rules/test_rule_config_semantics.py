"""config.*: settings that are valid for the schema but do nothing, or nothing useful."""
from __future__ import annotations

from helm_vnp.rules import (
    config_control_plane_selector,
    config_empty_policy,
    config_except_overlap,
    config_redundant_rule,
)
from tests import builders
from tests.builders import config_map, container, stream
from tests.rules.rulekit import NETPOL_ON, QUOTA_ON, deployment, run


def test_except_entries_that_repeat_or_nest():
    config = NETPOL_ON + ("    workload:\n      publicEgress:\n        cidr: 0.0.0.0/0\n"
                          "        except: [10.0.0.0/8, 10.96.0.0/12, 192.168.0.0/16, 192.168.0.0/16]\n")
    found = run(config_except_overlap, deployment(), config)
    assert [f.message for f in found] == [
        "policies.networkPolicy.workload.publicEgress.except[1]: 10.96.0.0/12 lies inside 10.0.0.0/8 (except[0]) "
        "and has no effect",
        "policies.networkPolicy.workload.publicEgress.except[3]: 192.168.0.0/16 repeats 192.168.0.0/16 (except[2]) "
        "and has no effect"]
    assert all(f.source.line == 7 for f in found)  # the except line of the values file
    assert run(config_except_overlap, deployment(), NETPOL_ON) == []


def test_except_overlap_in_user_rule_ip_blocks():
    config = NETPOL_ON + ("    workload:\n      egress:\n      - to: [{ipBlock: {cidr: 10.0.0.0/8, "
                          "except: [10.1.0.0/16, 10.1.2.0/24]}}]\n")
    [f] = run(config_except_overlap, deployment(), config)
    assert f.message.startswith("policies.networkPolicy.workload.egress[0].to[0].ipBlock.except[1]: "
                                "10.1.2.0/24 lies inside")


KUBE_DNS_RULE = ("      - to:\n        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n"
                 "          podSelector: {matchLabels: {k8s-app: kube-dns}}\n"
                 "        ports: [{port: 53, protocol: UDP}]\n")


def test_rule_already_allowed_by_a_builtin():
    [f] = run(config_redundant_rule, deployment(), NETPOL_ON + "    workload:\n      egress:\n" + KUBE_DNS_RULE)
    assert f.message.startswith("policies.networkPolicy.workload.egress[0] "
                                "is already allowed by the built-in egress rule")
    assert '"port":53' in f.message


def test_new_rules_are_not_redundant_but_duplicates_are():
    db = "      - to: [{podSelector: {matchLabels: {app: db}}, namespaceSelector: {}}]\n        ports: [{port: 5432}]\n"
    assert run(config_redundant_rule, deployment(), NETPOL_ON + "    workload:\n      egress:\n" + db) == []
    [f] = run(config_redundant_rule, deployment(), NETPOL_ON + "    workload:\n      egress:\n" + db + db)
    assert f.message == ("policies.networkPolicy.workload.egress[1] is already allowed by "
                         "policies.networkPolicy.workload.egress[0]: it has no effect")
    # a narrower public range is already inside publicEgress
    public = "      - to: [{ipBlock: {cidr: 203.0.113.0/24}}]\n        ports: [{port: 443}]\n"
    assert len(run(config_redundant_rule, deployment(), NETPOL_ON + "    workload:\n      egress:\n" + public)) == 1


def test_control_plane_selector_matching_no_pod():
    cp = NETPOL_ON + "    controlPlane:\n      selector: {matchLabels: {app: %s}}\n"
    [f] = run(config_control_plane_selector, deployment("api"), cp % "vcluster")
    assert '{"matchLabels":{"app":"vcluster"}} selects none of the 1 pod templates' in f.message
    assert run(config_control_plane_selector, deployment("api"), cp % "api") == []
    assert run(config_control_plane_selector, deployment("api"), NETPOL_ON) == []


def test_empty_policies():
    cm = stream(config_map("c"))
    [f] = run(config_empty_policy, cm, NETPOL_ON)
    assert "select none of the 0 pod templates" in f.message
    assert run(config_empty_policy, deployment(), NETPOL_ON) == []
    selectors = NETPOL_ON.replace("policies:\n", "policies:\n  selection: workloadSelectors\n")
    job = stream(builders.job("j", containers=[container("a", "x")]))
    [f] = run(config_empty_policy, job, selectors)
    assert "no NetworkPolicy is generated" in f.message
    empty = QUOTA_ON + "    quota: null\n  limitRange:\n    default: null\n    defaultRequest: null\n"
    found = run(config_empty_policy, deployment(), empty)
    assert [f.message.split(" is true")[0] for f in found] == ["policies.resourceQuota.enabled",
                                                               "policies.limitRange.enabled"]
    assert run(config_empty_policy, deployment(), QUOTA_ON) == []


def test_long_lists_are_checked_without_comparing_every_pair():
    """Thousands of rules or except entries (a generated values file): repeats are still found."""
    rules = "".join(f"      - from: [{{ipBlock: {{cidr: 10.{i // 256}.{i % 256}.0/24}}}}]\n" for i in range(400))
    values = NETPOL_ON + "    workload:\n      ingress:\n" + rules + "      - from: [{ipBlock: {cidr: 10.0.7.0/24}}]\n"
    [f] = run(config_redundant_rule, deployment(), values)
    assert "ingress[400] repeats policies.networkPolicy.workload.ingress[7]" in f.message
    excepts = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(2000))
    values = NETPOL_ON + ("    workload:\n      publicEgress:\n        cidr: 10.0.0.0/8\n"
                          f"        except: [{excepts}, 10.0.5.0/24, 10.9.0.0/16, 10.9.1.0/24]\n")
    found = run(config_except_overlap, deployment(), values)
    assert [f.message.split(": ", 1)[1] for f in found] == [
        "10.0.5.0/24 repeats 10.0.5.0/24 (except[5]) and has no effect",
        "10.9.1.0/24 lies inside 10.9.0.0/16 (except[2001]) and has no effect"]
