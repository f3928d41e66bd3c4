"""Isolation hygiene: selectors that select nothing, peers that match nothing, Services without pods,
pods no policy selects, selectors in the wrong shape."""
from __future__ import annotations

import pytest

from helm_vnp.k8s.selectors import label_selector_problem, plain_selector_problem
from helm_vnp.rules import (
    netpol_malformed_selector,
    netpol_peer_matches_nothing,
    netpol_selects_nothing,
    netpol_unselected_pod,
    service_selects_nothing,
)
from tests.builders import network_policy, obj, service, stream
from tests.rules.rulekit import NETPOL_ON, deployment, run

WEB = deployment("web")
PROMETHEUS = stream(obj("Prometheus", "prom", api_version="monitoring.coreos.com/v1", spec={}))


def _np(pod_selector, **kw) -> str:
    return stream(network_policy("np", pod_selector=pod_selector, **kw))


def _raw_np(spec: dict) -> str:
    return stream(obj("NetworkPolicy", "np", spec=spec))


# -- netpol.selectsNothing ------------------------------------------------------------------------

def test_a_policy_selecting_no_pod_is_reported():
    [f] = run(netpol_selects_nothing, WEB + _np({"app": "wbe"}))
    assert f.severity == "warning" and f.object.name == "np" and '{"matchLabels": {"app": "wbe"}}' in f.message


def test_a_policy_selecting_a_pod_an_empty_or_a_malformed_one_is_quiet():
    assert run(netpol_selects_nothing, WEB + _np({"app": "web"})) == []
    assert run(netpol_selects_nothing, WEB + _np(None)) == []  # {}: the namespace's default deny
    assert run(netpol_selects_nothing, WEB + _raw_np({"podSelector": {"app": "wbe"}})) == []  # malformedSelector's
    assert run(netpol_selects_nothing, WEB + stream(network_policy("np", pod_selector={"app": "x"},
                                                                   namespace="other"))) == []
    hook = stream(obj("Pod", "test", annotations={"helm.sh/hook": "test"}, labels={"app": "probe"},
                      spec={"containers": [{"name": "c", "image": "busybox"}]}))
    assert run(netpol_selects_nothing, hook + _np({"app": "probe"})) == []  # hook pods are pods of the release


def test_custom_resources_make_it_info():
    [f] = run(netpol_selects_nothing, WEB + PROMETHEUS + _np({"app": "prometheus"}))
    assert f.severity == "info" and "Prometheus prom" in f.message


def test_vnp_isolation_does_not_change_it():
    """vnp's generated policies are vnp's; the chart's policy is judged against the labelled pods."""
    [f] = run(netpol_selects_nothing, WEB + _np({"app": "wbe"}), NETPOL_ON)
    assert f.object.name == "np"


# -- netpol.peerMatchesNothing --------------------------------------------------------------------

def test_a_peer_in_the_release_namespace_matching_nothing_is_reported():
    policy = _np({"app": "web"}, ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}]}],
                 egress=[{"to": [{"podSelector": {"matchLabels": {"app": "web"}}}]}])
    [f] = run(netpol_peer_matches_nothing, WEB + policy)
    assert f.severity == "warning" and "ingress rule 1 peer 1" in f.message and '"api"' in f.message


def test_a_namespace_selector_naming_the_release_namespace_is_the_same_namespace():
    peer = {"podSelector": {"matchLabels": {"app": "api"}},
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "team"}}}
    assert len(run(netpol_peer_matches_nothing, WEB + _np({"app": "web"}, ingress=[{"from": [peer]}]))) == 1


