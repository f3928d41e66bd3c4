"""`helm vnp upgrade` never drops isolation silently (issue 13, item 9), on the real Helm 4 and Helm 3 with the
memory storage driver preloaded with the release a `helm vnp install --dry-run` produced.

The install records the user's vnp config on its first object; `upgrade --reuse-values` reuses it when the
stored values hold none (the config came with --vnp-values); an upgrade that would remove vnp's objects is
refused (exit 2) unless --vnp-allow-removal.
"""
from __future__ import annotations

import json

from tests.e2e.e2e_helpers import load_all
from tests.e2e.helmkit import HOOKS_CHART, deployed_release, memory_driver_env

CONFIG = "vnp.helm-plugin.io/config"
GENERATED = {"NetworkPolicy", "ResourceQuota", "LimitRange"}  # a quota brings vCluster's limit range with it


def manifest_of(out: bytes) -> str:
    return out.decode().split("\nMANIFEST:\n", 1)[1].split("\nNOTES:\n", 1)[0]


def kinds(manifest: str) -> list[str]:
    return sorted(o["kind"] for o in load_all(manifest.encode())
                  if o["metadata"].get("labels", {}).get("app.kubernetes.io/managed-by") == "helm-vnp")


def installed(helm, fake_cluster, tmp_path) -> dict:
    """The release `helm vnp install --vnp-values` makes: its stored values hold no `policies`."""
    policies = tmp_path / "vnp.yaml"
    policies.write_text("policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n")
    proc = helm.run("vnp", "install", "app", HOOKS_CHART, "-n", "team-a", "--vnp-values", policies,
                    "--dry-run=client", env=memory_driver_env(fake_cluster, tmp_path, []))
    manifest = manifest_of(proc.stdout)
    assert set(kinds(manifest)) == GENERATED
    recorded = [o["metadata"]["annotations"][CONFIG] for o in load_all(manifest.encode())
                if CONFIG in (o["metadata"].get("annotations") or {})]
    assert [json.loads(r) for r in recorded] == [{"policies": {"networkPolicy": {"enabled": True},
                                                               "resourceQuota": {"enabled": True}}}]
    release = dict(deployed_release("app", "team-a", "vnp-hooks"), manifest=manifest)
    # --reuse-values reuses the chart values stored with the release too
    release["chart"]["values"] = {"image": "registry.k8s.io/pause:3.10", "plainJob": {"enabled": False}}
    return release


def test_reuse_values_reuses_the_recorded_config(helm, fake_cluster, tmp_path):
    release = installed(helm, fake_cluster, tmp_path)
    env = memory_driver_env(fake_cluster, tmp_path, [release])
    proc = helm.run("vnp", "upgrade", "app", HOOKS_CHART, "-n", "team-a", "--reuse-values", "--dry-run=client",
                    env=env)
    assert set(kinds(manifest_of(proc.stdout))) == GENERATED


def test_upgrade_without_the_config_is_refused(helm, fake_cluster, tmp_path):
    release = installed(helm, fake_cluster, tmp_path)
    env = memory_driver_env(fake_cluster, tmp_path, [release])
    proc = helm.run("vnp", "upgrade", "app", HOOKS_CHART, "-n", "team-a", "--dry-run=client", env=env, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "would remove vnp's LimitRange, NetworkPolicy, ResourceQuota from release 'app'" in err
    assert "--vnp-allow-removal" in err and proc.stdout == b""
    allowed = helm.run("vnp", "upgrade", "app", HOOKS_CHART, "-n", "team-a", "--dry-run=client",
                       "--vnp-allow-removal", env=env)
    assert kinds(manifest_of(allowed.stdout)) == []


def test_turning_one_section_off_is_refused(helm, fake_cluster, tmp_path):
    release = installed(helm, fake_cluster, tmp_path)
    env = memory_driver_env(fake_cluster, tmp_path, [release])
    proc = helm.run("vnp", "upgrade", "app", HOOKS_CHART, "-n", "team-a", "--reuse-values", "--dry-run=client",
                    "--set", "policies.networkPolicy.enabled=false", env=env, check=False)
    assert proc.returncode == 2 and "would remove vnp's NetworkPolicy from" in proc.stderr.decode()


def test_upgrade_install_of_a_new_release_has_nothing_to_remove(helm, fake_cluster, tmp_path):
    env = memory_driver_env(fake_cluster, tmp_path, [])
    proc = helm.run("vnp", "upgrade", "--install", "app", HOOKS_CHART, "-n", "team-a", "--dry-run=client", env=env)
    assert kinds(manifest_of(proc.stdout)) == []
