"""No format ever prints Secret data/stringData or ConfigMap data values (a canary in every place)."""
from __future__ import annotations

import base64

import pytest

from helm_vnp.report import FORMATS, render
from tests.report.report_helpers import CANARY, build_report


@pytest.mark.parametrize("fmt", FORMATS)
def test_canary_never_printed(fmt, tmp_path):
    report = build_report(tmp_path)
    # the canary objects really were linted and reported on (a finding on the broken Secret, the Deployment)
    assert any(f.rule == "stream.yaml" for f in report.findings)
    assert any(f.object.name == "web" for f in report.findings)
    out = render(fmt, report)
    assert CANARY not in out
    assert base64.b64encode(CANARY.encode()).decode() not in out
    assert "s3cr3t" not in out


def test_canary_never_printed_on_invalid_config_either(tmp_path):
    report = build_report(tmp_path, values="policies:\n  podSecurityStandard: [oops]\n  bogus: 1\n")
    assert any(f.rule == "config.schema" for f in report.findings)
    for fmt in FORMATS:
        assert CANARY not in render(fmt, report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_key_in_a_secret_does_not_quote_its_values(fmt, tmp_path):
    """The YAML parser quotes both values of a duplicate key in its message: they must not reach a report."""
    from helm_vnp.lint import LintOptions, run_lint

    path = tmp_path / "dup.yaml"
    path.write_text(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: {CANARY}\n"
                    f"  token: \"{CANARY}-2 (with parens)\"\n")
    report = run_lint(LintOptions(rendered=[str(path)]))
    [finding] = [f for f in report.findings if f.rule == "stream.yaml"]
    assert 'duplicate key "token"' in finding.message
    assert CANARY not in render(fmt, report)
