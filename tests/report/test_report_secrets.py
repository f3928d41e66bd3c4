"""No format ever prints Secret data/stringData or ConfigMap data values (a canary in every place)."""
from __future__ import annotations

import base64

import pytest

from helm_vnp.report import FORMATS, render
from report_helpers import CANARY, build_report


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
