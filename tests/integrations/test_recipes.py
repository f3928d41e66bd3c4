"""docs/recipes/shell.md and gitlab-ci.md: their marked code blocks run as written (bash, as a CI shell runs
them), on a directory with a chart that lints clean and, again, one with an error."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from ruamel.yaml import YAML

from tests.integrations.kit import BAD, GOOD, REPO, clean_env, copy_chart, doc_blocks, run

RECIPES = REPO / "docs" / "recipes"


def sh(code: str, cwd, env):
    return run(["bash", "-eo", "pipefail", "-c", code], cwd, env)


@pytest.mark.parametrize("chart, status", [(GOOD, 0), (BAD, 1)], ids=["clean", "error"])
def test_shell_recipe_lint(tmp_path, chart, status):
    work = tmp_path / "work"
    copy_chart(chart, work / "charts" / "web")
    proc = sh(doc_blocks(RECIPES / "shell.md")["shell-lint"], work, clean_env(tmp_path / "home"))
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert proc.stdout == ("helm-vnp: clean\n" if status == 0 else
                           "helm-vnp: findings, see reports/helm-vnp-junit.xml\n")
    junit = ET.parse(work / "reports" / "helm-vnp-junit.xml").getroot()
    failed = {s.get("name") for s in junit.iter("testsuite") if s.get("failures") != "0"}
    sarif = json.loads((work / "reports" / "helm-vnp.sarif").read_text())
    errors = {r["ruleId"] for r in sarif["runs"][0]["results"] if r["level"] == "error"}
    if status:
        assert "rbac.tenantEscape" in failed and errors == {"rbac.tenantEscape"}
    else:
        assert not errors and not failed


def test_shell_recipe_unrenderable_chart_is_exit_2(tmp_path):
    work = tmp_path / "work"
    copy_chart(GOOD, work / "charts" / "web")
    (work / "charts" / "web" / "templates" / "broken.yaml").write_text('{{ fail "broken on purpose" }}\n')
    proc = sh(doc_blocks(RECIPES / "shell.md")["shell-lint"], work, clean_env(tmp_path / "home"))
    assert proc.returncode == 2 and "broken on purpose" in proc.stderr
    assert proc.stderr.endswith("helm-vnp: could not lint charts/web\n") and proc.stdout == ""
    assert not (work / "reports" / "helm-vnp.sarif").exists()


def test_shell_recipe_lint_paths(tmp_path):
    work = tmp_path / "work"
    copy_chart(GOOD, work / "charts" / "web")
    copy_chart(BAD, work / "charts" / "admin")
    proc = sh(doc_blocks(RECIPES / "shell.md")["shell-lint-paths"], work, clean_env(tmp_path / "home"))
    assert proc.returncode == 0 and proc.stdout.endswith("exit 1\n"), proc.stdout + proc.stderr
    sarif = json.loads((work / "reports" / "all.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {"charts/admin/templates/rbac.yaml", "charts/web/templates/app.yaml"} <= uris
    assert (work / "reports" / "all.xml").is_file()


@pytest.mark.parametrize("chart, status", [(GOOD, 0), (BAD, 1)], ids=["clean", "error"])
def test_gitlab_job_script_and_artifacts(tmp_path, chart, status):
    """The job's `script:` as a GitLab runner runs it (one bash, `set -eo pipefail`, in $CI_PROJECT_DIR); the
    before_script (apt, curl of Helm, pip install) is the image's set-up, stood in for by this machine's tools."""
    job = YAML(typ="safe").load(doc_blocks(RECIPES / "gitlab-ci.md")["gitlab-ci"])["helm-vnp"]
    assert any("pip install" in line and "github.com/helm-vnp/helm-vnp" in line for line in job["before_script"])
    project = tmp_path / "project"
    copy_chart(chart, project / "charts" / "web")
    copy_chart(GOOD, project / "charts" / "api")
    env = clean_env(tmp_path / "home", CI_PROJECT_DIR=str(project), GITLAB_CI="true", CI="true")
    proc = sh("\n".join(job["script"]), project, env)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert job["artifacts"]["when"] == "always"
    junit = project / job["artifacts"]["reports"]["junit"]
    root = ET.parse(junit).getroot()
    failures = sum(int(s.get("failures")) for s in root.iter("testsuite"))
    assert (failures > 0) == bool(status)
    for path in job["artifacts"]["paths"]:
        assert (project / path).exists()
    issues = json.loads((project / job["artifacts"]["reports"]["codequality"]).read_text())
    critical = [i for i in issues if i["severity"] == "critical"]
    if status:
        assert [(i["check_name"], i["location"]) for i in critical] == [
            ("rbac.tenantEscape", {"path": "charts/web/templates/rbac.yaml", "lines": {"begin": 1}})]
    else:
        assert not critical and issues  # the good charts' info findings (netpol.unselectedPod)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert (project / "reports" / "helm-vnp.sarif").is_file()
