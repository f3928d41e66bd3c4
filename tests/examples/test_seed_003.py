"""Seed 003 (vCluster: Network & DNS): every command of examples/seed-003/README.md, run as written, prints its
expected output, and each expected output does what the page says the setting is for (judged with
helm_vnp.k8s.netpol on the policies it holds)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from tests.e2e.e2e_helpers import load_all
from tests.examples.readme_commands import REPO, readme_commands, run

FOLDER = REPO / "examples" / "seed-003"
COMMANDS = readme_commands(FOLDER)
NS, RELEASE = "my-virtual-namespace", "my-vcluster"
RELEASE_LABEL = "vnp.helm-plugin.io/release"
APP = Pod(NS, {"app": "my-app", RELEASE_LABEL: RELEASE}, ports={"http": (8080, "TCP")})
NEIGHBOUR = Pod(NS, {"app": "someone-else"})
ELSEWHERE = Pod("elsewhere", {"app": "client"})


def objects(name: str) -> list[dict]:
    return load_all((FOLDER / "expected" / name).read_bytes())


def policies(objs: list[dict]):
    return policies_from([o for o in objs if o.get("kind") == "NetworkPolicy"], NS)


def service(objs: list[dict], name: str) -> dict:
    [svc] = [o for o in objs if o.get("kind") == "Service" and o["metadata"]["name"] == name]
    return svc


def test_every_example_file_has_a_command():
    used = {Path(arg).name for argv, _ in COMMANDS for arg in argv if arg.endswith(".yaml")}
    assert used == {p.name for p in FOLDER.glob("*.yaml")}
    assert {e.name for _, e in COMMANDS} == {p.name for p in (FOLDER / "expected").iterdir()}


@pytest.mark.parametrize("argv, expected", COMMANDS, ids=[e.stem for _, e in COMMANDS])
def test_the_readme_command_prints_the_expected_output(argv, expected):
    proc = run(argv)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected.read_text()


def test_map_from_host():
    objs = objects("map-from-host.yaml")
    svc = service(objs, "my-virtual-service")
    assert svc["metadata"]["namespace"] == NS
    assert svc["spec"] == {"type": "ExternalName",
                           "externalName": "my-host-service.my-host-namespace.svc.cluster.local"}
    pols = policies(objs)
    assert allowed(pols, APP, Pod("my-host-namespace", {"app": "host"}), 5432)
    assert not allowed(pols, APP, ELSEWHERE, 5432)


def test_map_from_virtual():
    objs = objects("map-from-virtual.yaml")
    svc = service(objs, "my-host-service")
    assert svc["spec"]["externalName"] == "my-virtual-service.my-virtual-namespace.svc.cluster.local"
    pols = policies(objs)
    assert allowed(pols, NEIGHBOUR, APP, 8080) and not allowed(pols, NEIGHBOUR, APP, 9090)
    assert not allowed(pols, ELSEWHERE, APP, 8080)


def test_ingress_is_opened_from_the_controller_only():
    pols = policies(objects("ingress-sync.yaml"))
    controller = Pod("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx",
                                       "app.kubernetes.io/component": "controller"})
    assert allowed(pols, controller, APP, 8080) and not allowed(pols, controller, APP, 9090)
    assert not allowed(pols, ELSEWHERE, APP, 8080) and not allowed(pols, NEIGHBOUR, APP, 8080)


def test_chart_policy_is_confined_to_the_release():
    chart = [o for o in load_all((FOLDER / "release-with-policy.yaml").read_bytes()) if o["kind"] == "NetworkPolicy"]
    assert allowed(policies_from(chart, NS), ELSEWHERE, APP, 8080)  # as the chart wrote it: every namespace
    objs = objects("networkpolicy-sync.yaml")
    [confined] = [o for o in objs if o.get("kind") == "NetworkPolicy" and o["metadata"]["name"] == "allow-clients"]
    assert not allowed(policies_from([confined], NS), ELSEWHERE, APP, 8080)
    assert not allowed(policies_from([confined], NS), NEIGHBOUR, APP, 8080)
    assert allowed(policies_from([confined], NS), Pod(NS, {RELEASE_LABEL: RELEASE}), APP, 8080)
