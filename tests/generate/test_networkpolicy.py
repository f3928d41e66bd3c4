"""What the generated NetworkPolicies let through, and what they do not.

Most tests ask the NetworkPolicy simulator (netsim) about connections a user
cares about, so they hold whatever shape the rules take; a few pin the shape
where the shape is the contract (rule order, user rules verbatim).
"""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.generate import generate_all
from tests.generate.inputs import (
    CONTROL_PLANE,
    KUBE_DNS,
    NAMESPACE,
    RELEASE,
    WORKLOADS,
    by_name,
    make_policies,
)
from tests.generate.netsim import Pod, allowed

WEB = Pod(NAMESPACE, {RELEASE_LABEL: RELEASE, "app": "web"}, "10.244.1.1")
API = Pod(NAMESPACE, {RELEASE_LABEL: RELEASE, "app": "api"}, "10.244.1.2")
OTHER_RELEASE = Pod(NAMESPACE, {RELEASE_LABEL: "blog", "app": "web"}, "10.244.1.3")
UNLABELLED = Pod(NAMESPACE, {"app": "legacy"}, "10.244.1.4")
ELSEWHERE = Pod("team-b", {RELEASE_LABEL: RELEASE, "app": "web"}, "10.244.2.1")
DNS = Pod("kube-system", {"k8s-app": "kube-dns"}, "10.244.0.2")
# control plane pods not rendered by this chart: they carry no release label
CONTROLLER = Pod(NAMESPACE, dict(CONTROL_PLANE["matchLabels"]), "10.244.1.9")
LOFT = Pod("loft", {"app": "loft"}, "10.244.3.1")
API_SERVER = "10.96.0.1"
METADATA = "169.254.169.254"


def generate(policies: dict, workloads=WORKLOADS, release=RELEASE) -> list[dict]:
    return generate_all(policies, release, NAMESPACE, workloads)


def netpols(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o["kind"] == "NetworkPolicy"]


def all_rules(objects: list[dict]):
    for o in netpols(objects):
        yield from o["spec"]["ingress"]
        yield from o["spec"]["egress"]


# --- podLabel mode: the release is its label --------------------------------------


def test_workload_policy_selects_exactly_the_release_label():
    (pol,) = netpols(generate(make_policies()))
    assert pol["metadata"]["name"] == f"vnp-{RELEASE}-workload"
    assert pol["spec"]["podSelector"] == {"matchLabels": {RELEASE_LABEL: RELEASE}}
    assert pol["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_own_pods_reach_each_other_on_any_port():
    objs = generate(make_policies())
    assert allowed(objs, WEB, API, 5432)
    assert allowed(objs, API, WEB, 8080, "UDP")


@pytest.mark.parametrize("outsider", [OTHER_RELEASE, UNLABELLED, ELSEWHERE],
                         ids=["other-release", "unlabelled", "other-namespace"])
def test_nothing_else_in_the_cluster_reaches_or_is_reached(outsider):
    objs = generate(make_policies())
    assert not allowed(objs, outsider, WEB, 80)
    assert not allowed(objs, WEB, outsider, 80)


def test_two_releases_in_one_namespace_stay_apart():
    objs = generate(make_policies(), release=RELEASE) + generate(make_policies(), release="blog")
    by_name(objs)  # no name collides
    assert not allowed(objs, WEB, OTHER_RELEASE, 80)
    assert not allowed(objs, OTHER_RELEASE, WEB, 80)
    assert allowed(objs, OTHER_RELEASE, Pod(NAMESPACE, {RELEASE_LABEL: "blog"}, "10.244.1.5"), 80)


def test_workloads_are_ignored_in_pod_label_mode():
    assert generate(make_policies(), workloads=[]) == generate(make_policies())


# --- DNS ---------------------------------------------------------------------------


@pytest.mark.parametrize("ports", [[53], [1053], [53, 1053, 5353]])
def test_dns_allowed_on_each_configured_port_udp_and_tcp_only(ports):
    policies = make_policies()
    policies["networkPolicy"]["dns"]["ports"] = ports
    objs = generate(policies)
    for port in ports:
        assert allowed(objs, WEB, DNS, port, "UDP") and allowed(objs, WEB, DNS, port, "TCP")
    assert not allowed(objs, WEB, DNS, 8080)
    assert not allowed(objs, WEB, DNS, 54 if 54 not in ports else 55, "UDP")
    assert not allowed(objs, WEB, Pod("kube-system", {"k8s-app": "other"}, "10.244.0.3"), ports[0], "UDP")


def test_dns_rule_targets_the_configured_peers():
    objs = generate(make_policies())
    (rule,) = [r for r in all_rules(objs[:1]) if r.get("to") == [KUBE_DNS]]
    assert rule["ports"] == [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]


def test_dns_without_peers_means_dns_ports_to_anywhere():
    policies = make_policies()
    policies["networkPolicy"]["dns"]["peers"] = []
    objs = generate(policies)
    assert allowed(objs, WEB, Pod("dns-system", {"app": "coredns"}, "10.244.9.9"), 53, "UDP")
    assert not allowed(objs, WEB, Pod("dns-system", {"app": "coredns"}, "10.244.9.9"), 80)


def test_no_dns_ports_means_no_dns_rule_not_all_ports():
    policies = make_policies()
    policies["networkPolicy"]["dns"]["ports"] = []
    objs = generate(policies)
    assert not allowed(objs, WEB, DNS, 53, "UDP")
    assert not allowed(objs, WEB, DNS, 8080)


# --- public egress and fallback DNS ------------------------------------------------


def test_public_egress_one_rule_per_ip_block():
    policies = make_policies()
    blocks = policies["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"]
    blocks.append({"cidr": "203.0.113.0/24", "except": []})
    (pol,) = netpols(generate(policies))
    ip_rules = [r for r in pol["spec"]["egress"] if "ipBlock" in r.get("to", [{}])[0] and "ports" not in r]
    assert ip_rules == [
        {"to": [{"ipBlock": {"cidr": b["cidr"], "except": b["except"]}}]} for b in blocks[:2]
    ] + [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}]}]  # empty except is omitted


