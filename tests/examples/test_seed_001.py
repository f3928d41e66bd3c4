"""Seed 001 (vCluster: Isolation & Security): every command of examples/seed-001/README.md, run as written,
prints its expected output, and each expected output says what the page says isolated mode does."""
from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.e2e.e2e_helpers import load_all
from tests.examples.readme_commands import REPO, readme_commands, run

FOLDER = REPO / "examples" / "seed-001"
COMMANDS = readme_commands(FOLDER)


def objects(name: str) -> list[dict]:
    return load_all((FOLDER / "expected" / name).read_bytes())


def by_kind(objs: list[dict], kind: str) -> list[dict]:
    return [o for o in objs if o.get("kind") == kind]


def test_every_example_file_has_a_command():
    used = {Path(arg).name for argv, _ in COMMANDS for arg in argv if arg.endswith(".yaml")}
    assert used == {p.name for p in FOLDER.glob("*.yaml")}
    assert {e.name for _, e in COMMANDS} == {p.name for p in (FOLDER / "expected").iterdir()}


@pytest.mark.parametrize("argv, expected", COMMANDS, ids=[f"{i}-{e.stem}" for i, (_, e) in enumerate(COMMANDS)])
def test_the_readme_command_prints_the_expected_output(argv, expected):
    proc = run(argv)
    assert proc.returncode == (1 if argv[1] == "lint" else 0), proc.stderr
    assert proc.stdout == expected.read_text()


def test_isolated_mode_is_converted_with_a_warning():
    [(argv, _)] = [(a, e) for a, e in COMMANDS if "examples/seed-001/isolated-mode.yaml" in a]
    proc = run(argv)
    assert "isolation.enabled: deprecated (vCluster <= 0.19): converted to policies.podSecurityStandard=baseline, " \
           "policies.resourceQuota.enabled=true, policies.limitRange.enabled=true, " \
           "policies.networkPolicy.enabled=true" in proc.stderr


def test_isolated_mode_gives_the_pages_defaults():
    objs = objects("isolated-mode.yaml")
    assert [o["kind"] for o in objs] == ["NetworkPolicy", "ResourceQuota", "LimitRange"]
    [quota] = by_kind(objs, "ResourceQuota")
    assert quota["spec"]["hard"] == {  # the page's list (its "20Gi "100Gi"" is requests.memory + requests.storage)
        "requests.cpu": "10", "requests.memory": "20Gi", "requests.storage": "100Gi",
        "requests.ephemeral-storage": "60Gi", "limits.cpu": "20", "limits.memory": "40Gi",
        "limits.ephemeral-storage": "160Gi", "services.nodeports": "0", "services.loadbalancers": "1",
        "count/endpoints": "40", "count/pods": "20", "count/services": "20", "count/secrets": "100",
        "count/configmaps": "100", "count/persistentvolumeclaims": "20"}
    [lr] = by_kind(objs, "LimitRange")
    assert lr["spec"]["limits"] == [{"type": "Container",
                                     "default": {"cpu": "1", "ephemeral-storage": "8Gi", "memory": "512Mi"},
                                     "defaultRequest": {"cpu": "100m", "ephemeral-storage": "3Gi",
                                                        "memory": "128Mi"}}]
    [np] = by_kind(objs, "NetworkPolicy")
    assert np["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_the_pages_quota_and_limit_range():
    [quota] = by_kind(objects("resource-quota.yaml"), "ResourceQuota")
    hard = quota["spec"]["hard"]
    assert (hard["cpu"], hard["memory"], hard["pods"]) == ("10", "20Gi", "10")
    assert not by_kind(objects("resource-quota.yaml"), "LimitRange")
    [lr] = by_kind(objects("limit-range.yaml"), "LimitRange")
    [limit] = lr["spec"]["limits"]
    assert (limit["default"]["memory"], limit["default"]["cpu"]) == ("512Mi", "1")
    assert (limit["defaultRequest"]["memory"], limit["defaultRequest"]["cpu"]) == ("128Mi", "100m")


def test_pod_security_baseline_refuses_privileged_and_host_path_pods():
    text = (FOLDER / "expected" / "pod-security-baseline.txt").read_text()
    assert "error   pss.privileged" in text and "error   pss.hostPathVolumes" in text
    assert "2 errors" in text
    restricted = (FOLDER / "expected" / "pod-security-restricted.txt").read_text()
    assert "Deployment team-a/root" in restricted and "pss.runAsNonRoot" in restricted
    readme = (FOLDER / "README.md").read_text()
    [line] = [x for x in readme.splitlines() if x.startswith("helm-vnp post-render") and "pod-security" in x]
    proc = run(shlex.split(line))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Deployment privileged" in proc.stderr and "Deployment host-path" in proc.stderr
    assert "Deployment root" not in proc.stderr


def test_non_root_node_selector_and_tokens():
    [dep] = by_kind(objects("non-root.yaml"), "Deployment")
    assert dep["spec"]["template"]["spec"]["securityContext"] == {
        "runAsNonRoot": True, "runAsUser": 12345, "runAsGroup": 12345, "fsGroup": 12345}
    [dep] = by_kind(objects("node-selector.yaml"), "Deployment")
    assert dep["spec"]["template"]["spec"]["nodeSelector"] == {"node-pool": "tenants"}
    objs = objects("service-account-tokens.yaml")
    [dep], [sa] = by_kind(objs, "Deployment"), by_kind(objs, "ServiceAccount")
    assert dep["spec"]["template"]["spec"]["automountServiceAccountToken"] is False
    assert sa["automountServiceAccountToken"] is False
