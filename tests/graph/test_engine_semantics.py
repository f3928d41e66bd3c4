"""The connectivity engine's answers as expected connectivity: the seeds' examples (002: network policies
on virtual machines; 004: namespace isolation and inter-namespace communication) and the Kubernetes
documentation's canonical cases, each as the exact ``connlist`` lines (or the exact pair) it must give."""
from __future__ import annotations

from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity.connlist import render, rows

NP = "networking.k8s.io/v1"


def policy(name: str, namespace: str | None, spec: dict) -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": NP, "kind": "NetworkPolicy", "metadata": meta, "spec": spec}


def namespace(name: str, labels: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def table(workloads, objects, default_namespace="default") -> dict:
    """(src, dst) -> connections for every allowed pair (addresses included)."""
    namespaces = {o["metadata"]["name"]: o["metadata"]["labels"] for o in objects if o["kind"] == "Namespace"}
    return {(s, d): c for s, d, c in rows(compute(workloads, objects, namespaces, default_namespace))}


V4, V6 = "0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"

# -- seed 002: virtual machines in test-project --------------------------------------------------------------

VM_A = Workload("test-project", "vm-a", "VirtualMachine", {"vm": "a"})
VM_B = Workload("test-project", "vm-b", "VirtualMachine", {"vm": "b"})
NEIGHBOUR = Workload("test-project", "other", "Deployment", {"app": "other"})
ANOTHER = Workload("another-project", "client", "Deployment", {"app": "client"})
THIRD = Workload("third-project", "client", "Deployment", {"app": "client"})
VMS = [VM_A, VM_B, NEIGHBOUR, ANOTHER, THIRD]
A, B = VM_A.key, VM_B.key


def sources_of(t: dict, dst: str) -> set:
    return {s for (s, d) in t if d == dst}


def test_seed_002_without_policies_everything_is_open():
    t = table(VMS, [])
    assert len([k for k in t if V4 not in k and V6 not in k]) == 5 * 4
    assert t[(A, B)] == t[(V4, A)] == t[(A, V6)] == "All Connections"


def test_seed_002_deny_all_ingress_of_vm_a():
    t = table(VMS, [policy("vm-a-deny-ingress", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}}, "policyTypes": ["Ingress"]})])
    assert sources_of(t, A) == set()
    assert t[(A, B)] == t[(A, V4)] == t[(A, V6)] == "All Connections"  # egress untouched
    assert sources_of(t, B) == {A, NEIGHBOUR.key, ANOTHER.key, THIRD.key, V4, V6}


def test_seed_002_deny_both_directions():
    t = table(VMS, [policy("vm-a-deny", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}}, "policyTypes": ["Egress", "Ingress"]})])
    assert not [k for k in t if A in k]


def test_seed_002_allow_ingress_from_vm_b_only():
    t = table(VMS, [policy("allow-ingress-from-vm-b-to-vm-a", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"vm": "b"}}}]}],
        "policyTypes": ["Ingress"]})])
    assert sources_of(t, A) == {B}
    assert t[(B, A)] == "All Connections"


def test_seed_002_allow_egress_to_one_address_and_port():
    t = table(VMS, [policy("allow-egress-from-vm-a-to-8-8-8-8", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}},
        "egress": [{"to": [{"ipBlock": {"cidr": "8.8.8.8/32"}}], "ports": [{"protocol": "TCP", "port": 53}]}],
        "policyTypes": ["Egress"]})])
    assert {d: c for (s, d), c in t.items() if s == A} == {"8.8.8.8-8.8.8.8": "TCP 53"}
    assert t[(B, A)] == t[("0.0.0.0-8.8.8.7", A)] == "All Connections"  # ingress untouched
    assert t[(B, "8.8.8.8-8.8.8.8")] == t[(B, "8.8.8.9-255.255.255.255")] == "All Connections"


def test_seed_002_port_range_with_end_port():
    t = table(VMS, [policy("range", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "8.8.8.8/32"}}],
                    "ports": [{"protocol": "TCP", "port": 32000, "endPort": 32768}]}]})])
    assert t[(A, "8.8.8.8-8.8.8.8")] == "TCP 32000-32768"