@pytest.mark.parametrize(
    "address, reachable",
    [
        ("1.1.1.1", True),
        ("2606:4700::1111", True),
        (METADATA, False),  # cloud metadata (excluded by the config)
        ("10.1.2.3", False),
        ("192.168.1.1", False),
        ("fd00::1", False),
    ],
)
def test_public_egress_reaches_internet_not_private_ranges(address, reachable):
    assert allowed(generate(make_policies()), WEB, address, 443) is reachable


def test_public_egress_disabled_reaches_no_internet():
    policies = make_policies()
    policies["networkPolicy"]["workload"]["publicEgress"]["enabled"] = False
    policies["networkPolicy"]["fallbackDns"] = ""
    objs = generate(policies)
    assert not any("ipBlock" in peer for r in all_rules(objs) for peer in r.get("to", []))
    assert not allowed(objs, WEB, "1.1.1.1", 443)


@pytest.mark.parametrize(
    "server, cidr", [("8.8.8.8", "8.8.8.8/32"), ("2001:4860:4860::8888", "2001:4860:4860::8888/128")]
)
def test_fallback_dns_only_port_53_to_that_server(server, cidr):
    policies = make_policies()
    policies["networkPolicy"]["fallbackDns"] = server
    policies["networkPolicy"]["workload"]["publicEgress"]["enabled"] = False
    objs = generate(policies)
    rule = {"to": [{"ipBlock": {"cidr": cidr}}],
            "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
    assert rule in objs[0]["spec"]["egress"]
    assert allowed(objs, WEB, server, 53, "UDP") and allowed(objs, WEB, server, 53, "TCP")
    assert not allowed(objs, WEB, server, 443)


def test_fallback_dns_empty_adds_nothing():
    policies = make_policies()
    before = len(generate(policies)[0]["spec"]["egress"])
    policies["networkPolicy"]["fallbackDns"] = ""
    assert len(generate(policies)[0]["spec"]["egress"]) == before - 1


def test_fallback_dns_not_an_address_is_a_user_error():
    policies = make_policies()
    policies["networkPolicy"]["fallbackDns"] = "dns.google"
    with pytest.raises(VnpError) as err:
        generate(policies)
    assert err.value.problems[0].path == "policies.networkPolicy.fallbackDns"


# --- control plane -----------------------------------------------------------------


def test_no_control_plane_policy_or_rule_without_a_selector():
    objs = netpols(generate(make_policies()))
    assert [o["metadata"]["name"] for o in objs] == [f"vnp-{RELEASE}-workload"]
    assert not allowed(objs, CONTROLLER, WEB, 80)


def test_control_plane_policy_with_a_selector():
    objs = netpols(generate(make_policies(control_plane=CONTROL_PLANE)))
    assert [o["metadata"]["name"] for o in objs] == [f"vnp-{RELEASE}-workload", f"vnp-{RELEASE}-control-plane"]
    cp = objs[1]["spec"]
    assert cp["podSelector"] == CONTROL_PLANE and cp["policyTypes"] == ["Ingress", "Egress"]
    assert cp["egress"][0] == {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}, {"ipBlock": {"cidr": "::/0"}}],
                               "ports": [{"port": p, "protocol": "TCP"} for p in (443, 6443, 8443)]}


