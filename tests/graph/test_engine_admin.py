"""AdminNetworkPolicy and BaselineAdminNetworkPolicy in the connectivity engine: priorities, rule order,
Allow/Deny/Pass over and under NetworkPolicies, the baseline only where no NetworkPolicy isolates,
networks peers, named ports and ranges, the network-policy-api documentation's examples, the refusal of
invalid objects, and ``--cluster-policies`` / explain on the command line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helm_vnp.base.errors import VnpError
from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity.explain import explain
from tests.builders import container, deployment, stream
from tests.graph.test_engine_semantics import V4, V6, namespace, policy, table

API = "policy.networking.k8s.io/v1alpha1"
ALL = "All Connections"


def anp(name: str, priority, subject: dict, ingress=None, egress=None) -> dict:
    spec = {"priority": priority, "subject": subject}
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    return {"apiVersion": API, "kind": "AdminNetworkPolicy", "metadata": {"name": name}, "spec": spec}


def banp(subject: dict, ingress=None, egress=None, name: str = "default") -> dict:
    out = anp(name, None, subject, ingress, egress)
    del out["spec"]["priority"]
    return {**out, "kind": "BaselineAdminNetworkPolicy"}


def ns_sel(name: str) -> dict:
    return {"matchLabels": {"kubernetes.io/metadata.name": name}}


def pods(ns: dict, labels: dict | None = None) -> dict:
    return {"pods": {"namespaceSelector": ns, "podSelector": {"matchLabels": labels} if labels else {}}}


def rule(action: str, peers: list, ports=None, name: str = "") -> dict:
    out = {"action": action, "from": peers}
    if ports is not None:
        out["ports"] = ports
    if name:
        out["name"] = name
    return out


def egress_rule(action: str, peers: list, ports=None, name: str = "") -> dict:
    out = rule(action, peers, ports, name)
    out["to"] = out.pop("from")
    return out


def tcp(port: int) -> dict:
    return {"portNumber": {"protocol": "TCP", "port": port}}


WEB = Workload("shop", "web", "Deployment", {"app": "web"}, {"http": (8080, "TCP"), "dns": (53, "UDP")})
DB = Workload("shop", "db", "StatefulSet", {"app": "db"}, {"pg": (5432, "TCP")})
MON = Workload("monitoring", "prom", "Deployment", {"app": "prom"})
EVIL = Workload("other", "client", "Deployment", {"app": "client"})
PODS = [WEB, DB, MON, EVIL]
NAMESPACES = [namespace("shop", {"tenant": "shop"}), namespace("monitoring", {"kind": "infra"}),
              namespace("other", {"tenant": "other"})]
W, D, M, E = WEB.key, DB.key, MON.key, EVIL.key
SHOP = {"namespaces": ns_sel("shop")}


def t(*objects) -> dict:
    return table(PODS, [*NAMESPACES, *objects])


def test_deny_overrides_a_network_policy_allow():
    allow_all = policy("allow-all", "shop", {"podSelector": {}, "ingress": [{}]})
    deny = anp("deny-other", 10, SHOP, ingress=[rule("Deny", [{"namespaces": ns_sel("other")}])])
    assert t(allow_all)[(E, D)] == ALL
    got = t(allow_all, deny)
    assert (E, D) not in got and (E, W) not in got
    assert got[(M, D)] == ALL  # the rest of what the NetworkPolicy allows stays


def test_allow_overrides_network_policy_isolation():
    deny_all = policy("deny-all", "shop", {"podSelector": {}, "policyTypes": ["Ingress"]})
    allow_mon = anp("allow-monitoring", 5, SHOP, ingress=[rule("Allow", [{"namespaces": ns_sel("monitoring")}],
                                                                 [tcp(9090)])])
    got = t(deny_all, allow_mon)
    assert got[(M, D)] == got[(M, W)] == "TCP 9090"
    assert (E, D) not in got and (W, D) not in got


def test_priority_lower_number_wins_whatever_the_input_order():
    allow = anp("allow", 10, SHOP, ingress=[rule("Allow", [{"namespaces": {}}])])
    deny = anp("deny", 20, SHOP, ingress=[rule("Deny", [{"namespaces": {}}])])
    assert t(deny, allow)[(E, D)] == ALL
    allow["spec"]["priority"] = 30
    assert (E, D) not in t(deny, allow)


def test_first_rule_of_one_policy_wins_per_port():
    p = anp("ordered", 1, SHOP, ingress=[rule("Allow", [{"namespaces": ns_sel("other")}], [tcp(80)]),
                                          rule("Deny", [{"namespaces": {}}], [{"portNumber": {"port": 80}},
                                                                               {"portRange": {"start": 70,
                                                                                              "end": 90}}])])
    got = t(p)
    assert got[(E, D)] == "SCTP 1-65535,TCP 1-69,80,91-65535,UDP 1-65535,all protocols without ports"
    assert got[(M, D)] == "SCTP 1-65535,TCP 1-69,91-65535,UDP 1-65535,all protocols without ports"


def test_pass_hands_down_to_network_policies():
    only_web = policy("db-from-web", "shop", {"podSelector": {"matchLabels": {"app": "db"}},
                                              "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}],
                                                           "ports": [{"port": 5432}]}]})
    passing = anp("pass-shop", 1, SHOP, ingress=[rule("Pass", [{"namespaces": ns_sel("shop")}]),
                                                  rule("Allow", [{"namespaces": {}}])])
    got = t(only_web, passing)
    assert got[(W, D)] == "TCP 5432"  # passed: the NetworkPolicy decides
    assert got[(M, D)] == ALL  # not passed: the later Allow rule decides, over the NetworkPolicy
    # passed traffic of a pod no NetworkPolicy isolates goes on to the baseline
    base = banp(SHOP, ingress=[rule("Deny", [{"namespaces": ns_sel("shop")}])])
    got = t(only_web, passing, base)
    assert (D, W) not in got  # web: no NetworkPolicy, passed, baseline denies
    assert got[(W, D)] == "TCP 5432"  # db: isolated by its NetworkPolicy, the baseline does not apply
    assert got[(M, W)] == ALL


def test_baseline_applies_only_where_no_network_policy_isolates():
    base = banp({"namespaces": {}}, ingress=[rule("Deny", [{"namespaces": {}}])])
    got = t(base)
    assert not [k for k in got if k[1] in (W, D, M, E) and k[0] in (W, D, M, E)]
    assert got[(V4, D)] == ALL  # admin peers are pods: traffic from outside is not theirs to match
    from_web = [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}]
    allow_db = policy("db-from-web", "shop", {"podSelector": {"matchLabels": {"app": "db"}}, "ingress": from_web})
    got = t(base, allow_db)
    assert got[(W, D)] == ALL and (E, D) not in got and (D, W) not in got


def test_baseline_allow_and_deny_in_rule_order_rest_allowed():
    base = banp(SHOP, egress=[egress_rule("Allow", [{"namespaces": ns_sel("monitoring")}], [tcp(9090)]),
                              egress_rule("Deny", [{"namespaces": ns_sel("monitoring")}])])
    got = t(base)
    assert got[(W, M)] == "TCP 9090"
    assert got[(W, E)] == ALL and got[(W, V4)] == ALL


def test_networks_peers_cut_the_address_space():
    p = anp("egress-guard", 3, SHOP, egress=[
        egress_rule("Allow", [{"networks": ["10.0.0.0/8"]}], [tcp(443)]),
        egress_rule("Deny", [{"networks": ["0.0.0.0/0", "::/0"]}])])
    got = t(p)
    assert got[(W, "10.0.0.0-10.255.255.255")] == "TCP 443"
    assert (W, "0.0.0.0-9.255.255.255") not in got and (W, "11.0.0.0-255.255.255.255") not in got
    assert (W, V6) not in got
    assert got[(M, "0.0.0.0-9.255.255.255")] == ALL  # monitoring is not its subject
    assert got[(W, M)] == ALL  # a networks peer matches no pod


def test_networks_peer_denies_over_a_network_policy_ip_block():
    np_egress = policy("out", "shop", {"podSelector": {}, "policyTypes": ["Egress"],
                                       "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]})
    p = anp("no-metadata", 0, SHOP, egress=[egress_rule("Deny", [{"networks": ["169.254.169.254/32"]}])])
    got = t(np_egress, p)
    assert (W, "169.254.169.254-169.254.169.254") not in got
    assert got[(W, "169.254.169.255-255.255.255.255")] == ALL


def test_named_ports_take_the_destination_port_and_its_protocol():
    deny_all = policy("deny-all", "shop", {"podSelector": {}, "policyTypes": ["Ingress"]})
    p = anp("named", 4, SHOP, ingress=[rule("Allow", [{"namespaces": {}}], [{"namedPort": "http"},
                                                                            {"namedPort": "dns"},
                                                                            {"namedPort": "pg"}])])
    got = t(deny_all, p)
    assert got[(E, W)] == "TCP 8080,UDP 53"
    assert got[(E, D)] == "TCP 5432"
    # towards an address a named port is nothing (netpol-analyzer ignores it there)
    q = anp("named-out", 5, SHOP, egress=[egress_rule("Deny", [{"networks": ["0.0.0.0/0"]}], [{"namedPort": "http"}])])
    assert t(q)[(W, V4)] == ALL


def test_port_ranges_and_protocols():
    p = anp("ranges", 4, SHOP, ingress=[rule("Deny", [{"namespaces": {}}], [
        {"portRange": {"start": 8000, "end": 8999}}, {"portRange": {"protocol": "UDP", "start": 53, "end": 53}},
        {"portNumber": {"protocol": "SCTP", "port": 9}}])])
    assert t(p)[(E, D)] == ("SCTP 1-8,10-65535,TCP 1-7999,9000-65535,UDP 1-52,54-65535,"
                            "all protocols without ports")


def test_subject_by_pods_and_peers_by_pods():
    p = anp("db-only", 2, pods(ns_sel("shop"), {"app": "db"}),
            ingress=[rule("Deny", [pods({}, {"app": "client"})])])
    got = t(p)
    assert (E, D) not in got and got[(E, W)] == ALL and got[(M, D)] == ALL


def test_the_engine_groups_subjects_and_peers_into_classes():
    many = [Workload("shop", f"w{i}", "Deployment", {"app": "web"}) for i in range(50)]
    p = anp("deny", 1, SHOP, ingress=[rule("Deny", [{"namespaces": ns_sel("other")}])])
    result = compute([*many, EVIL], [*NAMESPACES, p], {"shop": {}, "other": {}})
    assert len(result.classes) == 2
    assert not result.between(50, 0) and result.between(0, 50).is_all


# -- the network-policy-api documentation's examples ---------------------------------------------------------

HOUSES = {h: Workload(h, h, "Deployment", {"conformance-house": h}) for h in ("gryffindor", "slytherin",
                                                                            "hufflepuff", "ravenclaw")}
HOUSE_NS = [namespace(h, {"conformance-house": h}) for h in HOUSES]


def house(h: str) -> dict:
    return {"namespaceSelector": {"matchLabels": {"conformance-house": h}},
            "podSelector": {"matchLabels": {"conformance-house": h}}}


def houses(*objects) -> dict:
    return table(list(HOUSES.values()), [*HOUSE_NS, *objects])


def test_conformance_priority_field_example():
    """The conformance suite's core-priority-field: priority 50 denies slytherin both ways, priority 60
    allows it; the lower number wins."""
    deny = anp("priority-50-example", 50, {"pods": house("gryffindor")},
               ingress=[rule("Deny", [{"pods": house("slytherin")}], name="deny-all-ingress-from-slytherin")],
               egress=[egress_rule("Deny", [{"pods": house("slytherin")}], name="deny-all-egress-to-slytherin")])
    allow = anp("old-priority-60-new-priority-40-example", 60, {"pods": house("gryffindor")},
                ingress=[rule("Allow", [{"pods": house("slytherin")}])],
                egress=[egress_rule("Allow", [{"pods": house("slytherin")}])])
    g, s = HOUSES["gryffindor"].key, HOUSES["slytherin"].key
    got = houses(deny, allow)
    assert (s, g) not in got and (g, s) not in got
    assert got[(HOUSES["hufflepuff"].key, g)] == ALL
    allow["spec"]["priority"] = 40  # the test's second step: the allow policy now comes first
    got = houses(deny, allow)
    assert got[(s, g)] == ALL and got[(g, s)] == ALL


def test_docs_example_tenant_isolation_by_baseline_with_pass_to_owners():
    """The API docs' user stories: a platform isolates tenants by default with the baseline, lets a
    monitoring namespace in at high priority, and passes intra-tenant traffic to the tenants' own
    NetworkPolicies."""
    monitoring = anp("allow-monitoring", 9, {"namespaces": {}},
                     ingress=[rule("Allow", [{"namespaces": {"matchLabels": {"kind": "infra"}}}])])
    tenants = anp("pass-intra-tenant", 50, {"namespaces": {"matchExpressions": [{"key": "tenant",
                                                                                 "operator": "Exists"}]}},
                  ingress=[rule("Pass", [{"namespaces": {"matchExpressions": [{"key": "tenant",
                                                                               "operator": "Exists"}]}}])])
    base = banp({"namespaces": {"matchExpressions": [{"key": "tenant", "operator": "Exists"}]}},
                ingress=[rule("Deny", [{"namespaces": {}}])])
    got = t(monitoring, tenants, base)
    assert got[(M, D)] == got[(M, E)] == ALL
    assert (E, D) not in got and (W, D) not in got and (D, E) not in got  # the baseline isolates
    owners = policy("web-to-db", "shop", {"podSelector": {"matchLabels": {"app": "db"}},
                                          "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}]})
    got = t(monitoring, tenants, base, owners)
    assert got[(W, D)] == ALL and (E, D) not in got and got[(M, D)] == ALL


# -- refusals ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mutate, message, path", [
    (lambda p: p["spec"].update(priority=1001), "priority 1001 is not an integer 0-1000", "spec.priority"),
    (lambda p: p["spec"].update(priority="1"), "priority '1' is not an integer", "spec.priority"),
    (lambda p: p["spec"]["ingress"][0].update(action="Drop"), "unrecognized action 'Drop'",
     "spec.ingress[0].action"),
    (lambda p: p["spec"]["ingress"][0].update({"from": []}), "from must be defined", "spec.ingress[0].from"),
    (lambda p: p["spec"]["ingress"][0]["from"][0].update(pods=house("x")), "exactly one field must be set in a "
     "rule peer", "spec.ingress[0].from[0]"),
    (lambda p: p["spec"].update(subject={}), "exactly one field must be set in a subject", "spec.subject"),
    (lambda p: p["spec"]["ingress"][0].update(ports=[{"portRange": {"start": 9, "end": 8}}]), "not a port range",
     "spec.ingress[0].ports[0].portRange"),
    (lambda p: p["spec"]["ingress"][0].update(ports=[{"portNumber": {"port": 80}, "namedPort": "x"}]),
     "exactly one field must be set in an AdminNetworkPolicyPort", "spec.ingress[0].ports[0]"),
    (lambda p: p["spec"]["egress"][0]["to"][0].update(networks=["10.0.0.0"]), "'10.0.0.0' is not a CIDR",
     "spec.egress[0].to[0].networks[0]"),
    (lambda p: p["spec"]["subject"]["namespaces"].update(matchExpressions=[{"key": "a", "operator": "Is"}]),
     "operator 'Is'", "spec.subject.namespaces"),
])
def test_invalid_admin_policies_are_refused_with_their_path(mutate, message, path):
    p = anp("bad", 1, {"namespaces": {}}, ingress=[rule("Allow", [{"namespaces": {}}])],
            egress=[egress_rule("Allow", [{"networks": ["10.0.0.0/8"]}])])
    mutate(p)
    with pytest.raises(VnpError) as exc:
        compute(PODS, [p], source_of=lambda o: ("cluster.yaml", 7))
    problem = exc.value.problems[0]
    assert message in problem.message and problem.path == path
    assert (problem.file, problem.line) == ("cluster.yaml", 7)


def test_same_priority_two_baselines_and_baseline_rules_are_refused():
    a = anp("a", 5, SHOP, ingress=[rule("Deny", [{"namespaces": {}}])])
    b = anp("b", 5, SHOP, ingress=[rule("Allow", [{"namespaces": {}}])])
    with pytest.raises(VnpError, match="same priority 5"):
        compute(PODS, [a, b])
    with pytest.raises(VnpError, match="two AdminNetworkPolicies have this name"):
        compute(PODS, [a, {**b, "metadata": {"name": "a"}, "spec": {**b["spec"], "priority": 6}}])
    base = banp(SHOP, ingress=[rule("Deny", [{"namespaces": {}}])])
    with pytest.raises(VnpError, match="at most"):
        compute(PODS, [base, base])
    with pytest.raises(VnpError, match="must be named 'default'"):
        compute(PODS, [banp(SHOP, name="tenants")])
    with pytest.raises(VnpError, match="unrecognized action 'Pass'"):
        compute(PODS, [banp(SHOP, ingress=[rule("Pass", [{"namespaces": {}}])])])


def test_nodes_peers_and_other_versions_are_warnings():
    p = anp("nodes", 1, SHOP, egress=[egress_rule("Deny", [{"nodes": {"matchLabels": {}}}])])
    result = compute(PODS, [p, {**p, "apiVersion": "policy.networking.k8s.io/v1alpha2"}])
    assert any("nodes peer is not supported" in w for w in result.warnings)
    assert any("v1alpha2 is not analysed" in w for w in result.warnings)
    assert result.between(0, 1).is_all
    old = anp("same-labels", 2, {"namespaces": {"sameLabels": ["tenant"]}},
              ingress=[rule("Deny", [{"namespaces": {"notSameLabels": ["tenant"]}}])])
    result = compute(PODS, [old])
    assert sum("unknown selector field(s) notSameLabels" in w or "sameLabels ignored" in w
               for w in result.warnings) == 2
    assert not result.between(0, 1)  # pruned to {}: everything, as the API server and netpol-analyzer read it


# -- explain and the command line ------------------------------------------------------------------------

def test_explain_agrees_with_the_bulk_answer_and_names_the_deciding_rules():
    deny_all = policy("deny-all", "shop", {"podSelector": {}, "policyTypes": ["Ingress"]})
    objects = [*NAMESPACES, deny_all,
               anp("mon", 5, SHOP, ingress=[rule("Allow", [{"namespaces": ns_sel("monitoring")}], [tcp(9090)],
                                                 name="scrape"),
                                            rule("Pass", [{"namespaces": ns_sel("shop")}], name="tenant")]),
               anp("guard", 7, {"namespaces": {}}, egress=[egress_rule("Deny", [{"networks": ["10.0.0.0/8"]}])]),
               banp({"namespaces": {}}, ingress=[rule("Deny", [{"namespaces": ns_sel("shop")}], [tcp(22)])])]
    result = compute(PODS, objects, {n["metadata"]["name"]: n["metadata"]["labels"] for n in NAMESPACES})
    for s in range(len(PODS)):
        for d in range(len(PODS)):
            if s != d:
                assert explain(result, PODS[s].key, PODS[d].key).conn == result.between(s, d), (s, d)
    answer = explain(result, M, D, "9090")
    assert answer.allowed
    assert "AdminNetworkPolicy mon (priority 5) ingress[0] 'scrape' (Allow) allows: TCP 9090" in answer.text()
    passed = explain(result, W, D).text()
    assert "'tenant' (Pass) passes" in passed and "NetworkPolicies deny All Connections" in passed
    out = explain(result, W, "10.1.2.3")
    assert not out.allowed and "AdminNetworkPolicy guard (priority 7) egress[0] (Deny) denies" in out.text()
    decisions = out.as_json()["sides"][0]["decisions"]
    assert decisions[0]["policy"] == "guard" and decisions[0]["priority"] == 7 and decisions[0]["action"] == "Deny"
    base = explain(result, D, M, "22")
    assert not base.allowed and "BaselineAdminNetworkPolicy default ingress[0] (Deny) denies: TCP 22" in base.text()
    assert explain(result, E, M, "22").allowed  # other is not a peer of that baseline rule
    assert explain(result, M, "shop/web").allowed


BIN = Path(sys.executable).parent
CHART = stream(deployment("web", containers=[container("web", "nginx", ports=[8080])]),
               deployment("db", containers=[container("db", "postgres", ports=[5432])]))
CLUSTER = [
    anp("deny-from-ops", 10, {"namespaces": ns_sel("apps")},
        ingress=[rule("Deny", [{"namespaces": ns_sel("ops")}], [tcp(5432)], name="no-db")]),
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ops", "labels": {"team": "ops"}}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "tool", "namespace": "ops"},
     "spec": {"selector": {"matchLabels": {"app": "tool"}},
              "template": {"metadata": {"labels": {"app": "tool"}},
                           "spec": {"containers": [{"name": "t", "image": "busybox"}]}}}},
]


def cli(*args, stdin: str | None = None):
    return subprocess.run([str(BIN / "helm-vnp"), *args], capture_output=True, text=True, input=stdin,
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def test_cluster_policies_on_the_command_line(tmp_path):
    (tmp_path / "chart.yaml").write_text(CHART)
    cluster = tmp_path / "cluster"
    (cluster / "sub").mkdir(parents=True)
    (cluster / "anp.yaml").write_text(stream(CLUSTER[0]))
    (cluster / "sub" / "ops.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": CLUSTER[1:]}))
    base = ["--rendered", str(tmp_path / "chart.yaml"), "--release", "rel", "-n", "apps"]
    out = cli("graph", *base, "--cluster-policies", str(cluster), "--format", "connlist")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert ("ops/tool[Deployment] => apps/db[Deployment] : SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535,"
            "all protocols without ports") in lines
    assert "apps/web[Deployment] => ops/tool[Deployment] : All Connections" in lines  # egress is not its business
    # the release alone does not know ops
    alone = cli("graph", *base, "--format", "connlist")
    assert "ops/tool" not in alone.stdout
    why = cli("explain", "ops/tool", "db", *base, "--cluster-policies", "-", "--port", "5432",
              stdin=stream(*CLUSTER))
    assert why.returncode == 1, why.stderr
    assert "AdminNetworkPolicy deny-from-ops (priority 10) ingress[0] 'no-db' (Deny) denies: TCP 5432" in why.stdout
    # the release's own inputs may hold admin policies too
    (tmp_path / "all.yaml").write_text(CHART + stream(*CLUSTER))
    same = cli("graph", "--rendered", str(tmp_path / "all.yaml"), "--release", "rel", "-n", "apps",
               "--format", "connlist")
    assert same.returncode == 0, same.stderr
    assert same.stdout == out.stdout


def test_cluster_policies_refusals_exit_2_with_file_and_line(tmp_path):
    (tmp_path / "chart.yaml").write_text(CHART)
    bad = dict(CLUSTER[0], spec=dict(CLUSTER[0]["spec"], priority=-1))
    (tmp_path / "bad.yaml").write_text(stream(CLUSTER[1], bad))
    base = ["--rendered", str(tmp_path / "chart.yaml"), "--release", "rel", "-n", "apps"]
    out = cli("graph", *base, "--cluster-policies", str(tmp_path / "bad.yaml"), "--format", "connlist")
    assert out.returncode == 2 and not out.stdout
    assert "bad.yaml" in out.stderr and "spec.priority" in out.stderr and "Traceback" not in out.stderr
    assert "bad.yaml:9:" in out.stderr, out.stderr  # the line where the policy starts
    missing = cli("graph", *base, "--cluster-policies", str(tmp_path / "nope.yaml"), "--format", "connlist")
    assert missing.returncode == 2 and "--cluster-policies" in missing.stderr
    twice = cli("graph", "--rendered", "-", "--cluster-policies", "-", "--format", "connlist", stdin=CHART)
    assert twice.returncode == 2 and "read once" in twice.stderr


def test_probe_formats_apply_cluster_policies(tmp_path):
    (tmp_path / "chart.yaml").write_text(CHART)
    guard = anp("no-metadata", 1, {"namespaces": {}},
                egress=[egress_rule("Deny", [{"networks": ["169.254.169.254/32"]}], name="block-imds")])
    (tmp_path / "guard.yaml").write_text(stream(guard))
    base = ["graph", "--rendered", str(tmp_path / "chart.yaml"), "--release", "rel", "-n", "apps"]
    before = cli(*base)
    after = cli(*base, "--cluster-policies", str(tmp_path / "guard.yaml"))
    assert before.returncode == after.returncode == 0, after.stderr
    assert "Deployment/web  ->  cloud metadata (169.254.169.254): allow 80/TCP" in before.stdout
    assert "Deployment/web  ->  cloud metadata (169.254.169.254): deny" in after.stdout
    allow = anp("open-imds", 0, {"namespaces": {}}, egress=[egress_rule("Allow", [{"networks": ["169.254.0.0/16"]}])])
    (tmp_path / "guard.yaml").write_text(stream(guard, allow))
    edges = json.loads(cli(*base, "--cluster-policies", str(tmp_path / "guard.yaml"), "--format", "json").stdout)
    imds = [e for e in edges["edges"] if e["to"] == "metadata"]
    assert imds and all(e["allowed"] and e["by"] == ["open-imds"] for e in imds)


JSONISH = st.recursive(
    st.one_of(
        st.none(), st.booleans(),
        st.integers(-2, 70000), st.text(max_size=8),
        st.sampled_from(["Allow", "Deny", "Pass", "TCP", "10.0.0.0/8", "::/0"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                ["namespaces", "pods", "networks", "nodes", "portNumber", "portRange", "namedPort", "port",
                 "start", "end", "protocol", "matchLabels", "matchExpressions", "action", "from", "to",
                 "namespaceSelector", "podSelector", "key", "operator", "values"]), inner, max_size=3)),
    max_leaves=12)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_malformed_admin_policies_are_refused_or_read_never_a_crash(data):
    import copy
    base = anp("fuzz", 3, {"pods": house("shop")},
               ingress=[rule("Pass", [{"namespaces": {"matchExpressions": [{"key": "a", "operator": "In",
                                                                            "values": ["b"]}]}}], [tcp(80)])],
               egress=[egress_rule("Deny", [{"networks": ["10.0.0.0/8"]}, pods({})],
                                   [{"portRange": {"start": 1, "end": 9}}, {"namedPort": "http"}])])
    p = copy.deepcopy(base)
    paths = [q for q in _paths(p["spec"]) if q]
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(paths))
        target = p["spec"]
        for k in where[:-1]:
            target = target[k]
        try:
            target[where[-1]] = data.draw(JSONISH)
        except (TypeError, IndexError, KeyError):
            continue
        paths = [q for q in _paths(p["spec"]) if q]
    try:
        compute(PODS, [p])
    except VnpError as exc:
        assert all(problem.message for problem in exc.problems)


def test_docs_sample_stories_in_v1alpha1():
    """The network-policy-api documentation's sample stories (its current v1alpha2 ClusterNetworkPolicy
    samples, written as the v1alpha1 objects netpol-analyzer reads: tier Admin -> AdminNetworkPolicy,
    Baseline -> BaselineAdminNetworkPolicy, Accept -> Allow): 1 deny all ingress to sensitive-ns at priority
    10; 2 allow monitoring-ns in and kube-dns out everywhere at priority 30; 3 pass monitoring to the
    namespace owners, whose NetworkPolicy then decides; 4 a baseline that denies ingress from every
    namespace where no NetworkPolicy isolates."""
    pods_ = {n: Workload(n, "app", "Deployment", {"app": n}) for n in ("sensitive-ns", "monitoring-ns", "tenant")}
    dns = Workload("kube-system", "coredns", "Deployment", {"app": "kube-dns"})
    everyone = [*pods_.values(), dns]
    s, m, tn, d = (w.key for w in everyone)

    def run(*objects):
        return table(everyone, list(objects))

    story1 = anp("cluster-wide-deny-example", 10, {"namespaces": ns_sel("sensitive-ns")},
                 ingress=[rule("Deny", [{"namespaces": {"matchLabels": {}}}], name="select-all-deny-all")])
    story2 = anp("cluster-wide-allow-example", 30, {"namespaces": {}},
                 ingress=[rule("Allow", [{"namespaces": ns_sel("monitoring-ns")}], name="allow-monitoring-ns-ingress")],
                 egress=[egress_rule("Allow", [pods(ns_sel("kube-system"), {"app": "kube-dns"})],
                                     name="allow-kube-dns-egress")])
    got = run(story1, story2)
    assert (m, s) not in got and (tn, s) not in got and (d, s) not in got  # 10 before 30
    assert got[(m, tn)] == ALL and got[(s, d)] == ALL
    story3 = anp("pass-example", 20, {"namespaces": ns_sel("tenant")},
                 ingress=[rule("Pass", [{"namespaces": ns_sel("monitoring-ns")}], name="pass-monitoring")])
    owners = policy("deny-monitoring", "tenant", {"podSelector": {}, "ingress": [{"from": [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}]}]})
    got = run(story1, story2, story3, owners)
    assert (m, tn) not in got  # passed at 20, before the Allow at 30: the owners' policy denies it
    assert got[(d, tn)] == ALL
    story4 = banp({"namespaces": {}}, ingress=[rule("Deny", [{"namespaces": {}}], name="default-deny")])
    got = run(story2, story4)
    assert got[(m, s)] == ALL and got[(m, tn)] == ALL  # the Allow at 30 comes first
    assert (tn, s) not in got and (s, tn) not in got and (s, d) not in got  # the baseline denies the rest
    assert got[(V4, s)] == ALL and got[(s, V6)] == ALL  # admin policies do not match addresses
