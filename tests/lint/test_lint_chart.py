"""`helm vnp lint CHART`: rendered by the real `helm template`, findings point at the chart's templates."""
from __future__ import annotations

import pytest

from tests.lint.lint_helpers import (
    CHARTS,
    HELM3,
    HELM4,
    lint_json,
    need,
    pss_findings,
    rules_of,
    run_cli,
    write,
)

WEB = str(CHARTS / "web")
RESTRICTED_BAD = ["pss.allowPrivilegeEscalation", "pss.capabilities_restricted", "pss.runAsNonRoot",
                  "pss.seccompProfile_restricted"]


@pytest.fixture(params=["helm4", "helm3"])
def helm(request):
    return str(need(HELM4 if request.param == "helm4" else HELM3, request.param))


def test_findings_point_at_the_template_and_the_objects_line_in_it(helm):
    report = lint_json(WEB, "-n", "shop", "--release", "demo", env={"HELM_BIN": helm})
    assert rules_of(report) == RESTRICTED_BAD
    for f in pss_findings(report):
        # the Deployment is the second object of templates/app.yaml: after the Service (11 lines) and `---`
        assert f["source"] == {"file": f"{WEB}/templates/app.yaml", "line": 13}  # the file itself, as given
        assert f["object"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "demo-web", "namespace": "shop"}
    summary = report["summary"]
    assert (summary["release"], summary["namespace"], summary["objects"]) == ("demo", "shop", 3)


MULTI = """# a comment first
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
{{- if true }}
apiVersion: apps/v1
kind: Deployment
metadata: {name: priv}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers: [{name: c, image: x, securityContext: {privileged: true}}]
{{- end }}
---
apiVersion: v1
kind: Pod
metadata: {name: pod}
spec:
  containers: [{name: c, image: x, securityContext: {privileged: true}}]
"""


def test_lines_survive_helms_sort_by_kind_and_paths_name_the_chart_directory(helm, tmp_path, monkeypatch):
    """Helm writes the Pod before the Deployment (install order); each still points at its own chunk,
    in the file under the directory the user named (not the chart's name)."""
    chart = tmp_path / "deploy" / "helm"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "templates" / "multi.yaml").write_text(MULTI)
    monkeypatch.chdir(tmp_path)
    report = lint_json("deploy/helm", "--pss-level", "baseline", env={"HELM_BIN": helm})
    where = {f["object"]["kind"]: f["source"] for f in report["findings"] if f["rule"] == "pss.privileged"}
    assert where == {"Deployment": {"file": "deploy/helm/templates/multi.yaml", "line": 7},
                     "Pod": {"file": "deploy/helm/templates/multi.yaml", "line": 18}}


def test_values_flags_reach_helm_and_the_config(helm, tmp_path):
    values = write(tmp_path / "v.yaml", "hardened: true\npolicies:\n  podSecurityStandard: baseline\n")
    assert rules_of(lint_json(WEB, "-f", values, env={"HELM_BIN": helm})) == []
    # --set reaches the chart (hardened) and the config (podSecurityStandard: restricted -> errors)
    report = lint_json(WEB, "--set", "hardened=true", "--set", "policies.podSecurityStandard=restricted",
                       env={"HELM_BIN": helm})
    assert rules_of(report) == []
    report = lint_json(WEB, "--set-string", "policies.podSecurityStandard=restricted", env={"HELM_BIN": helm})
    assert rules_of(report) == RESTRICTED_BAD and {f["severity"] for f in pss_findings(report)} == {"error"}
    report = lint_json(WEB, "--set-json", 'policies={"podSecurityStandard":"baseline"}', env={"HELM_BIN": helm})
    assert rules_of(report) == []
    report = lint_json(WEB, "-f", "-", stdin=b"policies:\n  podSecurityStandard: restricted\n",
                       env={"HELM_BIN": helm})
    assert rules_of(report) == RESTRICTED_BAD