def test_workloads_and_control_plane_talk():
    objs = generate(make_policies(control_plane=CONTROL_PLANE))
    assert allowed(objs, WEB, CONTROLLER, 443) and allowed(objs, WEB, CONTROLLER, 8443)
    assert not allowed(objs, WEB, CONTROLLER, 9000)
    assert allowed(objs, CONTROLLER, WEB, 9000)  # e.g. a syncer probing its pods
    assert not allowed(objs, OTHER_RELEASE, CONTROLLER, 443)


def test_control_plane_reaches_api_server_dns_and_nothing_else():
    objs = generate(make_policies(control_plane=CONTROL_PLANE))
    for port in (443, 6443, 8443):
        assert allowed(objs, CONTROLLER, API_SERVER, port)
    assert allowed(objs, CONTROLLER, DNS, 53, "UDP")
    assert not allowed(objs, CONTROLLER, "1.1.1.1", 80)
    assert not allowed(objs, CONTROLLER, OTHER_RELEASE, 80)


def test_control_plane_reaches_the_api_server_at_its_peers_only():
    """Issue 13 item 11: vCluster's API-server rule has no `to` (every address on 443/6443/8443, other
    tenants' pods included); vnp's goes to networkPolicy.apiServer.peers, on its ports too."""
    policies = make_policies(control_plane=CONTROL_PLANE)
    policies["networkPolicy"]["apiServer"] = {"peers": [{"ipBlock": {"cidr": f"{API_SERVER}/32"}}],
                                              "ports": [16443]}
    objs = generate(policies)
    for port in (443, 6443, 8443, 16443):
        assert allowed(objs, CONTROLLER, API_SERVER, port)
    assert not allowed(objs, CONTROLLER, "1.1.1.1", 443)
    assert not allowed(objs, CONTROLLER, Pod("tenant-b", {"app": "x"}, "10.244.9.9"), 8443)
    policies["networkPolicy"]["apiServer"]["peers"] = []  # [] opens nothing
    assert not allowed(generate(policies), CONTROLLER, API_SERVER, 443)


@pytest.mark.parametrize("platform", [True, False])
def test_platform_egress_only_when_enabled(platform):
    policies = make_policies(control_plane=CONTROL_PLANE)
    policies["networkPolicy"]["controlPlane"]["platform"] = platform
    objs = generate(policies)
    assert allowed(objs, CONTROLLER, LOFT, 80) is platform


# --- user rules --------------------------------------------------------------------


