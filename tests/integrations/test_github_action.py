"""action.yml, the composite GitHub Action: its `run:` steps executed in bash as the runner would (GITHUB_OUTPUT,
GITHUB_PATH, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, GITHUB_ACTION_PATH, RUNNER_TEMP; inputs through `${{ }}`),
the install step for real (a venv, pip install of the action's own checkout), then lint on a workspace holding a
chart that passes and one that fails; asserting the SARIF file, the annotations, the outputs and the verdict."""
from __future__ import annotations

import json
import os

import pytest

from tests.integrations.actionkit import load, run_action
from tests.integrations.kit import BAD, GOOD, REPO, clean_env, copy_chart, repo_snapshot

ACTION = REPO / "action.yml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The action checked out (a snapshot of this repository) and its install step run once, for real."""
    base = tmp_path_factory.mktemp("action")
    action_dir = repo_snapshot(base / "helm-vnp-action")
    workspace, temp = base / "empty-workspace", base / "runner-temp"
    workspace.mkdir()
    temp.mkdir()
    env = clean_env(base / "home", PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR")
                    or os.path.expanduser("~/.cache/pip"))
    run = run_action(action_dir / "action.yml", {"charts": "none/Chart.yaml"}, workspace, env, temp)
    assert "Install helm-vnp" in run.ran, run.log
    assert run.code == 2 and "::error::helm-vnp: the charts input matches no file" in run.log, run.log
    assert "::warning::helm-vnp: 'none/Chart.yaml' matches nothing" in run.log
    bin_dir = temp / "helm-vnp-venv" / "bin"
    assert (bin_dir / "helm-vnp").exists() and "helm-vnp" in run.log  # --version printed
    return action_dir, {"install": ({"bin": str(bin_dir)}, [str(bin_dir)])}


@pytest.fixture
def workspace(tmp_path):
    ws = tmp_path / "workspace"
    copy_chart(GOOD, ws / "charts" / "good")
    copy_chart(BAD, ws / "deploy" / "bad")
    (ws / "ci").mkdir()
    (ws / "ci" / "vnp.yaml").write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    return ws


def act(installed, workspace, tmp_path, **with_):
    action_dir, reuse = installed
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    env = clean_env(tmp_path / "home")
    env["PATH"] = env["PATH"].replace(str(REPO / ".venv" / "bin"), "/nonexistent")  # helm-vnp: the action's
    return run_action(action_dir / "action.yml", {k.replace("_", "-"): v for k, v in with_.items()}, workspace,
                      env, temp, reuse=reuse)


def test_every_chart_linted_sarif_annotations_and_failing_verdict(installed, workspace, tmp_path):
    run = act(installed, workspace, tmp_path, upload_sarif="true")
    assert run.code == 1, run.log
    assert run.outputs == {"exit-code": "1", "sarif": "helm-vnp.sarif"}
    assert "::error file=deploy/bad/templates/rbac.yaml,line=1,title=rbac.tenantEscape::" in run.log
    assert "::notice file=charts/good/templates/app.yaml,line=12,title=netpol.unselectedPod::" in run.log
    sarif = json.loads((workspace / "helm-vnp.sarif").read_text())
    results = sarif["runs"][0]["results"]
    errors = [r for r in results if r["level"] == "error"]
    assert [r["ruleId"] for r in errors] == ["rbac.tenantEscape"]
    assert errors[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "deploy/bad/templates/rbac.yaml"}, "region": {"startLine": 1}}
    assert "Upload SARIF to code scanning" in run.ran  # after a failing lint too: always()
    assert run.ran[-1] == "Verdict"
    assert "helm-vnp lint: failed: findings at or above error (exit 1)" in run.summary


def test_inputs_values_chart_values_fail_level_junit(installed, workspace, tmp_path):
    run = act(installed, workspace, tmp_path, charts="charts/good\n", chart_values="", values="ci/vnp.yaml",
              fail_level="warning", junit="reports/junit.xml", sarif="", annotations="false")
    assert run.code == 0, run.log
    assert run.outputs == {"exit-code": "0", "sarif": ""}
    assert "::" not in run.log.replace("::warning::", "")  # text report, no annotations
    assert "0 errors, 0 warnings" in run.log and "netpol.unselectedPod" not in run.log  # -f isolated it
    assert (workspace / "reports" / "junit.xml").is_file() and not (workspace / "helm-vnp.sarif").exists()
    assert "Upload SARIF to code scanning" in run.skipped

    # the same chart failing on warnings without the values, and extra args passed through
    run = act(installed, workspace, tmp_path, charts="charts/good", fail_level="warning",
              args="--pss-level baseline --disable netpol.*")
    assert run.code == 0, run.log
    (workspace / "charts" / "good" / "templates" / "app.yaml").write_text(
        (GOOD / "templates" / "app.yaml").read_text().replace("runAsNonRoot: true", "runAsNonRoot: false"))
    run = act(installed, workspace, tmp_path, charts="charts/good", fail_level="warning")
    assert run.code == 1 and "title=pss.runAsNonRoot" in run.log


def test_rendered_input_and_a_chart_that_does_not_render(installed, workspace, tmp_path):
    (workspace / "deploy" / "bad" / "templates" / "broken.yaml").write_text('{{ fail "broken on purpose" }}\n')
    run = act(installed, workspace, tmp_path, charts="**/Chart.yaml")
    assert run.code == 2 and run.outputs["exit-code"] == "2", run.log
    assert "broken on purpose" in run.log and "Traceback" not in run.log
    assert "could not be linted" in run.summary

    (workspace / "rendered").mkdir()
    (workspace / "rendered" / "all.yaml").write_text((BAD / "templates" / "rbac.yaml").read_text()
                                                     .replace("{{ .Release.Name }}", "r"))
    run = act(installed, workspace, tmp_path, charts="rendered/*.yaml", rendered="true")
    assert run.code == 1 and "::error file=rendered/all.yaml,line=1,title=rbac.tenantEscape::" in run.log


def test_the_action_declares_what_the_docs_promise():
    action = load(ACTION)
    assert set(action["inputs"]) >= {"charts", "values", "fail-level", "sarif", "helm-version", "python-version"}
    steps = {s.get("name"): s for s in action["runs"]["steps"]}
    assert steps["Set up Helm"]["uses"].startswith("azure/setup-helm@")
    assert steps["Set up Python"]["uses"].startswith("actions/setup-python@")
    assert steps["Upload SARIF to code scanning"]["uses"].startswith("github/codeql-action/upload-sarif@")
    for step in action["runs"]["steps"]:  # no input pasted into a script: they arrive as environment variables
        assert "${{" not in step.get("run", ""), step["name"]
