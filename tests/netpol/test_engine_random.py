"""The connectivity engine agrees with network-config-analyzer on random clusters (hypothesis).

Each example is a few namespaces (some labelled), pods with labels and named ports, and NetworkPolicies
drawn from every construct the API has: selectors with matchLabels and all four operators, peers by pod,
by namespace, by both (AND) and in lists (OR), ipBlocks with excepts in IPv4 and IPv6, ports of TCP, UDP
and SCTP by number, range (endPort), name or protocol alone, absent and empty lists, every policyTypes.
``tests/netpol/engine_nca.py`` compares both answers on every pod pair and every address range.

Two constructs where NCA 2.1.0 departs from the API are not drawn (both are pinned, with the engine's
answer, in ``test_nca_differential.py``): ``Exists``/``DoesNotExist`` in the podSelector of a peer that
also has a namespaceSelector, and ``egress: []`` without ``policyTypes``.  NCA also refuses (exit 7) a
policy with rules of a direction its ``policyTypes`` leaves out, which the API server accepts and ignores:
those are not drawn either.

Derandomized and bounded for ``make test``; ``VNP_NCA_EXAMPLES=500`` runs a longer search.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.netpol.engine_nca import compare_engine
from tests.netpol.nca import Cluster, Endpoint, nca_executable, run_nca

EXAMPLES = int(os.environ.get("VNP_NCA_EXAMPLES", "25"))
NAMESPACES = ["ns-a", "ns-b", "ns-c"]
KEYS = {"app": ["web", "db", "api"], "tier": ["front", "back"]}
NS_KEYS = {"team": ["x", "y"], "env": ["prod"]}
PORT_NAMES = ["http", "dns", "metrics"]
CIDRS = [
    {"cidr": "0.0.0.0/0"},
    {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.169.254/32"]},
    {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]},
    {"cidr": "10.1.2.0/24"},
    {"cidr": "192.168.7.9/32"},
    {"cidr": "::/0"},
    {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]},
]


@pytest.fixture(scope="module", autouse=True)
def nca_installed():
    if not nca_executable():
        pytest.skip("network-config-analyzer's `nca` is not installed (the `test` extra installs it: `make venv`)")


def selector(keys: dict, operators: tuple):
    label = st.sampled_from(sorted(keys)).flatmap(lambda k: st.tuples(st.just(k), st.sampled_from(keys[k])))
    requirement = st.sampled_from(sorted(keys)).flatmap(lambda k: st.one_of(
        st.builds(lambda vs, op: {"key": k, "operator": op, "values": sorted(set(vs))},
                  st.lists(st.sampled_from(keys[k]), min_size=1, max_size=2),
                  st.sampled_from([o for o in ("In", "NotIn") if o in operators])),
        *([st.builds(lambda op: {"key": k, "operator": op},
                     st.sampled_from([o for o in ("Exists", "DoesNotExist") if o in operators]))]
          if {"Exists", "DoesNotExist"} & set(operators) else [])))
    match_labels = st.dictionaries(st.sampled_from(sorted(keys)), st.just(None), max_size=2).flatmap(
        lambda ks: st.fixed_dictionaries({k: st.sampled_from(keys[k]) for k in ks}))
    return st.one_of(
        st.just({}),
        match_labels.map(lambda m: {"matchLabels": m} if m else {}),
        st.lists(requirement, min_size=1, max_size=2).map(lambda rs: {"matchExpressions": rs}),
        st.tuples(label, requirement).map(lambda t: {"matchLabels": {t[0][0]: t[0][1]}, "matchExpressions": [t[1]]}),
    )


ALL_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


@st.composite
def peer(draw):
    kind = draw(st.sampled_from(["pod", "ns", "both", "ip"]))
    if kind == "ip":
        return {"ipBlock": draw(st.sampled_from(CIDRS))}
    if kind == "pod":
        return {"podSelector": draw(selector(KEYS, ALL_OPS))}
    if kind == "ns":
        return {"namespaceSelector": draw(selector(NS_KEYS, ALL_OPS))}
    # NCA 2.1.0 reads Exists/DoesNotExist of such a podSelector in the policy's namespace (see module doc)
    return {"namespaceSelector": draw(selector(NS_KEYS, ALL_OPS)), "podSelector": draw(selector(KEYS, ("In", "NotIn")))}


@st.composite
def port(draw):
    item = {}
    protocol = draw(st.sampled_from([None, "TCP", "UDP", "SCTP"]))
    if protocol:
        item["protocol"] = protocol
    kind = draw(st.sampled_from(["number", "range", "name", "none"]))
    if kind == "number":
        item["port"] = draw(st.sampled_from([53, 80, 443, 8080]))
    elif kind == "range":
        lo = draw(st.sampled_from([53, 80, 8000]))
        item.update(port=lo, endPort=lo + draw(st.sampled_from([0, 1, 100])))
    elif kind == "name":
        item["port"] = draw(st.sampled_from(PORT_NAMES))
    return item


@st.composite
def rule(draw, peer_key: str):
    out = {}
    peers = draw(st.one_of(st.none(), st.just([]), st.lists(peer(), min_size=1, max_size=3)))
    if peers is not None:
        out[peer_key] = peers
    ports = draw(st.one_of(st.none(), st.just([]), st.lists(port(), min_size=1, max_size=3)))
    if ports is not None:
        out["ports"] = ports
    return out


@st.composite
def policy(draw, i: int):
    spec = {"podSelector": draw(selector(KEYS, ALL_OPS))}
    types = draw(st.sampled_from([None, ["Ingress"], ["Egress"], ["Ingress", "Egress"]]))
    if types:
        spec["policyTypes"] = types
    for key, peer_key in (("ingress", "from"), ("egress", "to")):
        if types and key.capitalize() not in types:
            continue  # NCA refuses rules of a direction policyTypes leaves out (the API server ignores them)
        rules = draw(st.one_of(st.none(), st.lists(rule(peer_key), min_size=0 if types else 1, max_size=3)))
        if rules is not None:
            spec[key] = rules
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": f"p{i}", "namespace": draw(st.sampled_from(NAMESPACES))}, "spec": spec}


@st.composite
def clusters(draw) -> Cluster:
    namespaces = {n: draw(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in NS_KEYS.items()}))
                  for n in NAMESPACES}
    endpoints = []
    for i in range(draw(st.integers(2, 6))):
        labels = draw(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in KEYS.items()}))
        names = draw(st.lists(st.sampled_from(PORT_NAMES), unique=True, max_size=2))
        ports = {n: (draw(st.sampled_from([53, 80, 8080])), draw(st.sampled_from(["TCP", "UDP"]))) for n in names}
        endpoints.append(Endpoint(draw(st.sampled_from(NAMESPACES)), f"pod-{i}", labels, ports))
    policies = [draw(policy(i)) for i in range(draw(st.integers(1, 4)))]
    return Cluster(namespaces, endpoints, policies)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(clusters())
def test_engine_agrees_with_nca_on_random_clusters(cluster):
    with tempfile.TemporaryDirectory() as tmp:
        answer = run_nca(cluster, Path(tmp))
    diffs = compare_engine(cluster, answer)
    assert not diffs, "\n".join(diffs) + f"\n\npolicies: {cluster.policies}\npods: {cluster.endpoints}"
