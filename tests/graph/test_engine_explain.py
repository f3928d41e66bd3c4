"""`helm vnp explain` and `graph --format connlist` on the command line, and explain's answer equal to the
engine's bulk answer on every pair."""
from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path

from helm_vnp.connectivity import compute
from helm_vnp.connectivity.conns import NONE
from helm_vnp.connectivity.explain import explain
from tests.builders import container, deployment, network_policy, stream
from tests.graph.test_engine_semantics import DEFAULT, MYPROJECT, policy
from tests.rules.rulekit import NETPOL_ON

BIN = Path(sys.executable).parent
STREAM = stream(deployment("web", containers=[container("web", "nginx", ports=[8080])]),
                deployment("db", containers=[container("db", "postgres", ports=[5432])]),
                network_policy("db-from-web", pod_selector={"app": "db"},
                               ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}],
                                         "ports": [{"port": 5432}]}]))


def run(tmp_path, *args, values: str | None = None):
    path = tmp_path / "stream.yaml"
    path.write_text(STREAM)
    extra = []
    if values is not None:
        (tmp_path / "values.yaml").write_text(values)
        extra = ["-f", str(tmp_path / "values.yaml")]
    return subprocess.run([str(BIN / "helm-vnp"), *args, "--rendered", str(path), "--release", "rel", *extra],
                          capture_output=True, text=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def test_explain_agrees_with_the_bulk_answer_on_every_pair():
    spec = {"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]}},
                                  {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
                                  {"podSelector": {"matchLabels": {"role": "frontend"}}}],
                         "ports": [{"protocol": "TCP", "port": "redis"}]}],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}], "ports": [{"protocol": "TCP", "port": 5978}]}]}
    objects = [MYPROJECT, policy("p", "default", spec),
               policy("q", "myproject", {"podSelector": {}, "policyTypes": ["Egress"],
                                         "egress": [{"to": [{"namespaceSelector": {}}]}]})]
    result = compute(DEFAULT, objects, {"myproject": {"project": "myproject"}})
    keys = [w.key for w in DEFAULT]
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if i != j:
                assert explain(result, a, b).conn == result.between(i, j), (a, b)
    ext = {(d, w, r): c for d, w, r, c in result.external()}
    for r, (version, lo, hi) in enumerate(result.ranges):
        for address in {lo, hi}:  # both ends of every range the connlist prints
            text = str(ipaddress.ip_address(address) if version == 4 else ipaddress.IPv6Address(address))
            for i, a in enumerate(keys):
                assert explain(result, a, text).conn == ext.get(("egress", i, r), NONE), (a, text)
                assert explain(result, text, a).conn == ext.get(("ingress", i, r), NONE), (text, a)


def test_explain_names_the_policies_and_the_missing_rule(tmp_path):
    isolated = run(tmp_path, "explain", "default/db", "web", "--port", "8080", values=NETPOL_ON)
    assert isolated.returncode == 0, isolated.stderr  # vnp's isolation keeps the release together
    assert "egress of default/db[Deployment]: isolated by default/vnp-rel-workload" in isolated.stdout
    out = run(tmp_path, "explain", "web", "db", "--port", "5432")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "default/web[Deployment] => default/db[Deployment] on 5432/TCP: ALLOWED",
        "  allowed connections: TCP 5432",
        "  egress of default/web[Deployment]: not isolated (no NetworkPolicy selects it for Egress): all allowed",
        "  ingress of default/db[Deployment]: isolated by default/db-from-web",
        "    default/db-from-web ingress[0] admits it: TCP 5432"]
    out = run(tmp_path, "explain", "web", "db", "--port", "5433")
    assert out.returncode == 1 and "DENIED" in out.stdout and "none of that includes 5433/TCP" in out.stdout
    out = run(tmp_path, "explain", "203.0.113.9", "db", "--format", "json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["allowed"] is False and data["sides"][0]["selectingPolicies"] == ["default/db-from-web"]
    assert data["sides"][0]["allowingRules"] == []
    assert "no rule of those policies admits 203.0.113.9" in run(tmp_path, "explain", "203.0.113.9", "db").stdout


def test_explain_refuses_what_it_cannot_answer(tmp_path):
    for args, message in ((("nope", "db"), "no workload or address 'nope'"),
                          (("web", "web"), "same workload"),
                          (("1.1.1.1", "2.2.2.2"), "one end must be a workload"),
                          (("web", "10.0.0.0/8"), "give one address"),
                          (("web", "db", "--port", "http"), "expected PORT[/PROTOCOL]")):
        out = run(tmp_path, "explain", *args)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
        assert out.stdout == ""


def test_graph_connlist_on_the_command_line(tmp_path):
    out = run(tmp_path, "graph", "--format", "connlist")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "default/web[Deployment] => default/db[Deployment] : TCP 5432" in lines
    assert "default/db[Deployment] => default/web[Deployment] : All Connections" in lines
    assert not [line for line in lines if line.endswith("=> default/db[Deployment] : All Connections")]
    assert "0.0.0.0-255.255.255.255 => default/web[Deployment] : All Connections" in lines
    csv = run(tmp_path, "graph", "--format", "csv").stdout.splitlines()
    assert csv[0] == "src,dst,conn" and "default/web[Deployment],default/db[Deployment],TCP 5432" in csv
    isolated = run(tmp_path, "graph", "--format", "connlist", values=NETPOL_ON).stdout.splitlines()
    assert not [line for line in isolated if line.startswith(("0.0.0.0", "::"))]  # nothing gets in from outside


def test_host_network_workloads_are_analysed_like_any_pod_with_a_warning(tmp_path):
    agent = stream(deployment("agent", containers=[container("agent", "x", ports=[9100])]))
    agent = agent.replace("    spec:\n      containers:", "    spec:\n      hostNetwork: true\n      containers:", 1)
    assert "hostNetwork: true" in agent
    path = tmp_path / "agent.yaml"
    path.write_text(STREAM + agent)
    out = subprocess.run([str(BIN / "helm-vnp"), "graph", "--rendered", str(path), "--release", "rel", "--format",
                          "connlist"], capture_output=True, text=True,
                         env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert "warning: default/agent[Deployment] uses hostNetwork: it is analysed as any pod" in out.stderr
    # netpol-analyzer's model: db's policy selects pods by label, agent is not web, so it does not get in
    assert "default/agent[Deployment] => default/db[Deployment]" not in out.stdout
    assert "default/agent[Deployment] => default/web[Deployment] : All Connections" in out.stdout
