"""For people: findings grouped by object, colour only when asked (a TTY without NO_COLOR)."""
from __future__ import annotations

from helm_vnp.report.parts import location, summary_line

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def render_text(report, color: bool = False) -> str:
    if getattr(report, "inputs", None):  # several inputs: one section each, then the total
        return _render_inputs(report, color)
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    groups: dict[str, list] = {}
    for f in report.findings:  # already in report order: config first, then by file and line
        if f.object.kind or f.object.name:
            key = f.object.label()
        else:
            key = "config" if f.rule.startswith("config.") else "stream"
        groups.setdefault(key, []).append(f)
    for label, findings in groups.items():
        places = {location(f) for f in findings}
        # one heading per object; its place on it when all its findings share one, else on each line
        where = places.pop() if len(places) == 1 and (findings[0].object.kind or findings[0].object.name) else ""
        lines.append(paint(label, _BOLD) + (f" ({where})" if where else ""))
        for f in findings:
            sev = paint(f"{f.severity:<7}", _COLOURS[f.severity])
            prefix = "" if where else (location(f) + ": " if location(f) else "")
            lines.append(f"  {sev} {f.rule}: {prefix}{f.message}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _render_inputs(report, color: bool) -> str:
    out = []
    for r in report.inputs:
        out.append((f"{_BOLD}== {r.input}{_RESET}" if color else f"== {r.input}") + "\n")
        if r.report is None:
            first = r.error.splitlines()[0] if r.error else "error"
            out.append(f"not linted: {first}\n\n")
        else:
            out.append(render_text(r.report, color) + "\n")
    failed = sum(r.report is None for r in report.inputs)
    out.append(f"total: {summary_line(report)}, {len(report.inputs)} inputs"
               + (f", {failed} not linted" if failed else "") + "\n")
    return "".join(out)
