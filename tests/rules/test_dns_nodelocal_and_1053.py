"""NodeLocal DNSCache preset and rules on vCluster's DNS port elsewhere (issue 13 item 12)."""
from __future__ import annotations

from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.generate import generate_all
from helm_vnp.rules import netpol_dns_port
from tests.config.helpers import load
from tests.generate.inputs import NAMESPACE, RELEASE, WORKLOADS
from tests.generate.netsim import Pod, allowed
from tests.rules.rulekit import NETPOL_ON, deployment, run

WEB = Pod(NAMESPACE, {RELEASE_LABEL: RELEASE, "app": "web"}, "10.244.1.1")
KUBE_DNS = Pod("kube-system", {"k8s-app": "kube-dns"}, "10.244.0.2")
NODELOCAL = NETPOL_ON + "    dns: {preset: nodelocal}\n"
EGRESS_1053 = "    workload:\n      egress:\n      - ports: [{port: 1053, protocol: UDP}]\n"


def test_nodelocal_preset_reaches_the_cache_and_kube_dns_only(tmp_path):
    objs = generate_all(load(tmp_path, NODELOCAL).policies, RELEASE, NAMESPACE, WORKLOADS)
    assert allowed(objs, WEB, "169.254.20.10", 53, "UDP") and allowed(objs, WEB, "169.254.20.10", 53, "TCP")
    assert allowed(objs, WEB, KUBE_DNS, 53, "UDP")
    assert not allowed(objs, WEB, "169.254.20.10", 80)
    assert not allowed(objs, WEB, "169.254.169.254", 53, "UDP")  # the metadata range stays closed


def test_default_preset_does_not_reach_the_cache(tmp_path):
    objs = generate_all(load(tmp_path, NETPOL_ON).policies, RELEASE, NAMESPACE, WORKLOADS)
    assert not allowed(objs, WEB, "169.254.20.10", 53, "UDP")


def test_port_1053_outside_vcluster_is_reported():
    found = run(netpol_dns_port, deployment(), NETPOL_ON + EGRESS_1053)
    assert any("1053" in f.message and "vcluster preset" in f.message for f in found), found


def test_port_1053_with_the_vcluster_preset_is_not():
    found = run(netpol_dns_port, deployment(), NETPOL_ON + "    dns: {preset: vcluster}\n" + EGRESS_1053)
    assert not any("opens port 1053" in f.message for f in found), found
