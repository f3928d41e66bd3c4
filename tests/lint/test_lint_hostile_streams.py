"""Every hostile stream of tests/hostile/cases (alias bombs, NUL bytes, duplicate keys, odd markers…):
lint never crashes, reports what it cannot read as stream.yaml, and every format still renders."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helm_vnp.lint import LintOptions, run_lint
from helm_vnp.report import FORMATS, render

STREAMS = Path(__file__).resolve().parents[1] / "hostile" / "cases" / "streams"
CASES = sorted(STREAMS.glob("*.yaml")) if STREAMS.is_dir() else []


@pytest.mark.skipif(not CASES, reason=f"hostile corpus not present at {STREAMS}")
def test_hostile_streams_lint_without_crashing():
    unreadable = 0
    for path in CASES:
        report = run_lint(LintOptions(rendered=[str(path)]))
        ours = [f for f in report.findings if "internal error in rule" in f.message
                and f.rule.split(".")[0] in ("pss", "config", "stream", "render")]
        assert not ours, (path.name, ours)
        unreadable += any(f.rule == "stream.yaml" for f in report.findings)
        outputs = {fmt: render(fmt, report) for fmt in FORMATS}
        json.loads(outputs["json"])
        json.loads(outputs["sarif"])
        ET.fromstring(outputs["junit"].encode())
        assert all(f.source.file in ("", str(path)) or f.rule.startswith("config.") for f in report.findings)
    assert unreadable >= 10  # the corpus has many streams no YAML parser accepts