def test_seed_002_allow_ingress_from_another_namespace_by_its_name_label():
    """another-project has no Namespace manifest: it still carries kubernetes.io/metadata.name."""
    t = table(VMS, [policy("allow-ingress-from-namespace-another-project-to-vm-a", "test-project", {
        "podSelector": {"matchLabels": {"vm": "a"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
            "kubernetes.io/metadata.name": "another-project"}}}]}]})])
    assert sources_of(t, A) == {ANOTHER.key}


# -- seed 004: namespace isolation, inter-namespace communication ---------------------------------------------

NS_A = [Workload("namespace-a", "web", "Deployment", {"app": "web"}),
        Workload("namespace-a", "api", "Deployment", {"app": "api"})]
NS_B = [Workload("namespace-b", "client", "Deployment", {"app": "client"})]
NS_C = [Workload("namespace-c", "client", "Deployment", {"app": "client"})]


def test_seed_004_namespace_isolation_denies_all_ingress_even_within_the_namespace():
    """The seed says this policy keeps intra-namespace traffic allowed; by the API it does not: with no
    ``policyTypes`` and no rules it is an ingress policy with no rule, which denies all ingress to every pod
    of namespace-a, from its own namespace too.  Egress stays open (no egress section)."""
    t = table(NS_A + NS_B, [policy("network-policy-namespace-a", "namespace-a", {"podSelector": {"matchLabels": {}}})])
    web, api = (w.key for w in NS_A)
    assert sources_of(t, web) == sources_of(t, api) == set()
    assert (web, api) not in t
    assert t[(web, NS_B[0].key)] == t[(web, V4)] == "All Connections"


def test_seed_004_inter_namespace_communication_by_namespace_label():
    objects = [namespace("namespace-b", {"ns-policy": "namespace-b"}),
               policy("np-allow-ns-a", "namespace-a", {
                   "podSelector": {"matchLabels": {}},
                   "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"ns-policy": "namespace-b"}}}]}],
                   "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"ns-policy": "namespace-b"}}}]}]})]
    t = table(NS_A + NS_B + NS_C, objects)
    web, api = (w.key for w in NS_A)
    b, c = NS_B[0].key, NS_C[0].key
    # policyTypes defaults to Ingress and Egress (it has egress rules): namespace-a talks with namespace-b only
    assert sources_of(t, web) == sources_of(t, api) == {b}
    assert {d for (s, d) in t if s == web} == {b}
    assert t[(b, web)] == t[(web, b)] == "All Connections"
    assert (c, web) not in t and (web, c) not in t and (web, api) not in t
    # the same policy written without a namespace lands in the default namespace (or the -n one)
    moved = table(NS_A + NS_B, [objects[0], {**objects[1], "metadata": {"name": "np-allow-ns-a"}}], "namespace-a")
    assert sources_of(moved, web) == {b}


# -- the Kubernetes documentation's canonical cases -------------------------------------------------------------

DEFAULT = [Workload("default", "db", "Deployment", {"role": "db"}, {"redis": (6379, "TCP")}),
           Workload("default", "frontend", "Deployment", {"role": "frontend"}),
           Workload("default", "other", "Deployment", {"role": "other"}),
           Workload("myproject", "client", "Deployment", {"role": "client"}),
           Workload("elsewhere", "frontend", "Deployment", {"role": "frontend"})]
DB, FRONTEND, OTHER, CLIENT, FAR_FRONTEND = (w.key for w in DEFAULT)
MYPROJECT = namespace("myproject", {"project": "myproject"})


def test_default_deny_and_allow_all():
    deny_in = policy("default-deny-ingress", "default", {"podSelector": {}, "policyTypes": ["Ingress"]})
    t = table(DEFAULT, [deny_in])
    assert not [k for k in t if k[1] in (DB, FRONTEND, OTHER)]
    assert t[(DB, CLIENT)] == "All Connections"
    allow_in = policy("allow-all-ingress", "default", {"podSelector": {}, "ingress": [{}], "policyTypes": ["Ingress"]})
    assert table(DEFAULT, [deny_in, allow_in]) == table(DEFAULT, [])
    deny_out = policy("default-deny-egress", "default", {"podSelector": {}, "policyTypes": ["Egress"]})
    t = table(DEFAULT, [deny_out])
    assert not [k for k in t if k[0] in (DB, FRONTEND, OTHER)] and t[(CLIENT, DB)] == "All Connections"
    allow_out = policy("allow-all-egress", "default", {"podSelector": {}, "egress": [{}], "policyTypes": ["Egress"]})
    assert table(DEFAULT, [deny_out, allow_out]) == table(DEFAULT, [])
    deny_all = policy("default-deny-all", "default", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    assert not [k for k in table(DEFAULT, [deny_all]) if set(k) & {DB, FRONTEND, OTHER}]


def test_the_documentation_example_policy():
    """The NetworkPolicy of the Kubernetes documentation ("test-network-policy"): ingress to role=db from
    172.17.0.0/16 except 172.17.1.0/24, from namespaces labelled project=myproject, from role=frontend pods of
    the policy's namespace, on TCP 6379; egress from role=db to 10.0.0.0/24 on TCP 5978."""
    spec = {"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]}},
                                  {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
                                  {"podSelector": {"matchLabels": {"role": "frontend"}}}],
                         "ports": [{"protocol": "TCP", "port": 6379}]}],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}], "ports": [{"protocol": "TCP", "port": 5978}]}]}
    t = table(DEFAULT, [MYPROJECT, policy("test-network-policy", "default", spec)])
    assert {s: c for (s, d), c in t.items() if d == DB} == {
        FRONTEND: "TCP 6379", CLIENT: "TCP 6379",
        "172.17.0.0-172.17.0.255": "TCP 6379", "172.17.2.0-172.17.255.255": "TCP 6379"}
    assert {d: c for (s, d), c in t.items() if s == DB} == {"10.0.0.0-10.0.0.255": "TCP 5978"}
    assert (FAR_FRONTEND, DB) not in t and (OTHER, DB) not in t and ("172.17.1.0-172.17.1.255", DB) not in t


