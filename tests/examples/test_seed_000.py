"""Every example of seed 000 (examples/seed-000/) on examples/demo-chart: rendered by the real Helm 4, post-rendered
by the real vnp-postrender with the example's values as written, and its output checked against what the seed
says the example does."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from tests.e2e.e2e_helpers import load_all
from tests.e2e.helmkit import DEMO_CHART, REPO, make_helm

EXAMPLES = REPO / "examples" / "seed-000"
BIN = Path(sys.executable).parent
RELEASE, NS = "shop", "shop"
RELEASE_LABEL = "vnp.helm-plugin.io/release"


@pytest.fixture(scope="module")
def chart_stream(tmp_path_factory) -> bytes:
    home = tmp_path_factory.mktemp("helm")
    return make_helm(4, home).run("template", RELEASE, str(DEMO_CHART), "-n", NS).stdout


def postrender(stream: bytes, values: Path) -> list[dict]:
    proc = subprocess.run([str(BIN / "vnp-postrender"), "--release", RELEASE, "--namespace", NS, "-f", str(values)],
                          input=stream, capture_output=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return load_all(proc.stdout)


def workload_policy(objects: list[dict]) -> dict:
    [pol] = [o for o in objects if o.get("kind") == "NetworkPolicy" and o["metadata"]["name"] == "vnp-shop-workload"]
    return pol


def release_pod(objects: list[dict], namespace: str = NS) -> Pod:
    dep = next(o for o in objects if o.get("kind") == "Deployment")
    return Pod(namespace, dep["spec"]["template"]["metadata"]["labels"])


def test_basic_isolation(chart_stream):
    objects = postrender(chart_stream, EXAMPLES / "basic-isolation.yaml")
    pols = policies_from([o for o in objects if o.get("kind") == "NetworkPolicy"], NS)
    me = release_pod(objects)
    # the seed: traffic between the virtual cluster's pods, nothing from other namespaces, DNS allowed
    assert allowed(pols, Pod(NS, {RELEASE_LABEL: RELEASE}), me, 8080)
    assert not allowed(pols, Pod("other", {"app": "x"}), me, 8080)
    assert not allowed(pols, Pod(NS, {"app": "not-the-release"}), me, 8080)
    assert allowed(pols, me, Pod("kube-system", {"k8s-app": "kube-dns"}), 53, "UDP")
    assert allowed(pols, me, "1.1.1.1", 443) and not allowed(pols, me, "169.254.169.254", 80)


def test_custom_egress_except_ranges(chart_stream):
    objects = postrender(chart_stream, EXAMPLES / "custom-egress.yaml")
    blocks = [p["ipBlock"] for r in workload_policy(objects)["spec"]["egress"] for p in r.get("to", [])
              if "ipBlock" in p and p["ipBlock"]["cidr"] == "0.0.0.0/0"]
    assert blocks == [{"cidr": "0.0.0.0/0",
                       "except": ["169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}]
    pols = policies_from([o for o in objects if o.get("kind") == "NetworkPolicy"], NS)
    me = release_pod(objects)
    assert allowed(pols, me, "8.8.4.4", 443) and not allowed(pols, me, "10.1.2.3", 443)


def test_custom_labels_and_annotations(chart_stream):
    objects = postrender(chart_stream, EXAMPLES / "custom-labels.yaml")
    policies = [o for o in objects if o.get("kind") == "NetworkPolicy"]
    assert policies
    for pol in policies:
        meta = pol["metadata"]
        assert meta["labels"]["environment"] == "production" and meta["labels"]["team"] == "platform"
        assert meta["labels"]["app.kubernetes.io/managed-by"] == "helm-vnp"
        assert meta["annotations"]["description"] == "Network isolation for production vCluster"


def test_dns_on_port_1053(chart_stream):
    objects = postrender(chart_stream, EXAMPLES / "dns-port-1053.yaml")
    ports = [p for r in workload_policy(objects)["spec"]["egress"] for p in r.get("ports", [])]
    assert {"port": 1053, "protocol": "UDP"} in ports and {"port": 1053, "protocol": "TCP"} in ports
    # port 53 stays only towards the fallbackDns server (8.8.8.8/32), never towards the cluster's DNS pods
    assert all(r["to"] == [{"ipBlock": {"cidr": "8.8.8.8/32"}}] for r in workload_policy(objects)["spec"]["egress"]
               if any(p["port"] == 53 for p in r.get("ports", [])))
    dns_rule = next(r for r in workload_policy(objects)["spec"]["egress"] if {"port": 1053, "protocol": "UDP"}
                    in r.get("ports", []))
    assert all(p["port"] == 1053 for p in dns_rule["ports"])


def project_values(tmp_path: Path, project: str) -> Path:
    """The template's values as Platform renders them for a virtual cluster of ``project``."""
    template = YAML(typ="safe").load((EXAMPLES / "project-isolated-template.yaml").read_text())
    text = template["spec"]["template"]["helmRelease"]["values"]
    assert "{{ .Values.loft.project }}" in text
    path = tmp_path / f"{project}.yaml"
    path.write_text(text.replace("{{ .Values.loft.project }}", project))
    return path


def test_project_scoped_template_as_written(chart_stream, tmp_path):
    alpha = postrender(chart_stream, project_values(tmp_path, "alpha"))
    me = release_pod(alpha)
    assert me.labels["vcluster.io/project"] == "alpha"
    pols = policies_from([o for o in alpha if o.get("kind") == "NetworkPolicy"], NS)
    assert all(p["metadata"]["labels"]["vcluster.io/project"] == "alpha" for p in alpha
               if p.get("kind") == "NetworkPolicy")
    # the seed: virtual clusters of one project talk to each other, and to nobody else
    assert allowed(pols, Pod("team-b", {"vcluster.io/project": "alpha"}), me, 8080)
    assert allowed(pols, me, Pod("team-b", {"vcluster.io/project": "alpha"}), 8080)
    assert not allowed(pols, Pod("team-c", {"vcluster.io/project": "beta"}), me, 8080)
    assert not allowed(pols, me, Pod("team-c", {"vcluster.io/project": "beta"}), 8080)
