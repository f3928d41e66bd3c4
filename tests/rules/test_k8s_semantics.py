"""helm_vnp.k8s: quantities, scope classification, defaulting and pod totals, NetworkPolicy evaluation."""
from __future__ import annotations

from fractions import Fraction

import pytest

from helm_vnp.k8s import kinds, netpol, resources
from helm_vnp.k8s.quantity import QuantityError, format_quantity, parse_quantity


@pytest.mark.parametrize("text,value", [
    ("500m", Fraction(1, 2)), ("2", 2), ("1.5", Fraction(3, 2)), (".5", Fraction(1, 2)), ("+3", 3),
    ("128Mi", 128 * 2 ** 20), ("1.5Gi", 3 * 2 ** 29), ("1Ki", 1024), ("2Ei", 2 * 2 ** 60),
    ("1k", 1000), ("1M", 10 ** 6), ("3G", 3 * 10 ** 9), ("1T", 10 ** 12), ("1P", 10 ** 15), ("1E", 10 ** 18),
    ("1e3", 1000), ("1E3", 1000), ("5e-1", Fraction(1, 2)), ("100u", Fraction(1, 10000)),
    ("7n", Fraction(7, 10 ** 9)), (2, 2), (0.25, Fraction(1, 4)),
])
def test_parse_quantity_all_suffixes(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("bad", ["", "1.2.3", "Mi", "1 Gi", "1gi", "1KiB", "one", True, None, float("nan")])
def test_parse_quantity_refuses_junk(bad):
    with pytest.raises(QuantityError):
        parse_quantity(bad)


def test_sums_stay_exact_and_print_readably():
    total = sum((parse_quantity(x) for x in ["100m"] * 3 + ["0.7"]), Fraction(0))
    assert total == 1 and format_quantity(total, "requests.cpu") == "1"
    assert format_quantity(parse_quantity("1500m"), "limits.cpu") == "1500m"
    assert format_quantity(parse_quantity("128Mi") * 3, "requests.memory") == "384Mi"
    assert format_quantity(parse_quantity("2Gi") + parse_quantity("512Mi"), "memory") == "2560Mi"
    assert format_quantity(Fraction(20), "count/pods") == "20"


def test_builtin_kinds_are_classified_without_a_cluster():
    assert kinds.scope_of("rbac.authorization.k8s.io/v1", "ClusterRole") == kinds.CLUSTER
    assert kinds.scope_of("v1", "Namespace") == kinds.CLUSTER
    assert kinds.scope_of("apps/v1", "Deployment") == kinds.NAMESPACED
    assert kinds.scope_of("example.com/v1", "Widget") == kinds.UNKNOWN
    assert kinds.count_key("apps/v1", "Deployment") == "count/deployments.apps"
    assert kinds.count_key("v1", "Secret") == "count/secrets"


def test_a_crd_in_the_stream_answers_for_its_kind():
    crd = {"kind": "CustomResourceDefinition", "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Cluster", "names": {"kind": "Widget", "plural": "widgets"}}}
    index = kinds.crd_index([crd])
    info = kinds.kind_info("example.com/v1", "Widget", index)
    assert (info.scope, info.plural, info.source) == (kinds.CLUSTER, "widgets", "CRD widgets.example.com")
    assert kinds.count_key("example.com/v1", "Widget", index) == "count/widgets.example.com"


def test_limitrange_defaults_follow_the_api_server():
    lr = {"metadata": {"name": "lr"}, "spec": {"limits": [
        {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}}]}}
    item = resources.limit_items(lr)[0]
    # default <- max, defaultRequest <- default, then <- min
    assert item.default == {"cpu": 2} and item.default_request == {"cpu": 2, "memory": 64 * 2 ** 20}


