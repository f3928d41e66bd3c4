"""SARIF 2.1.0 output validates against the official OASIS schema and carries rules, levels and locations."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from helm_vnp.report import render
from tests.report.report_helpers import build_report

SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")


def _validate(log: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_and_maps_findings(tmp_path):
    report = build_report(tmp_path)
    log = json.loads(render("sarif", report))
    _validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.id for rule in report.rules]
    privileged = next(r for r in rules if r["id"] == "pss.privileged")
    assert "securityContext.privileged" in privileged["help"]["text"]
    assert "```yaml" in privileged["help"]["markdown"]
    assert privileged["defaultConfiguration"]["level"] == "warning"  # what a default run reports
    assert len(run["results"]) == len(report.findings)
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("pss.hostNamespaces", "error") in levels  # configured restricted, enforce
    assert ("pss.privileged", "note") in levels  # the exempted Pod: info
    assert ("config.unsupported", "warning") in levels
    for result, finding in zip(run["results"], report.findings):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith(("all,%20100%25%20of%20it.yaml", "values.yaml"))
        assert loc["region"]["startLine"] == finding.source.line


def test_sarif_of_a_clean_run_validates(tmp_path):
    from helm_vnp.lint import LintOptions, run_lint
    path = tmp_path / "empty.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    log = json.loads(render("sarif", run_lint(LintOptions(rendered=[str(path)]))))
    _validate(log)
    assert log["runs"][0]["results"] == []


def test_the_vendored_schema_is_the_official_one():
    schema = json.loads(SCHEMA.read_text())
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert "result" in schema["definitions"] and "reportingDescriptor" in schema["definitions"]


def test_locations_are_repository_paths_or_none(tmp_path, monkeypatch):
    """Inside the checkout: a relative path; outside it: a file:// URI; stdin and --set: no file at all."""
    from helm_vnp.release.model import ObjectRef, Source
    from helm_vnp.report.parts import repo_path
    from helm_vnp.rules.rule import Finding

    report = build_report(tmp_path)
    monkeypatch.chdir(tmp_path)
    obj = ObjectRef("v1", "Pod", "p", "ns")
    report.findings = [Finding("pss.privileged", "error", "m", obj, Source(str(tmp_path / "deploy" / "a.yaml"), 3)),
                       Finding("pss.privileged", "error", "m", obj, Source("/elsewhere/b.yaml", 4)),
                       Finding("pss.privileged", "error", "m", obj, Source("<stdin>", 5)),
                       Finding("config.schema", "error", "m", ObjectRef(), Source("--set", 0))]
    log = json.loads(render("sarif", report))
    _validate(log)
    locs = [r.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
            for r in log["runs"][0]["results"]]
    assert locs == ["deploy/a.yaml", "file:///elsewhere/b.yaml", None, None]
    github = render("github", report)
    assert "file=deploy/a.yaml,line=3" in github and "file=%3Cstdin%3E" not in github and "file=--set" not in github
    assert repo_path("./x/../y.yaml") == "y.yaml"
