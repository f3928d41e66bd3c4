"""JUnit XML for CI test reports: one testsuite per enabled rule.

Each finding is a testcase named after its object (classname = rule ID);
errors and warnings are ``<failure>``s, info findings pass with the message in
``<system-out>``.  A rule with no finding has one passing testcase, so every
rule that ran shows up in the CI's test list.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from helm_vnp.report.parts import location

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case_name(f) -> str:
    subject = f.object.label() if (f.object.kind or f.object.name) else (location(f) or "configuration")
    return subject + (f" container {f.container}" if f.container else "")


def render_junit(report) -> str:
    by_rule: dict[str, list] = {rule.id: [] for rule in report.rules}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    root = ET.Element("testsuites", name="helm-vnp lint")
    total_tests = total_failures = 0
    for rule_id, findings in by_rule.items():
        suite = ET.SubElement(root, "testsuite", name=rule_id)
        failures = 0
        if not findings:
            ET.SubElement(suite, "testcase", name="no findings", classname=rule_id)
        seen: dict[str, int] = {}
        for f in findings:
            name = _case_name(f)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # CI tools merge testcases of one name: keep each finding its own
                name += f" #{seen[name]}"
            case = ET.SubElement(suite, "testcase", name=_clean(name), classname=rule_id)
            if f.source.file:
                case.set("file", _clean(f.source.file))
                if f.source.line:
                    case.set("line", str(f.source.line))
            where = location(f)
            body = _clean(f"{where}: {f.message}" if where else f.message)
            if f.severity == "info":
                ET.SubElement(case, "system-out").text = body
            else:
                failures += 1
                failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.severity)
                failure.text = body
        tests = max(1, len(findings))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