def test_container_defaulting_order():
    item = resources.LimitItem("Container", "lr", default={"cpu": Fraction(1)},
                               default_request={"cpu": Fraction(1, 10)})
    only_limit = resources.effective_container({"name": "a", "resources": {"limits": {"cpu": "500m"}}}, [item])
    assert only_limit.requests["cpu"] == Fraction(1, 2)  # request = limit, not defaultRequest
    only_request = resources.effective_container({"name": "b", "resources": {"requests": {"cpu": "2"}}}, [item])
    assert only_request.limits["cpu"] == 1 and "limits.cpu" in only_request.defaulted
    bare = resources.effective_container({"name": "c"}, [item])
    assert (bare.requests["cpu"], bare.limits["cpu"]) == (Fraction(1, 10), 1)


def test_pod_total_counts_init_and_sidecar_containers_like_the_scheduler():
    def c(cpu, init=False, sidecar=False):
        return resources.Effective("x", {"cpu": Fraction(cpu)}, {}, init=init, sidecar=sidecar)
    apps = [c(1), c(1)]
    assert resources.pod_total(apps, "requests")["cpu"] == 2
    assert resources.pod_total([c(3, init=True)] + apps, "requests")["cpu"] == 3
    # a sidecar runs alongside the apps and alongside later init containers
    assert resources.pod_total([c(1, True, True), c(2, init=True)] + apps, "requests")["cpu"] == 3
    assert resources.pod_total([c(1, True, True)] + apps, "requests", {"cpu": Fraction(1, 4)})["cpu"] == Fraction(13, 4)


# --- NetworkPolicy ---------------------------------------------------------------------

def _policy(spec, name="p", ns="team"):
    return netpol.policies_from([{"kind": "NetworkPolicy", "metadata": {"name": name, "namespace": ns},
                                  "spec": spec}], "team")


WEB = netpol.Pod("team", {"app": "web"}, ports={"http": (8080, "TCP")})
DB = netpol.Pod("team", {"app": "db"})
OTHER = netpol.Pod("other", {"app": "web"})


def test_unselected_pods_are_not_isolated():
    pols = _policy({"podSelector": {"matchLabels": {"app": "db"}}, "policyTypes": ["Ingress"]})
    assert netpol.allowed(pols, OTHER, WEB, 80)
    assert not netpol.allowed(pols, WEB, DB, 5432)


def test_policy_types_default_to_ingress_plus_egress_when_present():
    pols = _policy({"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]})
    assert pols[0].types == ("Ingress", "Egress")
    assert netpol.egress(pols, WEB, DB, 1).allowed and not netpol.egress(pols, WEB, "8.8.8.8", 53, "UDP").allowed


def test_except_named_ports_and_union():
    pols = _policy({"podSelector": {}, "policyTypes": ["Egress", "Ingress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.0.0/16"]}}]}],
                    "ingress": [{"from": [{"namespaceSelector": {}}], "ports": [{"port": "http"}]}]})
    assert not netpol.egress(pols, WEB, "169.254.169.254", 80).allowed
    assert netpol.egress(pols, WEB, "1.1.1.1", 443).by == (("p", 0),)
    assert netpol.allowed(pols, OTHER, WEB, 8080) and not netpol.allowed(pols, OTHER, WEB, 8081)
    assert not netpol.allowed(pols, OTHER, DB, 8080)  # db has no port named http
    wider = pols + _policy({"podSelector": {}, "egress": [{}], "policyTypes": ["Egress"]}, name="all")
    assert netpol.egress(wider, WEB, "169.254.169.254", 80).by == (("all", 0),)


def test_rule_containment():
    dns = {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                   "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
           "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}
    narrower = {"to": dns["to"], "ports": [{"port": 53, "protocol": "UDP"}]}
    assert netpol.rule_within(narrower, dns, "to") and not netpol.rule_within(dns, narrower, "to")
    assert not netpol.rule_within({"to": dns["to"]}, dns, "to")  # all ports is more than 53
    public = {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}
    assert netpol.rule_within({"to": [{"ipBlock": {"cidr": "1.2.3.0/24"}}]}, public, "to")
    assert not netpol.rule_within({"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}]}, public, "to")
    assert not netpol.rule_within({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}, public, "to")
