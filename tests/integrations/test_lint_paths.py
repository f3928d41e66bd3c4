"""`helm-vnp lint-paths`: touched files -> the charts they are in -> one verdict (the pre-commit hook's and the
GitHub Action's command), with the real Helm 4."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from helm_vnp.commands.lint_paths import chart_of
from tests.integrations.kit import BAD, GOOD, clean_env, copy_chart, run


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    copy_chart(GOOD, root / "charts" / "good")
    copy_chart(BAD, root / "charts" / "bad")
    # a subchart: its files lint the parent
    copy_chart(GOOD, root / "charts" / "parent")
    (root / "charts" / "parent" / "Chart.yaml").write_text("apiVersion: v2\nname: parent\nversion: 0.1.0\n")
    copy_chart(BAD, root / "charts" / "parent" / "charts" / "bad")  # named as its chart, as `helm dep` unpacks it
    (root / "docs").mkdir()
    (root / "docs" / "x.yaml").write_text("a: 1\n")
    return root


def test_chart_of_maps_files_to_the_outermost_chart(repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert chart_of("charts/good/templates/app.yaml") == "charts/good"
    assert chart_of("charts/good") == "charts/good"
    assert chart_of("charts/good/templates/deleted.yaml") == "charts/good"  # a file the commit deletes
    assert chart_of("charts/parent/charts/bad/templates/rbac.yaml") == "charts/parent"
    assert chart_of("docs/x.yaml") is None
    assert chart_of("README.md") is None


def test_good_chart_passes_bad_fails_and_others_are_skipped(repo, tmp_path):
    env = clean_env(tmp_path / "home")
    ok = run(["helm-vnp", "lint-paths", "charts/good/templates/app.yaml", "charts/good/values.yaml", "docs/x.yaml",
              "README.md"], repo, env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("0 errors") == 1 and "==>" not in ok.stdout  # one chart, linted once

    bad = run(["helm-vnp", "lint-paths", "charts/good/values.yaml", "charts/bad/templates/rbac.yaml",
               "--sarif", "out/vnp.sarif", "--junit", "out/junit.xml"], repo, env)
    assert bad.returncode == 1, bad.stderr
    assert "==> charts/good\n" in bad.stdout and "==> charts/bad\n" in bad.stdout
    assert "rbac.tenantEscape" in bad.stdout
    sarif = json.loads((repo / "out" / "vnp.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert len(sarif["runs"]) == 1

    def uri(result):
        return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert {uri(r) for r in results if r["level"] == "error"} == {"charts/bad/templates/rbac.yaml"}
    assert any(uri(r) == "charts/good/templates/app.yaml" for r in results)
    junit = ET.parse(repo / "out" / "junit.xml").getroot()
    assert any(s.get("name") == "rbac.tenantEscape" and s.get("failures") == "1" for s in junit.iter("testsuite"))


def test_subchart_file_lints_the_parent_once(repo, tmp_path):
    proc = run(["helm-vnp", "lint-paths", "charts/parent/charts/bad/templates/rbac.yaml", "charts/parent/values.yaml",
                "--format", "github"], repo, clean_env(tmp_path / "home"))
    assert proc.returncode == 1, proc.stderr
    assert "::error file=charts/parent/charts/bad/templates/rbac.yaml,line=1,title=rbac.tenantEscape::" in proc.stdout
    assert proc.stdout.count("(release release, namespace default)") == 1


def test_fail_on_values_and_chart_values(repo, tmp_path):
    env = clean_env(tmp_path / "home")
    (repo / "charts" / "good" / "ci").mkdir()
    (repo / "charts" / "good" / "ci" / "vnp.yaml").write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    proc = run(["helm-vnp", "lint-paths", "charts/good/Chart.yaml", "--fail-on", "warning",
                "--chart-values", "ci/vnp.yaml", "--chart-values", "ci/absent.yaml", "--format", "github"], repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "netpol.unselectedPod" not in proc.stdout  # the chart's own ci values isolated it
    plain = run(["helm-vnp", "lint-paths", "charts/good/Chart.yaml", "--format", "github"], repo, env)
    assert "title=netpol.unselectedPod" in plain.stdout


def test_a_chart_that_does_not_render_is_exit_2_and_the_others_are_still_linted(repo, tmp_path):
    (repo / "charts" / "good" / "templates" / "broken.yaml").write_text('{{ fail "broken on purpose" }}\n')
    proc = run(["helm-vnp", "lint-paths", "charts/good/templates/broken.yaml", "charts/bad/Chart.yaml"], repo,
               clean_env(tmp_path / "home"))
    assert proc.returncode == 2
    assert "charts/good: cannot lint" in proc.stderr and "broken on purpose" in proc.stderr
    assert "rbac.tenantEscape" in proc.stdout and "Traceback" not in proc.stderr


def test_rendered_mode_and_bad_usage(repo, tmp_path):
    env = clean_env(tmp_path / "home")
    rendered = run(["helm", "template", "r", "charts/bad"], repo, env)
    (repo / "rendered.yaml").write_text(rendered.stdout)
    proc = run(["helm-vnp", "lint-paths", "--rendered", "rendered.yaml"], repo, env)
    assert proc.returncode == 1 and "rbac.tenantEscape" in proc.stdout
    assert run(["helm-vnp", "lint-paths", "--rendered"], repo, env).returncode == 0  # nothing touched
    for args, said in ((["--format", "sarif"], "--format"), (["--fail-on", "info"], "--fail-on"),
                       (["-f", "-"], "standard input")):
        proc = run(["helm-vnp", "lint-paths", "charts/good", *args], repo, env)
        assert proc.returncode == 2 and said in proc.stderr and "Traceback" not in proc.stderr


def test_codequality_file_and_format(repo, tmp_path):
    env = clean_env(tmp_path / "home")
    proc = run(["helm-vnp", "lint-paths", "charts/bad", "charts/good", "--codequality", "cq.json"], repo, env)
    assert proc.returncode == 1, proc.stderr
    issues = json.loads((repo / "cq.json").read_text())
    assert {(i["check_name"], i["severity"]) for i in issues} >= {("rbac.tenantEscape", "critical"),
                                                                  ("scope.cluster", "major"),
                                                                  ("netpol.unselectedPod", "info")}
    assert all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    one = run(["helm-vnp", "lint", "charts/bad", "--format", "codequality"], repo, env)
    assert one.returncode == 1
    assert [i["fingerprint"] for i in json.loads(one.stdout)] == [
        i["fingerprint"] for i in issues if i["location"]["path"].startswith("charts/bad/")]