def test_default_release_name_and_helm_namespace(helm):
    report = lint_json(WEB, env={"HELM_BIN": helm, "HELM_NAMESPACE": "fromenv"})
    assert pss_findings(report)[0]["object"]["name"] == "release-web"
    assert pss_findings(report)[0]["object"]["namespace"] == "fromenv"


def test_helm_failure_is_an_input_error(helm, tmp_path):
    code, out, err = run_cli("lint", str(tmp_path / "no-chart"), env={"HELM_BIN": helm})
    assert code == 2 and out == "" and "`helm template` failed" in err and "Traceback" not in err
    code, out, err = run_cli("lint", WEB, env={"HELM_BIN": str(tmp_path / "no-helm")})
    assert code == 2 and "cannot run" in err


def test_no_helm_binary_is_an_input_error(tmp_path):
    code, out, err = run_cli("lint", WEB, env={"HELM_BIN": "", "PATH": str(tmp_path)})
    assert code == 2 and "no helm binary" in err


def test_vnp_values_and_the_env_base_reach_the_config_not_helm(helm, tmp_path):
    """A chart whose values.schema.json refuses unknown keys: policies come with --vnp-values (or VNP_VALUES)."""
    chart = tmp_path / "strict"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: strict\nversion: 0.1.0\n")
    (chart / "values.schema.json").write_text('{"type": "object", "additionalProperties": false}')
    (chart / "templates" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n")
    pss = write(tmp_path / "pss.yaml", "policies:\n  podSecurityStandard: baseline\n")
    report = lint_json(str(chart), "--vnp-values", pss, env={"HELM_BIN": helm})
    assert not [f for f in report["findings"] if f["severity"] == "error"]  # baseline: the pod passes
    assert rules_of(report) == []  # restricted (the default view) would have warned
    report = lint_json(str(chart), env={"HELM_BIN": helm, "VNP_VALUES": pss})
    assert rules_of(report) == []


def test_graph_models_which_helm_labels_hooks(helm):
    """Helm 4 post-renders hooks (labelled: in the release), Helm 3 does not (unlabelled: outside it)."""
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    code, out, err = run_cli("graph", str(root / "charts" / "vnp-hooks"), "-f", str(root / "e2e" / "values-hooks.yaml"),
                             "-n", "hk", "--release", "r", "--format", "json", env={"HELM_BIN": helm})
    assert code == 0, err
    edges = [e for e in json.loads(out)["edges"] if e["from"] == "Deployment/r-web" and e["to"] == "Pod/r-test"]
    assert edges and all(e["allowed"] for e in edges) == ("helm4" in helm)


SUB_POD = """apiVersion: v1
kind: Pod
metadata: {name: {{ .Chart.Name }}}
spec:
  containers: [{name: c, image: x, securityContext: {privileged: true}}]
"""


def test_subchart_findings_point_at_its_directory_whatever_it_is_called(helm, tmp_path, monkeypatch):
    """Helm names a subchart's templates by the chart's name (or the alias the parent gives it), not by its
    directory under charts/: a finding still points at the file that exists (``charts/redis-17/...``)."""
    parent = tmp_path / "umbrella"
    (parent / "templates").mkdir(parents=True)
    (parent / "Chart.yaml").write_text("apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n"
                                       "- {name: redis, version: 0.1.0, alias: cache}\n"
                                       "- {name: worker, version: 0.1.0}\n")
    for directory, name in (("redis-17", "redis"), ("worker", "worker")):
        sub = parent / "charts" / directory
        (sub / "templates").mkdir(parents=True)
        (sub / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
        (sub / "templates" / "pod.yaml").write_text("# the pod\n" + SUB_POD)
    monkeypatch.chdir(tmp_path)
    report = lint_json("umbrella", "--pss-level", "baseline", env={"HELM_BIN": helm})
    where = sorted((f["object"]["name"], f["source"]["file"], f["source"]["line"])
                   for f in report["findings"] if f["rule"] == "pss.privileged")
    assert where == [("cache", "umbrella/charts/redis-17/templates/pod.yaml", 2),
                     ("worker", "umbrella/charts/worker/templates/pod.yaml", 2)]
