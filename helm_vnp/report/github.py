"""GitHub Actions workflow commands: ``::error file=F,line=L,title=RULE::message`` per finding."""
from __future__ import annotations

from helm_vnp.report.parts import repo_path, summary_line

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report) -> str:
    lines = []
    for f in report.findings:
        props = []
        path = repo_path(f.source.file)
        if path:
            props.append(f"file={escape_property(path)}")
            if f.source.line:
                props.append(f"line={f.source.line}")
        props.append(f"title={escape_property(f.rule)}")
        subject = f.object.label() if (f.object.kind or f.object.name) else ""
        message = f"{subject}: {f.message}" if subject else f.message
        lines.append(f"::{_COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}")
    lines.append(escape_data(summary_line(report)))
    return "\n".join(lines) + "\n"
