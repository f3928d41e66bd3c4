"""The json contract: ``{"findings": [Finding.as_dict()...], "summary": {...}}`` (see issue 5)."""
from __future__ import annotations

import json


def render_json(report) -> str:
    """Several inputs (``report.inputs``): each finding says its ``input``, and ``summary.inputs`` lists
    every input with its counts, or its ``error`` when it could not be linted."""
    body = {"findings": [f.as_dict() for f in report.findings],
            "summary": dict(report.counts(), release=report.release, namespace=report.namespace)}
    inputs = getattr(report, "inputs", None)
    if inputs:
        body["findings"] = [dict(f.as_dict(), input=r.input) for r in inputs if r.report for f in r.report.findings]
        body["summary"]["inputs"] = [
            {"input": r.input, "error": r.error} if r.report is None else
            {"input": r.input, "objects": r.report.objects, "total": len(r.report.findings),
             "bySeverity": r.report.counts()["bySeverity"], "release": r.report.release,
             "namespace": r.report.namespace} for r in inputs]
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
