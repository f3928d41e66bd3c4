"""integrations/argocd/plugin.yaml: the CMP's init and generate command lines run as the sidecar runs them (in the
Application's source directory, with Argo CD's ARGOCD_APP_* / KUBE_* build variables and PARAM_* parameters), with
the real Helm 4 and Helm 3 and this repository's vnp-postrender."""
from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from tests.integrations.kit import BAD, GOOD, REPO, clean_env, copy_chart, run

PLUGIN = REPO / "integrations" / "argocd" / "plugin.yaml"
SIDECAR = REPO / "integrations" / "argocd" / "sidecar.yaml"
LABEL = "vnp.helm-plugin.io/release"


def command(phase: str) -> list[str]:
    spec = YAML(typ="safe").load(PLUGIN.read_text())["spec"][phase]
    return [*spec["command"], *spec.get("args", [])]


def argo_env(home, major, **params):
    return clean_env(home, major, ARGOCD_APP_NAME="shop-web", ARGOCD_APP_NAMESPACE="shop",
                     ARGOCD_APP_REVISION="0123abc", ARGOCD_APP_SOURCE_PATH="charts/good",
                     KUBE_VERSION="1.33.0", KUBE_API_VERSIONS="v1,apps/v1,networking.k8s.io/v1", **params)


def generate(source, env):
    init = run(command("init"), source, env)
    assert init.returncode == 0, init.stderr
    return run(command("generate"), source, env)


@pytest.mark.parametrize("major", [4, 3])
def test_generate_labels_the_release_and_adds_vnp_objects(tmp_path, major):
    source = copy_chart(GOOD, tmp_path / "src")
    env = argo_env(tmp_path / "home", major, PARAM_VALUES_FILES_0="values-vnp.yaml")
    proc = generate(source, env)
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in YAML(typ="safe").load_all(proc.stdout) if d]
    by_kind: dict = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deployment = by_kind["Deployment"][0]
    assert deployment["metadata"]["name"] == "shop-web-web"  # the release is the Application's name
    assert deployment["spec"]["template"]["metadata"]["labels"][LABEL] == "shop-web"
    policies = by_kind["NetworkPolicy"]
    assert policies and all(p["metadata"]["namespace"] == "shop" for p in policies)
    assert all(p["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "helm-vnp" for p in policies)


def test_parameters_release_name_vnp_only_values_and_no_values(tmp_path):
    source = copy_chart(GOOD, tmp_path / "src")
    (source / "vnp only.yaml").write_text("policies:\n  resourceQuota:\n    enabled: true\n")
    env = argo_env(tmp_path / "home", 4, PARAM_RELEASE_NAME="web", PARAM_VNP_VALUES_FILES_0="vnp only.yaml")
    proc = generate(source, env)
    assert proc.returncode == 0, proc.stderr
    kinds = [d["kind"] for d in YAML(typ="safe").load_all(proc.stdout) if d]
    assert "ResourceQuota" in kinds and "NetworkPolicy" not in kinds
    assert f"{LABEL}: web" in proc.stdout

    # no parameter: no config, the chart's objects as Helm renders them
    plain = generate(source, argo_env(tmp_path / "home2", 4))
    assert plain.returncode == 0 and "name: shop-web-web" in plain.stdout and "NetworkPolicy" not in plain.stdout


def test_generate_fails_closed(tmp_path):
    # a chart that does not render: nothing on stdout (an empty stream would make Argo CD prune the app)
    source = copy_chart(BAD, tmp_path / "src")
    (source / "templates" / "broken.yaml").write_text('{{ fail "broken on purpose" }}\n')
    proc = generate(source, argo_env(tmp_path / "home", 4))
    assert proc.returncode != 0 and proc.stdout == "" and "broken on purpose" in proc.stderr

    # a bad vnp config: helm renders, the post-renderer refuses, still nothing on stdout
    source = copy_chart(GOOD, tmp_path / "src2")
    (source / "bad.yaml").write_text("policies:\n  networkPolicy:\n    enabled: maybe\n")
    proc = generate(source, argo_env(tmp_path / "home2", 4, PARAM_VNP_VALUES_FILES_0="bad.yaml"))
    assert proc.returncode == 2 and proc.stdout == "" and "networkPolicy.enabled" in proc.stderr
    assert "Traceback" not in proc.stderr

    # a parameter is data, never shell
    source = copy_chart(GOOD, tmp_path / "src3")
    proc = generate(source, argo_env(tmp_path / "home3", 4, PARAM_VALUES_FILES_0="$(touch pwned).yaml"))
    assert proc.returncode != 0 and not (source / "pwned").exists()


def test_sidecar_configmap_carries_the_plugin_verbatim():
    docs = list(YAML(typ="safe").load_all(SIDECAR.read_text()))
    assert docs[0]["data"]["plugin.yaml"] == PLUGIN.read_text()
    container = docs[1]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["/var/run/argocd/argocd-cmp-server"]
    assert container["securityContext"]["runAsUser"] == 999
