"""Our workload isolation against what vCluster itself renders for the same (default) config.

The reference renders (../shared/reference/vcluster/, v0.30 and v0.36) are read by the
NetworkPolicy simulator, and so are ours: for the same tenant pods and destinations the
verdicts must agree, except where the README lists a deliberate difference (the metadata
range, IPv6, ingress isolation in v0.30, DNS only towards the cluster's DNS pods).
"""
from __future__ import annotations

import pytest

from helm_vnp.base.names import RELEASE_LABEL
from tests.generate.inputs import NAMESPACE, make_policies
from tests.generate.netsim import Pod, allowed
from tests.generate.test_networkpolicy import generate

RELEASE = "v"  # the release name of the reference renders
TENANT = {"vcluster.loft.sh/managed-by": RELEASE, RELEASE_LABEL: RELEASE}  # a tenant pod in both worlds
WEB = Pod(NAMESPACE, {**TENANT, "app": "web"}, "10.244.1.1")
API = Pod(NAMESPACE, {**TENANT, "app": "api"}, "10.244.1.2")
STRANGER = Pod(NAMESPACE, {"app": "other-tenant"}, "10.244.1.3")
KUBE_DNS = Pod("kube-system", {"k8s-app": "kube-dns"}, "10.244.0.2")
PUBLIC_V4 = ["8.8.8.8", "1.1.1.1", "52.95.110.1", "203.0.114.7"]
PRIVATE_V4 = ["10.0.0.5", "10.96.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1", "127.0.0.1"]
METADATA = "169.254.169.254"
PUBLIC_V6 = "2606:4700:4700::1111"


@pytest.fixture
def reference(vcluster_reference):
    """``reference(version)``: the objects of vCluster's render (skips where ../shared is absent)."""
    from ruamel.yaml import YAML

    def load(version: str) -> list[dict]:
        path = vcluster_reference(f"networkpolicy-{version}.yaml")
        return [d for d in YAML(typ="safe").load_all(path.read_text()) if d]
    return load


@pytest.fixture(scope="module")
def ours() -> list[dict]:
    return generate(make_policies(), release=RELEASE)


@pytest.mark.parametrize("version", ["v0.30", "v0.36"])
@pytest.mark.parametrize("dest", PUBLIC_V4 + PRIVATE_V4)
@pytest.mark.parametrize("port", [80, 443, 5432])
def test_same_verdict_as_vcluster_for_ipv4_egress(ours, reference, version, dest, port):
    theirs = reference(version)
    assert allowed(ours, WEB, dest, port) == allowed(theirs, WEB, dest, port), (version, dest, port)


@pytest.mark.parametrize("version", ["v0.30", "v0.36"])
def test_tenant_pods_reach_each_other_in_both(ours, reference, version):
    theirs = reference(version)
    for pols in (ours, theirs):
        assert allowed(pols, WEB, API, 8080) and allowed(pols, API, WEB, 8080)


@pytest.mark.parametrize("version", ["v0.30", "v0.36"])
def test_difference_metadata_endpoint(ours, reference, version):
    """vCluster leaves the cloud metadata endpoint reachable; we exclude 169.254.0.0/16."""
    assert allowed(reference(version), WEB, METADATA, 80)
    assert not allowed(ours, WEB, METADATA, 80)


@pytest.mark.parametrize("version", ["v0.30", "v0.36"])
def test_difference_ipv6_public_egress(ours, reference, version):
    """vCluster has no IPv6 block (no public IPv6 egress at all); ours allows public IPv6, not ULA/link-local."""
    assert not allowed(reference(version), WEB, PUBLIC_V6, 443)
    assert allowed(ours, WEB, PUBLIC_V6, 443)
    assert not allowed(ours, WEB, "fd00:ec2::254", 80) and not allowed(ours, WEB, "fe80::1", 80)


def test_difference_ingress_isolation_against_v0_30(ours, reference):
    """v0.30's workload policy is egress-only: another tenant in the namespace gets in. v0.36 and we isolate."""
    assert allowed(reference("v0.30"), STRANGER, WEB, 8080)
    assert not allowed(reference("v0.36"), STRANGER, WEB, 8080)
    assert not allowed(ours, STRANGER, WEB, 8080)


def test_difference_dns_only_towards_cluster_dns(ours, reference):
    """v0.30 opens port 53 to every destination (DNS tunnels out); we open it to the DNS pods and fallbackDns."""
    theirs = reference("v0.30")
    assert allowed(theirs, WEB, KUBE_DNS, 53, "UDP") and allowed(ours, WEB, KUBE_DNS, 53, "UDP")
    assert allowed(theirs, WEB, "10.0.0.53", 53, "UDP")
    assert not allowed(ours, WEB, "10.0.0.53", 53, "UDP")
    assert allowed(ours, WEB, "8.8.8.8", 53, "UDP")  # fallbackDns (and public egress)
