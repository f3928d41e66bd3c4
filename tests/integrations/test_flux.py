"""docs/recipes/flux.md: `helm-vnp generate --check` (exit 0 current, 1 stale with a diff, 2 bad input), the page's
commands run as written, and its HelmRelease post-renderer patches applied by `kubectl kustomize` to a chart
rendered by the real Helm: the pods carry the label the generated NetworkPolicies select."""
from __future__ import annotations

import os

import pytest
from ruamel.yaml import YAML

from tests.integrations.kit import GOOD, REPO, TOOLS, clean_env, copy_chart, doc_blocks, run

PAGE = REPO / "docs" / "recipes" / "flux.md"
LABEL = "vnp.helm-plugin.io/release"
CONFIG = "policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n"


@pytest.fixture
def app(tmp_path):
    root = tmp_path / "repo"
    (root / "apps" / "shop-web").mkdir(parents=True)
    (root / "apps" / "shop-web" / "vnp-values.yaml").write_text(CONFIG)
    return root


def sh(code: str, cwd, env):
    return run(["bash", "-eo", "pipefail", "-c", code], cwd, env)


def test_generate_then_check_as_the_page_says(app, tmp_path):
    blocks, env = doc_blocks(PAGE), clean_env(tmp_path / "home")
    made = sh(blocks["flux-generate"], app, env)
    assert made.returncode == 0, made.stderr
    committed = (app / "apps" / "shop-web" / "vnp.yaml").read_text()
    assert "kind: NetworkPolicy" in committed and "kind: ResourceQuota" in committed

    current = sh(blocks["flux-check"], app, env)
    assert current.returncode == 0 and current.stdout == "" and current.stderr == ""

    # the config changes and vnp.yaml is not regenerated: stale, with a diff committed -> now
    (app / "apps" / "shop-web" / "vnp-values.yaml").write_text(CONFIG.replace("resourceQuota:\n    enabled: true",
                                                                              "resourceQuota:\n    enabled: false"))
    stale = sh(blocks["flux-check"], app, env)
    assert stale.returncode == 1
    assert stale.stdout.startswith("--- apps/shop-web/vnp.yaml (committed)\n+++ apps/shop-web/vnp.yaml (generated now)")
    assert "-kind: ResourceQuota" in stale.stdout and "+kind: ResourceQuota" not in stale.stdout
    assert "regenerate" in stale.stderr
    assert (app / "apps" / "shop-web" / "vnp.yaml").read_text() == committed  # --check never writes


def test_check_bad_input_is_exit_2(app, tmp_path):
    env = clean_env(tmp_path / "home")
    base = ["helm-vnp", "generate", "-f", "apps/shop-web/vnp-values.yaml", "--release", "web", "-n", "shop"]
    missing = run([*base, "--check", "apps/shop-web/absent.yaml"], app, env)
    assert missing.returncode == 2 and "--check" in missing.stderr and "absent.yaml" in missing.stderr
    (app / "binary.yaml").write_bytes(b"\xff\xfe\x00")
    assert run([*base, "--check", "binary.yaml"], app, env).returncode == 2
    (app / "apps" / "shop-web" / "vnp-values.yaml").write_text("policies:\n  networkPolicy:\n    enabled: maybe\n")
    (app / "x.yaml").write_text("")
    invalid = run([*base, "--check", "x.yaml"], app, env)
    assert invalid.returncode == 2 and "networkPolicy.enabled" in invalid.stderr and invalid.stdout == ""
    for proc in (missing, invalid):
        assert "Traceback" not in proc.stderr


def test_helmrelease_patches_label_what_the_policies_select(app, tmp_path):
    kubectl = TOOLS / "kubectl"
    if not os.access(kubectl, os.X_OK):
        pytest.skip(f"kubectl not found at {kubectl} (run `make tools`)")
    blocks, env = doc_blocks(PAGE), clean_env(tmp_path / "home")
    chart = copy_chart(GOOD, tmp_path / "chart")
    (chart / "templates" / "more.yaml").write_text((chart / "templates" / "app.yaml").read_text()
                                                   .split("---\n")[1].replace("kind: Deployment", "kind: StatefulSet")
                                                   .replace("-web\n", "-db\n", 1))
    helmrelease = YAML(typ="safe").load(blocks["flux-helmrelease"])
    release, namespace = helmrelease["spec"]["releaseName"], helmrelease["metadata"]["namespace"]
    rendered = run(["helm", "template", release, chart, "--namespace", namespace], tmp_path, env)
    assert rendered.returncode == 0, rendered.stderr
    # what Flux's Kustomize post-renderer does: a kustomization of the rendered objects with the patches
    work = tmp_path / "kustomize"
    work.mkdir()
    (work / "all.yaml").write_text(rendered.stdout)
    YAML().dump({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["all.yaml"],
                 "patches": helmrelease["spec"]["postRenderers"][0]["kustomize"]["patches"]},
                work / "kustomization.yaml")
    patched = run([kubectl, "kustomize", work], work, env)
    assert patched.returncode == 0, patched.stderr
    assert sh(blocks["flux-generate"], app, env).returncode == 0
    policies = [d for d in YAML(typ="safe").load_all((app / "apps" / "shop-web" / "vnp.yaml").read_text())
                if d and d["kind"] == "NetworkPolicy"]
    selector = policies[0]["spec"]["podSelector"]["matchLabels"]
    assert selector == {LABEL: release}
    workloads = [d for d in YAML(typ="safe").load_all(patched.stdout) if d["kind"] in ("Deployment", "StatefulSet")]
    assert len(workloads) == 2
    for w in workloads:
        labels = w["spec"]["template"]["metadata"]["labels"]
        assert all(labels.get(k) == v for k, v in selector.items()), (w["kind"], labels)
    kust = YAML(typ="safe").load(blocks["flux-kustomization"])
    assert kust["resources"] == ["helmrelease.yaml", "vnp.yaml"]
