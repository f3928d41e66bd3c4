"""Lint reports in five formats: text (people), json (tools), sarif (code scanning), junit (CI), github (annotations).

A formatter turns a report (``findings``, the enabled ``rules`` as
``(Rule, check, doc)``, ``counts()``, ``release``, ``namespace``) into text; it
knows no rule in particular and never reads manifests, so no format can leak
what a rule did not put in a message.
"""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "junit", "github")


def render(fmt: str, report, color: bool = False) -> str:
    """The report in ``fmt``, ending with a newline."""
    if fmt == "text":
        from helm_vnp.report.text import render_text
        return render_text(report, color)
    if fmt == "json":
        from helm_vnp.report.jsonfmt import render_json
        return render_json(report)
    if fmt == "sarif":
        from helm_vnp.report.sarif import render_sarif
        return render_sarif(report)
    if fmt == "junit":
        from helm_vnp.report.junit import render_junit
        return render_junit(report)
    if fmt == "github":
        from helm_vnp.report.github import render_github
        return render_github(report)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def location(finding) -> str:
    """``file:line`` (or ``file``, or "") of a finding."""
    src = finding.source
    if src.file and src.line:
        return f"{src.file}:{src.line}"
    return src.file


def summary_line(report) -> str:
    """``3 errors, 1 warning, 0 info in 125 objects (release kps, namespace monitoring)``."""
    c = report.counts()["bySeverity"]

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"
    objects = n(report.objects, "object")
    return (f"{n(c['error'], 'error')}, {n(c['warning'], 'warning')}, {n(c['info'], 'info')} in {objects} "
            f"(release {report.release}, namespace {report.namespace})")


# sources that are no file in the repository: a code-scanning location must not point at them
PSEUDO_FILES = ("<stdin>", "--set", "--set-string", "--set-json", "helm-vnp/generated.yaml")


def repo_path(file: str) -> str | None:
    """A finding's file as code scanning wants it: relative to the working directory (the checkout)
    when inside it, else absolute; None for pseudo sources (stdin, --set flags, vnp's own objects)."""
    import os

    if not file or file in PSEUDO_FILES or file.startswith("<"):
        return None
    if not os.path.isabs(file):
        return os.path.normpath(file).replace(os.sep, "/")
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel.replace(os.sep, "/")
