"""The tenant rules, ``tenant.<name>``: one lint rule per rule of ``policies.tenant``'s groups
(``helm_vnp.release.tenant``), declared here from the groups' ``RULES`` as the Pod Security family is
declared from its checks table.

Severity: error in ``policies.tenant.mode: enforce`` (the default: the post-renderer would refuse the
render), warning in ``mode: warn`` (it would pass, warning). A rule whose group is not set reports nothing.
Each finding names the object, its chart template and line (linting a rendered stream: the line of the offending
field), and the dotted path of the offending field.
The groups run once per lint, on the documents as the post-renderer writes them out (``Release.tenant``).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release, Source
from helm_vnp.release.tenant import RULES as TENANT_RULES
from helm_vnp.release.tenant import TenantRule
from helm_vnp.release.tenant.common import field_line
from helm_vnp.rules.rule import Finding, LintRule, Rule

SEVERITY_NOTE = ("\n\nSeverity: error with `policies.tenant.mode: enforce` (the default; the post-renderer refuses the "
                 "render, listing every violation), warning with `mode: warn` (the post-renderer warns and installs). "
                 "Off unless its group of `policies.tenant` is set. The message starts with the dotted path of the "
                 "offending field.\n")


def severity(release: Release) -> str:
    return "warning" if ((release.policies or {}).get("tenant") or {}).get("mode") == "warn" else "error"


def _checker(rule: TenantRule):
    def check_fn(release: Release, options: dict) -> Iterable[Finding]:
        found = [v for v in release.tenant if v.rule == rule.id]
        if not found:
            return
        level = severity(release)
        for v in found:
            yield Finding(rule.id, level, f"{v.path}: {v.message}", release.ref(v.doc), _located(release, v))
    check_fn.__name__ = "check_" + rule.id.split(".", 1)[1]
    return check_fn


def _located(release: Release, v) -> Source:
    """The finding's file and line: the offending field's line when the input is the rendered stream itself
    (``--rendered``); a chart template's object line otherwise (a template's lines are not the rendered ones)."""
    source = release.source(v.doc)
    if source.file == v.doc.source and source.line == v.doc.object_line:
        source = Source(source.file, field_line(v.doc, v.path) or source.line)
    return source


def _rule(rule: TenantRule) -> LintRule:
    return LintRule(Rule(rule.id, "error", rule.summary), _checker(rule), rule.doc.strip() + SEVERITY_NOTE)


RULES: tuple[LintRule, ...] = tuple(_rule(r) for r in TENANT_RULES)
