"""SARIF 2.1.0 for code scanning: rules (with help from their docs) in tool.driver.rules, one result per finding."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from helm_vnp.report.markdown import doc_markdown, first_paragraph
from helm_vnp.report.parts import repo_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/helm-vnp/helm-vnp"


def _rule(rule, doc: str) -> dict:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(doc) or rule.summary},
        "help": {"text": doc.strip(), "markdown": doc_markdown(doc)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
    }


def _uri(path: str) -> str:
    """A relative reference, or a file:// URI for an absolute path (SARIF locations are URIs)."""
    uri = quote(path.replace("\\", "/"), safe="/@-._~!$&'()*+,;=")
    return "file://" + uri if path.startswith("/") else uri


def _result(f, index: dict) -> dict:
    subject = f.object.label() if (f.object.kind or f.object.name) else ""
    location: dict = {}
    path = repo_path(f.source.file)
    if path:
        physical: dict = {"artifactLocation": {"uri": _uri(path)}}
        if f.source.line > 0:
            physical["region"] = {"startLine": f.source.line}
        location["physicalLocation"] = physical
    if subject:
        location["logicalLocations"] = [{"fullyQualifiedName": subject, "kind": "resource"}]
    result = {
        "ruleId": f.rule,
        "level": LEVEL[f.severity],
        "message": {"text": f"{subject}: {f.message}" if subject else f.message},
        "partialFingerprints": {"vnpFinding/v1": hashlib.sha256(
            "\0".join((f.rule, subject, f.container or "", f.message)).encode()).hexdigest()},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    if location:
        result["locations"] = [location]
    return result


def render_sarif(report) -> str:
    from helm_vnp import __version__

    rules = [_rule(rule, rule.doc) for rule in report.rules]
    index = {r["id"]: i for i, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "helm-vnp", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFO_URI, "rules": rules}},
            "results": [_result(f, index) for f in report.findings],
            "columnKind": "utf16CodeUnits",
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