def test_user_rules_appended_verbatim_after_built_in_ones():
    policies = make_policies(control_plane=CONTROL_PLANE)
    net = policies["networkPolicy"]
    w_in = [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress"}}}],
             "ports": [{"port": 8080}]}]
    w_out = [{"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}], "ports": [{"port": 5432, "protocol": "TCP"}]}]
    cp_in = [{"ports": [{"port": 8443, "protocol": "TCP"}]}]
    cp_out = [{"to": [{"podSelector": {"matchLabels": {"app": "etcd"}}}]}]
    net["workload"].update(ingress=w_in, egress=w_out)
    net["controlPlane"].update(ingress=cp_in, egress=cp_out)
    workload, cp = netpols(generate(policies))
    assert workload["spec"]["ingress"][-1:] == w_in and workload["spec"]["egress"][-1:] == w_out
    assert cp["spec"]["ingress"][-1:] == cp_in and cp["spec"]["egress"][-1:] == cp_out
    assert allowed(generate(policies), Pod("ingress", {}, "10.244.5.5"), WEB, 8080)
    assert allowed(generate(policies), WEB, "10.1.2.3", 5432)


# --- workloadSelectors mode: the release is its workloads' selectors ---------------

DB = Pod(NAMESPACE, {"app": "db", "tier": "data"}, "10.244.1.20")
PLAIN_WEB = Pod(NAMESPACE, {"app": "web"}, "10.244.1.21")
NOT_DB = Pod(NAMESPACE, {"app": "db"}, "10.244.1.22")  # fails the db selector's expression


def test_one_policy_per_selectable_workload():
    objs = netpols(generate(make_policies(selection="workloadSelectors")))
    assert [o["metadata"]["name"] for o in objs] == [f"vnp-{RELEASE}-deployment-web", f"vnp-{RELEASE}-statefulset-db"]
    assert [o["spec"]["podSelector"] for o in objs] == [w["selector"] for w in WORKLOADS[:2]]


def test_workload_selectors_label_nothing_and_select_only_workloads():
    objs = generate(make_policies(selection="workloadSelectors", control_plane=CONTROL_PLANE))
    assert RELEASE_LABEL not in repr([o["spec"] for o in objs])
    assert allowed(objs, PLAIN_WEB, DB, 5432) and allowed(objs, DB, PLAIN_WEB, 80)
    assert not allowed(objs, NOT_DB, PLAIN_WEB, 80) and not allowed(objs, PLAIN_WEB, NOT_DB, 80)
    assert allowed(objs, CONTROLLER, DB, 80) and allowed(objs, DB, CONTROLLER, 443)
    assert not allowed(objs, DB, CONTROLLER, 9000)


def test_no_selectable_workload_never_means_everyone():
    objs = generate(
        make_policies(selection="workloadSelectors", control_plane=CONTROL_PLANE),
        workloads=[{"kind": "Pod", "name": "debug", "selector": None}],
    )
    assert [o["metadata"]["name"] for o in netpols(objs)] == [f"vnp-{RELEASE}-control-plane"]
    assert not allowed(objs, UNLABELLED, CONTROLLER, 9000)
    assert not allowed(objs, CONTROLLER, UNLABELLED, 9000)


@pytest.mark.parametrize("selector", [{}, {"matchLabels": {}}, {"matchLabels": {}, "matchExpressions": []}])
def test_empty_workload_selector_is_refused(selector):
    with pytest.raises(ValueError, match="Deployment/web"):
        generate(
            make_policies(selection="workloadSelectors"),
            workloads=[{"kind": "Deployment", "name": "web", "selector": selector}],
        )


def test_long_workload_names_stay_valid_and_distinct():
    long = "a" * 250
    workloads = [
        {"kind": "Deployment", "name": long + "x", "selector": {"matchLabels": {"app": "x"}}},
        {"kind": "Deployment", "name": long + "y", "selector": {"matchLabels": {"app": "y"}}},
    ]
    names = [o["metadata"]["name"] for o in netpols(generate(make_policies(selection="workloadSelectors"), workloads))]
    assert len(set(names)) == 2 and all(len(n) <= 253 for n in names)


# --- properties over every shape ---------------------------------------------------


@pytest.mark.parametrize("selection", ["podLabel", "workloadSelectors"])
@pytest.mark.parametrize("cp", [None, CONTROL_PLANE], ids=["no-cp", "cp"])
def test_no_rule_has_an_empty_peer_list(selection, cp):
    """``from: []`` / ``to: []`` would allow everyone."""
    for workloads in (WORKLOADS, []):
        for rule in all_rules(generate(make_policies(selection=selection, control_plane=cp), workloads)):
            assert rule.get("from", [1]) and rule.get("to", [1])


def test_disabled_network_policy_generates_none():
    assert netpols(generate(make_policies(network=False, control_plane=CONTROL_PLANE))) == []