def test_and_versus_or_peers():
    both = {"namespaceSelector": {"matchLabels": {"project": "myproject"}},
            "podSelector": {"matchLabels": {"role": "client"}}}
    apart = [{"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
             {"podSelector": {"matchLabels": {"role": "client"}}}]
    extra = [Workload("myproject", "stranger", "Deployment", {"role": "x"}),
             Workload("default", "client", "Deployment", {"role": "client"})]
    ws = DEFAULT + extra
    base = {"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress"]}
    t_and = table(ws, [MYPROJECT, policy("and", "default", {**base, "ingress": [{"from": [both]}]})])
    t_or = table(ws, [MYPROJECT, policy("or", "default", {**base, "ingress": [{"from": apart}]})])
    assert sources_of(t_and, DB) == {CLIENT}
    assert sources_of(t_or, DB) == {CLIENT, extra[0].key, extra[1].key}


def test_a_null_namespace_selector_is_an_absent_one():
    base = {"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress"]}
    t = table(DEFAULT, [policy("p", "default", {**base, "ingress": [{"from": [
        {"namespaceSelector": None, "podSelector": {"matchLabels": {"role": "frontend"}}}]}]})])
    assert sources_of(t, DB) == {FRONTEND}
    t = table(DEFAULT, [policy("p", "default", {**base, "ingress": [{"from": [
        {"namespaceSelector": {}, "podSelector": {"matchLabels": {"role": "frontend"}}}]}]})])
    assert sources_of(t, DB) == {FRONTEND, FAR_FRONTEND}


def test_named_ports_resolve_on_each_destination():
    ws = [Workload("team", "web", "Deployment", {"tier": "web"}, {"http": (8080, "TCP")}),
          Workload("team", "api", "Deployment", {"tier": "web"}, {"http": (9090, "TCP")}),
          Workload("team", "dns", "Deployment", {"tier": "web"}, {"http": (53, "UDP")}),
          Workload("team", "bare", "Deployment", {"tier": "web"}),
          Workload("team", "client", "Deployment", {"tier": "client"})]
    t = table(ws, [policy("named", "team", {"podSelector": {"matchLabels": {"tier": "web"}},
                                            "ingress": [{"ports": [{"port": "http"}]}]})])
    client = ws[-1].key
    assert t[(client, ws[0].key)] == "TCP 8080" and t[(client, ws[1].key)] == "TCP 9090"
    assert (client, ws[2].key) not in t  # the rule's port is TCP, the container's "http" is UDP
    assert (client, ws[3].key) not in t
    assert t[("0.0.0.0-255.255.255.255", ws[0].key)] == "TCP 8080"  # ingress from addresses: same resolution
    egress = table(ws, [policy("out", "team", {"podSelector": {"matchLabels": {"tier": "client"}},
                                               "policyTypes": ["Egress"], "egress": [{"ports": [{"port": "http"}]}]})])
    assert egress[(client, ws[1].key)] == "TCP 9090" and (client, V4) not in egress  # an address has no named port


