"""Lint reports in six formats: text (people), json (tools), sarif (code scanning), junit (CI), github (annotations),
codequality (GitLab merge requests).

A formatter turns a report (``findings``, the enabled ``rules`` as
``LintRule``s, ``counts()``, ``release``, ``namespace``) into text; it knows
no rule in particular and never reads manifests, so no format can leak
what a rule did not put in a message.  ``parts`` holds what several formats share.
"""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "junit", "github", "codequality")


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
    if fmt == "codequality":
        from helm_vnp.report.codequality import render_codequality
        return render_codequality(report)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
