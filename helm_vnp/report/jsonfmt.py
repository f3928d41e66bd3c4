"""The json contract: ``{"findings": [Finding.as_dict()...], "summary": {...}}`` (see issue 5)."""
from __future__ import annotations

import json


def render_json(report) -> str:
    body = {"findings": [f.as_dict() for f in report.findings],
            "summary": dict(report.counts(), release=report.release, namespace=report.namespace)}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
