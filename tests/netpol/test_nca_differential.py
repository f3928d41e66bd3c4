"""Our NetworkPolicy simulator and network-config-analyzer agree on every pair, on the isolation cases.

Each case is the stream an isolation test judges (tests/e2e/test_e2e_traffic.py, tests/workloads/,
tests/generate/test_vcluster_reference.py), post-rendered by the real ``vnp-postrender``: its
NetworkPolicies (vnp's and the chart's), one concrete pod per pod template of the release and the
probe pods those tests use (the ingress controller, the API server, DNS, Prometheus, strangers and a
spoof of a release pod in another namespace).  ``tests/netpol/nca.py`` compares both answers exactly:
every ordered pod pair, and every pod with every address range, both directions, on every port.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helm_vnp.base.names import RELEASE_LABEL
from tests.generate.inputs import make_policies
from tests.generate.test_networkpolicy import generate
from tests.netpol.engine_nca import compare_engine
from tests.netpol.nca import (
    NONE,
    Cluster,
    Endpoint,
    compare,
    nca_executable,
    network_policies,
    parse_conn,
    release_endpoints,
)
from tests.workloads.kit import NETPOL_ON, postrender
from tests.workloads.test_custom_kinds_postrender import (
    DECKHOUSE_VM,
    DECLARE,
    DEPLOYMENT,
    KUBEVIRT_VM,
    ROLLOUT,
    UNKNOWN,
)

ROOT = Path(__file__).resolve().parents[2]
HELM4 = ROOT / ".tools" / "bin" / "helm4"

NGINX_LABELS = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx",
                "app.kubernetes.io/component": "controller"}


@pytest.fixture(scope="module", autouse=True)
def nca_installed():
    if not nca_executable():
        pytest.skip("network-config-analyzer's `nca` is not installed (the `test` extra installs it on Python < 3.14: "
                    "`make venv`)")


def probes(namespace: str) -> list[Endpoint]:
    """The pods the isolation tests probe with, around a release in ``namespace``."""
    return [
        Endpoint("elsewhere", "stranger", {"app": "x"}),
        Endpoint(namespace, "probe-neighbour", {"app": "not-the-release"}),
        Endpoint("ingress-nginx", "probe-ingress-controller", NGINX_LABELS, {"http": (80, "TCP")}),
        Endpoint("kube-system", "probe-kube-dns", {"k8s-app": "kube-dns"},
                 {"dns": (53, "UDP"), "dns-tcp": (53, "TCP")}),
        Endpoint("kube-system", "probe-apiserver", {"component": "kube-apiserver"}),
        Endpoint("monitoring", "probe-prometheus", {"app.kubernetes.io/name": "prometheus", "prometheus": "kps"}),
    ]


def cluster_of(objects: list[dict], namespace: str, extra: tuple = (), declared: tuple = ()) -> Cluster:
    pods = release_endpoints(objects, namespace, declared)
    assert pods, "the case has no release pod"
    # a pod with a release pod's labels (release label included) in another namespace: must stay outside
    spoof = Endpoint("elsewhere", "spoof", dict(pods[0].labels), dict(pods[0].ports))
    endpoints = pods + probes(namespace) + [spoof, *extra]
    namespaces = {e.namespace: {} for e in endpoints}
    return Cluster(namespaces, endpoints, network_policies(objects, namespace))


def assert_agree(cluster: Cluster, tmp_path: Path):
    """Our lint simulator and the connectivity engine (helm_vnp.connectivity) each agree with NCA on every pair."""
    result = compare(cluster, tmp_path)
    assert not result.diffs, result.report()
    engine_diffs = compare_engine(cluster, result.answer)
    assert not engine_diffs, "engine vs NCA:\n" + "\n".join(engine_diffs)
    assert result.pod_pairs == len(cluster.endpoints) * (len(cluster.endpoints) - 1)
    allowed = sum(1 for c in result.answer.pods.values() if c) + sum(1 for c in result.answer.ranges.values() if c)
    print(f"\n{result.pod_pairs} pod pairs, {result.range_pairs} pod/range pairs, NCA lists {allowed} allowed: agree")
    if os.environ.get("NCA_SHOW"):
        print(result.answer.output)
    return result


def rendered(tmp_path: Path, stream: str, values: str, release: str, namespace: str) -> list[dict]:
    run = postrender(tmp_path, stream, values, release=release, namespace=namespace)
    assert run.code == 0, run.stderr
    return run.objects


def helm4(home: Path, *args) -> str:
    import subprocess
    if not os.access(HELM4, os.X_OK):
        pytest.skip(f"Helm 4 binary not found at {HELM4} (run `make tools`)")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "HELM_CACHE_HOME": str(home / "cache"),
           "HELM_CONFIG_HOME": str(home / "config"), "HELM_DATA_HOME": str(home / "data")}
    proc = subprocess.run([str(HELM4), *map(str, args)], capture_output=True, env=env, cwd=home, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


# -- the harness itself --------------------------------------------------------------------------------------

def test_nca_connection_sets_are_parsed_exactly():
    tcp80 = parse_conn("{protocols:TCP,dst_ports:80}")
    assert str(tcp80) == "TCP 80"
    assert str(parse_conn("{protocols:TCP, UDP,dst_ports:53,8000-8080}")) == "TCP 53,8000-8080; UDP 53,8000-8080"
    assert str(parse_conn("All but {protocols:TCP,dst_ports:80}")) == (
        "TCP 1-79,81-65535; UDP 1-65535; SCTP 1-65535; every protocol without ports")
    assert parse_conn("No connections") == NONE
    with pytest.raises(AssertionError, match="unexpected"):
        parse_conn("{protocols:TCP,methods:GET}")


def test_a_real_difference_is_reported(tmp_path):
    """NCA reads a policy our side does not: the pair it opens is a disagreement, named with both answers."""
    deny = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "deny", "namespace": "team"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}
    allow = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
             "metadata": {"name": "web", "namespace": "team"},
             "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"ports": [{"port": 8080}]}]}}
    web, x = Endpoint("team", "web", {"app": "web"}), Endpoint("other", "x", {})
    result = compare(Cluster({"team": {}, "other": {}}, [web, x], [deny, allow]), tmp_path, ours_read=[deny])
    assert "other/x => team/web: ours nothing | NCA TCP 8080" in result.diffs
    assert "0.0.0.0-255.255.255.255 => team/web: ours nothing | NCA TCP 8080" in result.diffs


def _np(name: str, namespace: str, spec: dict) -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def test_semantics_corners(tmp_path):
    """What the cases use little or not at all, so the harness checks it too: named ports resolved per pod and
    per protocol, endPort ranges, SCTP, protocol-only ports, selector operators, namespaces by label, the union
    of policies, egress-only policies, ipBlock excepts in IPv4 and IPv6, mixed peer lists."""
    policies = [
        _np("named-and-ranges", "team", {
            "podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "db"]}]},
            "ingress": [{"from": [{"podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn",
                                                                           "values": ["x"]}]}}],
                         "ports": [{"port": "dns", "protocol": "TCP"}, {"port": "http"},
                                   {"port": 9000, "endPort": 9010}, {"port": 5000, "protocol": "SCTP"}]},
                        {"from": [{"namespaceSelector": {"matchLabels": {"team": "b"}},
                                   "podSelector": {"matchExpressions": [{"key": "debug", "operator": "NotIn",
                                                                          "values": ["yes"]}]}},
                                  {"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.1.0/24"]}}],
                         "ports": [{"protocol": "UDP"}]}]}),
        _np("db-extra", "team", {"podSelector": {"matchLabels": {"tier": "db"}},
                                 "ingress": [{"from": [{"namespaceSelector": {}}], "ports": [{"port": 5432}]}]}),
        _np("egress-only", "team", {
            "podSelector": {"matchLabels": {"tier": "web"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"podSelector": {"matchLabels": {"tier": "db"}}}], "ports": [{"port": "pg"}]},
                       {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.169.254/32"]}},
                               {"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}],
                        "ports": [{"port": 443}, {"port": 8000, "endPort": 8080, "protocol": "UDP"}]},
                       {"to": [], "ports": [{"port": 53, "protocol": "UDP"}]}]}),
        _np("other-deny", "other", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    ]
    endpoints = [
        Endpoint("team", "web", {"tier": "web"}, {"http": (8080, "TCP"), "dns": (53, "UDP")}),
        Endpoint("team", "db", {"tier": "db"}, {"http": (8081, "TCP"), "dns": (53, "TCP"), "pg": (5432, "TCP")}),
        Endpoint("team", "x", {"app": "x"}),
        Endpoint("team", "debugger", {"app": "y", "debug": "yes"}),
        Endpoint("b", "client", {"app": "client"}),
        Endpoint("b", "debugger", {"debug": "yes"}),
        Endpoint("other", "locked", {"app": "client"}),
    ]
    assert_agree(Cluster({"team": {}, "b": {"team": "b"}, "other": {"team": "c"}}, endpoints, policies), tmp_path)


def test_where_nca_reads_a_policy_differently_exists_in_another_namespace(tmp_path):
    """Found by this harness, outside the cases (none of them writes it): NCA 2.1.0 evaluates an ``Exists`` /
    ``DoesNotExist`` requirement of a peer's ``podSelector`` in the policy's own namespace even when the peer
    also has a ``namespaceSelector``, so it matches no pod of the selected namespaces.

    The API says "If namespaceSelector is also set, then the NetworkPolicyPeer as a whole selects the pods
    matching podSelector in the Namespaces selected by NamespaceSelector" (NetworkPolicyPeer, networking/v1).
    NCA's ``parse_label_selector_requirement`` (nca/Parsers/K8sPolicyYamlParser.py) calls
    ``get_peers_with_key(self.namespace, ...)`` for these two operators, where ``In``/``NotIn`` and
    ``matchLabels`` look at every namespace.  We follow the API; the test pins the exact disagreement.
    """
    selector = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
    policy = _np("from-b", "team", {"podSelector": {}, "ingress": [{"from": [
        {"namespaceSelector": {"matchLabels": {"team": "b"}}, "podSelector": selector}]}]})
    web, client, bare = Endpoint("team", "web", {"app": "web"}), Endpoint("b", "client", {"app": "c"}), \
        Endpoint("b", "bare", {})
    result = compare(Cluster({"team": {}, "b": {"team": "b"}}, [web, client, bare], [policy]), tmp_path)
    assert result.diffs == ["b/client => team/web: ours all connections | NCA nothing"], result.report()
    cluster = Cluster({"team": {}, "b": {"team": "b"}}, [web, client, bare], [policy])
    assert compare_engine(cluster, result.answer) == ["b/client => team/web: engine all connections | NCA nothing"]
    # the same peer with In (the value listed): both agree that b/client gets in
    same = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["c"]}]}
    policy["spec"]["ingress"][0]["from"][0]["podSelector"] = same
    assert not compare(Cluster({"team": {}, "b": {"team": "b"}}, [web, client, bare], [policy]), tmp_path).diffs


def test_where_nca_reads_a_policy_differently_egress_without_rules(tmp_path):
    """Found by this harness, outside the cases (none of them writes it): NCA 2.1.0 reads a policy with no
    ``policyTypes`` and ``egress: []`` as isolating egress; the API server does not.

    Kubernetes defaults ``policyTypes`` to ``[Ingress]`` plus ``Egress`` only ``if len(obj.Spec.Egress) != 0``
    (kubernetes/kubernetes, pkg/apis/networking/v1/defaults.go, ``SetDefaults_NetworkPolicy``), so the stored
    policy is ingress-only and egress stays open; NCA tests ``'egress' in policy_spec`` (nca/Parsers/
    K8sPolicyYamlParser.py, ``parse_policy``: ``affects_egress``).  We follow the API server.  The test pins the
    exact disagreement (egress from the selected pods, nothing else), so a change on either side shows.
    """
    policy = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
              "metadata": {"name": "p", "namespace": "team"},
              "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{}], "egress": []}}
    web, x = Endpoint("team", "web", {"app": "web"}), Endpoint("other", "x", {})
    result = compare(Cluster({"team": {}, "other": {}}, [web, x], [policy]), tmp_path)
    assert result.diffs == [
        "team/web => other/x: ours all connections | NCA nothing",
        "team/web => 0.0.0.0-255.255.255.255: ours all connections | NCA nothing",
        "team/web => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff: ours all connections | NCA nothing",
    ], result.report()
    assert compare_engine(Cluster({"team": {}, "other": {}}, [web, x], [policy]), result.answer) == [
        d.replace(": ours ", ": engine ") for d in result.diffs]  # the engine reads it as the API server does
    # as the API server stores it (policyTypes defaulted; the empty list omitted: ``egress,omitempty``), both agree
    stored = {**policy, "spec": {"podSelector": policy["spec"]["podSelector"], "ingress": [{}],
                                 "policyTypes": ["Ingress"]}}
    assert not compare(Cluster({"team": {}, "other": {}}, [web, x], [stored]), tmp_path).diffs


# -- the cases -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def helm_create_ingress(tmp_path_factory) -> str:
    """`helm create web` rendered by the real Helm 4 with an Ingress of class nginx (as the e2e test)."""
    home = tmp_path_factory.mktemp("helm")
    helm4(home, "create", "web")
    return helm4(home, "template", "web", str(home / "web"), "-n", "shop", "--set", "ingress.enabled=true",
                 "--set", "ingress.className=nginx")


def test_helm_create_ingress(helm_create_ingress, tmp_path):
    objects = rendered(tmp_path, helm_create_ingress, NETPOL_ON, "web", "shop")
    cluster = cluster_of(objects, "shop")
    # the Deployment and the chart's test hook pod
    assert {e.name for e in cluster.endpoints if e.namespace == "shop" and e.labels.get(RELEASE_LABEL) == "web"} == {
        "deployment-web", "pod-web-test-connection"}
    assert_agree(cluster, tmp_path)


def test_cert_manager_webhook_from_api_server_peers(corpus, tmp_path):
    values = NETPOL_ON + "    apiServer:\n      peers: [{ipBlock: {cidr: 10.0.0.0/24}}]\n"
    objects = rendered(tmp_path, corpus("cert-manager.yaml").read_text(), values, "cert-manager", "cert-manager")
    assert_agree(cluster_of(objects, "cert-manager"), tmp_path)


@pytest.mark.parametrize("values", [NETPOL_ON, NETPOL_ON + "    exposedServices: deny\n"],
                         ids=["load-balancer-followed", "exposed-services-denied"])
def test_ingress_nginx_load_balancer(corpus, tmp_path, values):
    objects = rendered(tmp_path, corpus("ingress-nginx.yaml").read_text(), values, "ingress-nginx", "ingress-nginx")
    assert_agree(cluster_of(objects, "ingress-nginx"), tmp_path)


def test_kube_prometheus_stack_scrapes(corpus, tmp_path):
    objects = rendered(tmp_path, corpus("kube-prometheus-stack.yaml").read_text(), NETPOL_ON, "kps", "monitoring")
    assert_agree(cluster_of(objects, "monitoring"), tmp_path)


@pytest.mark.parametrize("doc", [ROLLOUT, KUBEVIRT_VM, DECKHOUSE_VM, ROLLOUT + KUBEVIRT_VM + DECKHOUSE_VM],
                         ids=["argo-rollout", "kubevirt-vm", "deckhouse-vm", "all-three"])
def test_custom_kinds_isolated(tmp_path, doc):
    objects = rendered(tmp_path, DEPLOYMENT + doc, NETPOL_ON, "rel", "team")
    cluster = cluster_of(objects, "team")
    assert len([e for e in cluster.endpoints if e.namespace == "team" and e.labels.get(RELEASE_LABEL) == "rel"]) == (
        1 + doc.count("kind:"))
    assert_agree(cluster, tmp_path)


def test_unknown_kind_once_declared(tmp_path):
    from helm_vnp.config import ValuesInput, load_config
    from helm_vnp.k8s.pod_creators import declared_creators

    objects = rendered(tmp_path, DEPLOYMENT + UNKNOWN, DECLARE, "rel", "team")
    (tmp_path / "declare.yaml").write_text(DECLARE)
    policies = load_config(ValuesInput([str(tmp_path / "declare.yaml")]), use_cache=False).policies
    declared = declared_creators(policies.get("workloadKinds"))
    cluster = cluster_of(objects, "team", declared=declared)
    assert "worker-crunch" in [e.name for e in cluster.endpoints]
    assert_agree(cluster, tmp_path)


@pytest.fixture(scope="module")
def seed_vms(tmp_path_factory) -> str:
    """tests/charts/vnp-vms (seed 002's policies on two Deckhouse VMs) rendered by the real Helm 4."""
    return helm4(tmp_path_factory.mktemp("helm-home"), "template", "vms", str(ROOT / "tests" / "charts" / "vnp-vms"),
                 "-n", "test-project")


@pytest.mark.parametrize("values", [NETPOL_ON, "policies: {}\n"], ids=["vnp-isolation", "chart-policies-only"])
def test_seed_002_policies_on_deckhouse_vms(seed_vms, tmp_path, values):
    objects = rendered(tmp_path, seed_vms, values, "vms", "test-project")
    extra = (Endpoint("another-project", "client", {"app": "client"}),
             Endpoint("third-project", "client", {"app": "client"}))
    cluster = cluster_of(objects, "test-project", extra)
    assert {e.name for e in cluster.endpoints if e.namespace == "test-project"} >= {"virtualmachine-vm-a",
                                                                                    "virtualmachine-vm-b"}
    assert_agree(cluster, tmp_path)


@pytest.mark.parametrize("which", ["ours", "v0.30", "v0.36"])
def test_vcluster_reference_policies(vcluster_reference, tmp_path, which):
    """The objects tests/generate/test_vcluster_reference.py compares: our default isolation and vCluster's renders
    (large public-egress ipBlocks with many excepts, IPv6)."""
    from ruamel.yaml import YAML

    from tests.generate.inputs import NAMESPACE
    from tests.generate.test_vcluster_reference import RELEASE, TENANT

    if which == "ours":
        objects = generate(make_policies(), release=RELEASE)
    else:
        path = vcluster_reference(f"networkpolicy-{which}.yaml")
        objects = [d for d in YAML(typ="safe").load_all(path.read_text()) if d]
    pods = [Endpoint(NAMESPACE, "web", {**TENANT, "app": "web"}, {"http": (8080, "TCP")}),
            Endpoint(NAMESPACE, "api", {**TENANT, "app": "api"})]
    cluster = Cluster({}, [], network_policies(objects, NAMESPACE))
    cluster.endpoints = pods + probes(NAMESPACE) + [Endpoint("elsewhere", "spoof", dict(pods[0].labels))]
    cluster.namespaces = {e.namespace: {} for e in cluster.endpoints}
    assert_agree(cluster, tmp_path)
