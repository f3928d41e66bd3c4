"""The Deckhouse virtualization docs' NetworkPolicies (seed 002: "vm: a" / "vm: b") on VMs a chart renders.

The chart ``tests/charts/vnp-vms`` renders two ``virtualization.deckhouse.io/v1alpha2``
VirtualMachines labelled ``vm: a`` and ``vm: b`` and the page's four policies; it is rendered by the
real Helm, post-rendered by the real ``vnp-postrender`` with vnp's isolation on, and judged with
``helm_vnp.k8s.netpol``, the VMs' pods carrying the VMs' labels (Deckhouse copies them).  The page
writes the egress example's ``ports`` one level too deep (under the peer, where the API server drops
it); the chart puts it on the rule, as the page's text says ("TCP port 53").
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helm_vnp.k8s import netpol
from tests.workloads.kit import NETPOL_ON, RELEASE_LABEL, postrender

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "tests" / "charts" / "vnp-vms"
HELM = ROOT / ".tools" / "bin" / "helm4"
NS = "test-project"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> str:
    if not os.access(HELM, os.X_OK):
        pytest.skip(f"Helm 4 binary not found at {HELM} (run `make tools`)")
    home = tmp_path_factory.mktemp("helm-home")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "HELM_CACHE_HOME": str(home / "cache"),
           "HELM_CONFIG_HOME": str(home / "config"), "HELM_DATA_HOME": str(home / "data")}
    proc = subprocess.run([str(HELM), "template", "vms", str(CHART), "-n", NS], capture_output=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


@pytest.mark.parametrize("isolation", [True, False], ids=["vnp-isolation", "chart-policies-only"])
def test_the_seed_policies_give_the_connectivity_the_page_describes(tmp_path, rendered, isolation):
    run = postrender(tmp_path, rendered, NETPOL_ON if isolation else "policies: {}\n", release="vms", namespace=NS)
    assert run.code == 0, run.stderr
    vms = {o["metadata"]["name"]: o for o in run.objects if o.get("kind") == "VirtualMachine"}
    assert set(vms) == {"vm-a", "vm-b"}
    if isolation:
        assert all(vm["metadata"]["labels"][RELEASE_LABEL] == "vms" for vm in vms.values())
    a, b = (netpol.Pod(NS, vms[n]["metadata"]["labels"]) for n in ("vm-a", "vm-b"))
    policies = run.policies(NS)
    neighbour = netpol.Pod(NS, {"app": "other"})
    another_project = netpol.Pod("another-project", {"app": "client"})
    third = netpol.Pod("third-project", {"app": "client"})
    # "Allowing incoming traffic between virtual machines": vm-b -> vm-a
    assert netpol.allowed(policies, b, a, 22)
    # "Isolation of all incoming traffic": nobody else in the project reaches vm-a
    assert not netpol.allowed(policies, neighbour, a, 22)
    # "Allowing incoming traffic between namespaces": another-project reaches vm-a, a third project does not
    assert netpol.allowed(policies, another_project, a, 22)
    assert not netpol.allowed(policies, third, a, 22)
    # "Allowing outgoing traffic ... to 8.8.8.8" on TCP 53
    assert netpol.allowed(policies, a, "8.8.8.8", 53, "TCP")
    if isolation:  # vnp: the release's pods reach each other, and nobody outside reaches them
        assert netpol.allowed(policies, a, b, 22)
        assert not netpol.allowed(policies, neighbour, b, 22)
        assert not netpol.allowed(policies, another_project, b, 22)
    else:  # vm-b is selected by no policy: open, as the page says of unselected VMs
        assert netpol.allowed(policies, neighbour, b, 22)
        assert not netpol.allowed(policies, a, "1.1.1.1", 443), "vm-a's only egress is 8.8.8.8:53"
