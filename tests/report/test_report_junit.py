"""JUnit XML: parsable by the standard library and by junitparser; one suite per rule, failures for findings."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from helm_vnp.report import render
from tests.report.report_helpers import build_report


def test_junit_structure_and_counts(tmp_path):
    report = build_report(tmp_path)
    text = render("junit", report)
    root = ET.fromstring(text.encode())
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [rule.id for rule in report.rules]
    failing = [f for f in report.findings if f.severity != "info"]
    assert int(root.get("failures")) == len(failing)
    assert sum(int(s.get("tests")) for s in suites.values()) == int(root.get("tests"))
    privileged = suites["pss.privileged"]
    (case,) = privileged.findall("testcase")
    assert case.get("name") == "Pod default/exempt-me container box"
    assert case.find("failure") is None and "exempted" in case.find("system-out").text  # info passes
    host = suites["pss.hostNamespaces"].find("testcase")
    assert host.find("failure").get("type") == "error" and host.get("line")
    clean = suites["pss.sysctls"].findall("testcase")
    assert [c.get("name") for c in clean] == ["no findings"] and clean[0].find("failure") is None


def test_junit_is_read_by_junitparser(tmp_path):
    junitparser = pytest.importorskip("junitparser",
                                      reason="junitparser (a JUnit XML reader CI tools use) not installed")
    report = build_report(tmp_path)
    path = tmp_path / "lint.xml"
    path.write_text(render("junit", report))
    xml = junitparser.JUnitXml.fromfile(str(path))
    cases = [case for suite in xml for case in suite]
    failed = [case for case in cases if any(isinstance(r, junitparser.Failure) for r in case.result)]
    assert len(failed) == len([f for f in report.findings if f.severity != "info"])
    assert {case.classname for case in failed} == {f.rule for f in report.findings if f.severity != "info"}


def test_control_characters_cannot_break_the_xml(tmp_path):
    from helm_vnp.release.model import ObjectRef, Source
    from helm_vnp.rules.rule import Finding
    report = build_report(tmp_path)
    report.findings.append(Finding("stream.yaml", "error", "bad \x01 byte & <tag> \"q\"", ObjectRef(),
                                   Source("f\x02.yaml", 3)))
    root = ET.fromstring(render("junit", report).encode())
    failure = [c for c in root.iter("testcase") if c.get("classname") == "stream.yaml"][-1].find("failure")
    assert failure.get("message") == "bad \ufffd byte & <tag> \"q\""