def test_ports_protocols_and_ranges_print_like_netpol_analyzer():
    ws = [Workload("n", "a", "Pod", {"app": "a"}), Workload("n", "b", "Pod", {"app": "b"})]
    t = table(ws, [policy("p", "n", {"podSelector": {"matchLabels": {"app": "b"}}, "ingress": [{"ports": [
        {"port": 80}, {"port": 8000, "endPort": 8080}, {"protocol": "UDP", "port": 53}, {"protocol": "SCTP"}]}]})])
    assert t[(ws[0].key, ws[1].key)] == "SCTP 1-65535,TCP 80,8000-8080,UDP 53"


def test_ipv6_blocks_and_excepts():
    ws = [Workload("n", "a", "Pod", {"app": "a"})]
    t = table(ws, [policy("v6", "n", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [
        {"to": [{"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}]}]})])
    assert {d: c for (s, d), c in t.items() if s == ws[0].key} == {
        "2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff": "All Connections",
        "2001:db8:2::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff": "All Connections"}


def test_policy_types_defaulting():
    """No policyTypes: Ingress, plus Egress only when there is an egress rule; ``egress: []`` isolates nothing."""
    ws = [Workload("n", "a", "Pod", {"app": "a"}), Workload("n", "b", "Pod", {"app": "b"})]
    a, b = ws[0].key, ws[1].key
    t = table(ws, [policy("p", "n", {"podSelector": {"matchLabels": {"app": "a"}}, "egress": []})])
    assert (b, a) not in t and t[(a, b)] == "All Connections"
    t = table(ws, [policy("p", "n", {"podSelector": {"matchLabels": {"app": "a"}},
                                     "egress": [{"ports": [{"port": 443}]}]})])
    assert (b, a) not in t and t[(a, b)] == "TCP 443" and t[(a, V4)] == "TCP 443"


def test_connlist_lines_omit_self_loops_and_group_identical_workloads():
    ws = [Workload("n", f"w{i}", "Deployment", {"app": "same"}) for i in range(50)]
    result = compute(ws, [policy("deny", "n", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                                               "ingress": [{"from": [{"podSelector": {}}]}],
                                               "egress": [{"to": [{"podSelector": {}}]}]})])
    assert len(result.classes) == 1
    text = render(result)
    assert text.count("\n") == 50 * 49 and "n/w0[Deployment] => n/w0[Deployment]" not in text
    lines = text.splitlines()
    assert lines[0] == "n/w0[Deployment] => n/w10[Deployment] : All Connections"  # sorted as text, like the tool
    assert lines == sorted(lines, key=lambda line: line.split(" => ")[0]) and len(set(lines)) == len(lines)


def test_selector_operators():
    ws = [Workload("n", "a", "Pod", {"env": "prod", "tier": "web"}), Workload("n", "b", "Pod", {"env": "dev"}),
          Workload("n", "c", "Pod", {}), Workload("n", "src", "Pod", {"role": "src"})]
    src = ws[-1].key

    def reached(expressions):
        t = table(ws, [policy("p", "n", {"podSelector": {"matchLabels": {"role": "src"}}, "policyTypes": ["Egress"],
                                         "egress": [{"to": [{"podSelector": {"matchExpressions": expressions}}]}]})])
        return {d.split("/")[1].split("[")[0] for (s, d) in t if s == src}

    assert reached([{"key": "env", "operator": "In", "values": ["prod"]}]) == {"a"}
    assert reached([{"key": "env", "operator": "NotIn", "values": ["prod"]}]) == {"b", "c"}
    assert reached([{"key": "tier", "operator": "Exists"}]) == {"a"}
    assert reached([{"key": "tier", "operator": "DoesNotExist"}]) == {"b", "c"}
    assert reached([{"key": "env", "operator": "Matches", "values": ["x"]}]) == set()  # rejected: matches nothing
