"""The engine never fails on what a chart may write: any JSON-like value in any field of a NetworkPolicy,
a Namespace or a pod's ports gives an answer (the API server would refuse such a policy; lint says so),
never an exception."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity.connlist import render
from helm_vnp.connectivity.explain import explain
from helm_vnp.connectivity.workloads import named_ports, namespace_labels

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 70000), st.floats(allow_nan=True), st.sampled_from(
    ["", "TCP", "UDP", "ICMP", "http", "80", "10.0.0.0/8", "::/0", "300.1.1.1/8", "In", "Exists", "app", "a"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(
                                                           ["matchLabels", "matchExpressions", "key", "operator",
                                                            "values", "app", "cidr", "except", "port", "endPort",
                                                            "protocol", "from", "to", "ports", "ipBlock",
                                                            "podSelector", "namespaceSelector"]), inner, max_size=4)),
                      max_leaves=12)


def some(**fields):
    """A mapping with any of ``fields``, or any value at all in its place."""
    return st.one_of(values, st.fixed_dictionaries({}, optional=fields))


selector = some(matchLabels=values, matchExpressions=st.one_of(values, st.lists(
    some(key=values, operator=st.one_of(values, st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"])),
         values=values), max_size=2)))
block = some(cidr=st.sampled_from(["10.0.0.0/8", "::/0", "x"]), **{"except": values})
peer = some(ipBlock=block, podSelector=selector, namespaceSelector=selector)
port = some(port=values, endPort=values, protocol=values)


def rules(key: str):
    return st.one_of(values, st.lists(some(**{key: st.one_of(values, st.lists(peer, max_size=3))},
                                           ports=st.one_of(values, st.lists(port, max_size=3))), max_size=3))


spec = st.fixed_dictionaries({}, optional={"podSelector": selector, "policyTypes": values,
                                           "ingress": rules("from"), "egress": rules("to")})


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spec, min_size=1, max_size=3), values)
def test_any_policy_shape_gives_an_answer(specs, ports):
    objects = [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": {"name": f"p{i}", "namespace": "n"}, "spec": s} for i, s in enumerate(specs)]
    objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "labels": ports}})
    pod_spec = {"containers": [{"name": "c", "ports": ports}], "initContainers": ports}
    ws = [Workload("n", "a", "Pod", {"app": "a"}, named_ports(pod_spec)), Workload("m", "b", "Pod", {})]
    result = compute(ws, objects, namespace_labels(objects, ["n", "m"]))
    render(result)
    explain(result, "a", "b", "80/UDP")
    explain(result, "10.1.2.3", "a")


NASTY = [
    {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": 5}}]}]},
    {"ingress": [{"ports": [{"port": []}, {"port": {"a": 1}}, {"port": 1.5}, {"port": 80, "endPort": "x"},
                            {"protocol": ["TCP"]}, {"port": 0}, {"port": 70000}, {"port": 100, "endPort": 50}]}]},
    {"podSelector": {"matchLabels": {"a": [1]}}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
        {"key": "a", "operator": "In", "values": "x"}]}}]}]},
    {"policyTypes": "Ingress", "egress": {"a": 1}},
    {"podSelector": {"matchLabels": {1: 2}}, "ingress": [{"from": [{"namespaceSelector": 5, "podSelector": [1]},
                                                                   {"ipBlock": "x"}, {"ipBlock": None}]}]},
    {"egress": [{"to": [{"ipBlock": {"cidr": "::/0", "except": ["10.0.0.0/8", None, {}]}}]}]},
]


def test_nasty_shapes_found_by_hand_give_an_answer_and_a_warning():
    ws = [Workload("n", "a", "Pod", {"app": "a"}), Workload("n", "b", "Pod", {})]
    warned = 0
    for spec_ in NASTY:
        objects = [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                    "metadata": {"name": "p", "namespace": "n"}, "spec": spec_},
                   {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": "x", "spec": "y"}]
        result = compute(ws, objects)
        render(result)
        explain(result, "b", "a")
        warned += bool(result.warnings)
    assert warned == 4  # except not a list, a protocol, ipBlock not a mapping, a cidr of the other family
