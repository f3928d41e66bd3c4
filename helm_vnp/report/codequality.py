"""GitLab Code Quality (the Code Climate issue subset GitLab reads): a JSON array, one issue per finding that has a
file in the repository, shown on the merge request's diff.  Findings without one (stdin, --set flags, vnp's own
objects) have no place there and are left out; the JUnit and SARIF reports keep them."""
from __future__ import annotations

import hashlib
import json

from helm_vnp.report.parts import repo_path

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render_codequality(report) -> str:
    issues = []
    seen: dict[str, int] = {}
    for f in report.findings:
        path = repo_path(f.source.file)
        if not path or path.startswith("/"):
            continue
        subject = f.object.label() if (f.object.kind or f.object.name) else ""
        key = "\0".join((f.rule, path, subject, f.container or "", f.message))
        seen[key] = seen.get(key, 0) + 1  # GitLab drops issues of one fingerprint: keep each finding its own
        issues.append({
            "description": f"{subject}: {f.message}" if subject else f.message,
            "check_name": f.rule,
            "fingerprint": hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest(),
            "severity": SEVERITY[f.severity],
            "location": {"path": path, "lines": {"begin": max(1, f.source.line)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