def test_peers_elsewhere_by_address_everyone_or_matching_are_quiet():
    peers = [{"podSelector": {"matchLabels": {"app": "ingress"}}, "namespaceSelector": {}},
             {"podSelector": {"matchLabels": {"app": "x"}},
              "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress"}}},
             {"ipBlock": {"cidr": "10.0.0.0/8"}}, {"podSelector": {}},
             {"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}}]
    assert run(netpol_peer_matches_nothing, WEB + _np({"app": "web"}, ingress=[{"from": peers}])) == []


def test_peers_with_custom_resources_are_info():
    policy = _np({"app": "web"}, egress=[{"to": [{"podSelector": {"matchLabels": {"app": "prometheus"}}}]}])
    [f] = run(netpol_peer_matches_nothing, WEB + PROMETHEUS + policy)
    assert f.severity == "info" and "egress rule 1" in f.message


# -- service.selectsNothing -----------------------------------------------------------------------

def test_a_service_selecting_no_pod_is_reported():
    [f] = run(service_selects_nothing, WEB + stream(service("web", selector={"app": "wbe"})))
    assert f.severity == "warning" and "no endpoints" in f.message


def test_services_that_select_have_no_selector_or_are_external_are_quiet():
    assert run(service_selects_nothing, WEB + stream(service("web", selector={"app": "web"}))) == []
    assert run(service_selects_nothing, WEB + stream(service("manual"))) == []
    assert run(service_selects_nothing, WEB + stream(service("ext", type="ExternalName", external_name="a.b",
                                                             selector={"app": "x"}))) == []
    assert run(service_selects_nothing, WEB + stream(service("web", selector={"app": "web"}, namespace="other"))) == []


def test_a_service_for_operator_pods_is_info():
    [f] = run(service_selects_nothing, WEB + PROMETHEUS + stream(service("prom", selector={"app": "prometheus"})))
    assert f.severity == "info" and "Prometheus prom" in f.message


# -- netpol.unselectedPod -------------------------------------------------------------------------

def test_without_any_policy_every_pod_is_info():
    found = run(netpol_unselected_pod, WEB + deployment("worker"))
    assert {(f.object.name, f.severity) for f in found} == {("web", "info"), ("worker", "info")}


def test_a_pod_the_charts_policies_miss_is_a_warning():
    [f] = run(netpol_unselected_pod, WEB + deployment("worker") + _np({"app": "web"}))
    assert (f.object.name, f.severity) == ("worker", "warning")


def test_vnp_isolation_host_network_and_test_pods_are_quiet():
    assert run(netpol_unselected_pod, WEB, NETPOL_ON) == []
    assert run(netpol_unselected_pod, deployment("agent", host_network=True)) == []
    test_pod = stream(obj("Pod", "t", annotations={"helm.sh/hook": "test"},
                          spec={"containers": [{"name": "c", "image": "busybox"}]}))
    assert run(netpol_unselected_pod, test_pod) == []
    assert run(netpol_unselected_pod, WEB + _np(None)) == []  # {} selects every pod


# -- netpol.malformedSelector ---------------------------------------------------------------------

@pytest.mark.parametrize("selector, fragment", [
    ({"app": "web"}, "reads what is left, {}, as every pod"),
    ({"matchlabels": {"app": "web"}}, "no matchLabels or matchExpressions"),
    ({"matchLabels": {"app": "web"}, "app": "x"}, "dropped, not matched"),
    ({"matchExpressions": [{"key": "app", "operator": "In"}]}, "In without values"),
    ({"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["a"]}]}, "Exists with values"),
    ({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["a"]}]}, "operator 'Equals'"),
    ({"matchLabels": {"app": {"x": 1}}}, "not a string"),
    ("app=web", "not a label selector"),
])
def test_label_selector_problems(selector, fragment):
    assert fragment in label_selector_problem(selector)


@pytest.mark.parametrize("selector", [None, {}, {"matchLabels": {"a": "b"}},
                                      {"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}])
def test_well_formed_label_selectors(selector):
    assert label_selector_problem(selector) is None


def test_plain_selector_problems():
    assert "a LabelSelector written where a plain map belongs" in plain_selector_problem({"matchLabels": {"a": "b"}})
    assert plain_selector_problem({"app": "web"}) is None and plain_selector_problem({}) is None


def test_malformed_selectors_are_found_wherever_they_bite():
    peer_ns = {"namespaceSelector": {"name": "ingress"}}
    peer_pod = {"podSelector": {"app": "api"}}
    policy = _raw_np({"podSelector": {"app": "web"}, "ingress": [{"from": [peer_ns, peer_pod]}],
                      "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}]}]})
    pdb = stream(obj("PodDisruptionBudget", "web", api_version="policy/v1",
                     spec={"minAvailable": 1, "selector": {"app": "web"}}))
    svc = stream(service("web", selector={"matchLabels": {"app": "web"}}))
    found = run(netpol_malformed_selector, WEB + policy + pdb + svc)
    assert {(f.object.kind, f.message.split(": ", 1)[1].split(" ", 1)[0]) for f in found} == {
        ("NetworkPolicy", "spec.podSelector"), ("NetworkPolicy", "spec.ingress[0].from[0].namespaceSelector"),
        ("NetworkPolicy", "spec.ingress[0].from[1].podSelector"), ("PodDisruptionBudget", "spec.selector"),
        ("Service", "spec.selector")}
    assert all(f.severity == "error" for f in found)


def test_well_formed_objects_are_quiet():
    good = _np({"app": "web"}, ingress=[{"from": [{"namespaceSelector": {}, "podSelector": {}}]}])
    assert run(netpol_malformed_selector, WEB + good + stream(service("web", selector={"app": "web"}))) == []
