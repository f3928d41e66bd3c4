"""``--rendered`` inputs that already hold vnp's objects or several releases (issue 13, item 10): vnp's objects
found in the input are facts when no config is given, and a stream of several releases is examined one
release at a time, or refused (exit 2, naming them) when vnp cannot attribute its objects."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.builders import config_map, container, deployment, stream
from tests.rules.rulekit import NETPOL_ON

BIN = Path(sys.executable).parent
INSTANCE = "app.kubernetes.io/instance"


def web(name: str, release: str):
    return deployment(name, labels={INSTANCE: release}, containers=[container(name, "nginx", ports=[8080])])


def graph(tmp_path, text: str, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "rendered.yaml"
    path.write_text(text)
    return subprocess.run([str(BIN / "helm-vnp"), "graph", "--rendered", str(path), "--format", "json", *args],
                          capture_output=True, text=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def edge(g: dict, src: str, dst: str) -> bool:
    found = [e for e in g["edges"] if e["from"] == src and e["to"] == dst]
    assert found, f"no edge {src} -> {dst}"
    return all(e["allowed"] for e in found)


def test_vnp_output_keeps_its_policies_without_config(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(NETPOL_ON)
    rendered = subprocess.run([str(BIN / "vnp-postrender"), "--release", "shop", "-n", "team", "-f", str(values)],
                              input=stream(web("web", "shop")).encode(), capture_output=True, check=True).stdout
    proc = graph(tmp_path, rendered.decode())
    assert proc.returncode == 0, proc.stderr
    g = json.loads(proc.stdout)
    assert [p for p in g["policies"] if "vnp-shop" in json.dumps(p)], g["policies"]
    assert not edge(g, "other-namespace", "Deployment/web")  # isolated, as installed


def test_two_releases_are_refused_naming_both(tmp_path):
    proc = graph(tmp_path, stream(web("a-web", "a"), web("b-web", "b")))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "'a' and 'b'" in proc.stderr and "--release" in proc.stderr and "Traceback" not in proc.stderr


def test_one_release_of_several_is_examined_alone(tmp_path):
    proc = graph(tmp_path, stream(web("a-web", "a"), web("b-web", "b")), "--release", "a")
    assert proc.returncode == 0, proc.stderr
    nodes = json.dumps(json.loads(proc.stdout)["edges"])
    assert "Deployment/a-web" in nodes and "Deployment/b-web" not in nodes


def test_objects_of_no_release_in_a_mix_are_refused(tmp_path):
    proc = graph(tmp_path, stream(web("a-web", "a"), web("b-web", "b"), config_map("loose")), "--release", "a")
    assert proc.returncode == 2 and "ConfigMap loose" in proc.stderr and "'a' and 'b'" in proc.stderr
