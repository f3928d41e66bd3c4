"""The Pod Security rules, ``pss.<checkID>``: one rule per check of the engine (``helm_vnp.k8s.podsecurity``).

They are declared here, from the engine's checks table, rather than one module
each: the checks already are one module each, with their documentation.

Which level is linted, and how loud:

* the option ``level`` (``--pss-level L``, or ``--rule-option pss.level=L``):
  level L, severity error;
* else ``policies.podSecurityStandard`` baseline/restricted: that level, severity
  error in ``podSecurity.mode: enforce`` (the post-renderer would fail the
  render) and warning in ``mode: warn``;
* else (no standard configured, the default): restricted, severity warning:
  what a tighter namespace would refuse, without failing a default run.  An
  explicit ``podSecurityStandard: privileged`` lints nothing.

A workload matching ``policies.podSecurity.exemptions`` is still reported, at
severity info, so the exemption stays visible.  Each workload is evaluated once
per level and version (``Release.pod_security``, the evaluation the
post-renderer enforces).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.record import record
from helm_vnp.k8s.podsecurity import CHECKS, Check, warning_message
from helm_vnp.release.model import Release
from helm_vnp.release.podsecurity import exemption_for
from helm_vnp.rules.rule import Finding, LintRule, Option, Rule

PREFIX = "pss."
LEVEL = Option("level", str, "", "lint at this level, findings as errors (`--pss-level`); empty: the configured "
               "`policies.podSecurityStandard`, else restricted as warnings", choices=("", "baseline", "restricted"))


@record(frozen=True)
class Setting:
    level: str
    version: str
    severity: str


def setting(release: Release, options: dict) -> Setting | None:
    """The level, version and severity to lint at (None: nothing to lint)."""
    policies = release.policies or {}
    version = policies.get("podSecurityVersion") or "latest"
    chosen = options.get("level")
    if chosen:
        return Setting(chosen, version, "error")
    configured = policies.get("podSecurityStandard") or ""
    if configured == "privileged":
        return None
    if configured:
        mode = (policies.get("podSecurity") or {}).get("mode", "enforce")
        return Setting(configured, version, "warning" if mode == "warn" else "error")
    return Setting("restricted", version, "warning")


def _checker(check: Check):
    rule_id = PREFIX + check.id

    def check_fn(release: Release, options: dict) -> Iterable[Finding]:
        chosen = setting(release, options)
        if chosen is None:
            return
        exemptions = ((release.policies or {}).get("podSecurity") or {}).get("exemptions") or []
        for doc, violations in release.pod_security(chosen.level, chosen.version):
            exempt = exemption_for(doc, exemptions) is not None
            for v in violations:
                if v.check_id != check.id:
                    continue
                message = warning_message(chosen.level, chosen.version, [v])
                if exempt:
                    message += " (exempted by policies.podSecurity.exemptions)"
                yield Finding(rule_id, "info" if exempt else chosen.severity, message, release.ref(doc),
                              release.source(doc), v.containers[0] if len(v.containers) == 1 else None)
    check_fn.__name__ = f"check_{check.id}"
    return check_fn


def _doc(check: Check) -> str:
    since = ", ".join(f"v{v.min_version[0]}.{v.min_version[1]}" for v in check.versions)
    return (f"{check.doc.strip()}\n\nUpstream check `{check.id}`, level {check.level} (restricted includes "
            f"baseline); implementations from policy versions {since}.\n\nSeverity: warning by default (no "
            "standard configured: linted against restricted, to show what a tighter namespace would refuse); "
            "error at the level set by `policies.podSecurityStandard` (warning with `policies.podSecurity.mode: "
            "warn`) or by `--pss-level`; info for workloads exempted by `policies.podSecurity.exemptions`.\n")


def _rule(check: Check) -> LintRule:
    first = check.doc.strip().splitlines()[0] if check.doc.strip() else check.id
    summary = first.split("): ", 1)[1] if "): " in first else first
    return LintRule(Rule(PREFIX + check.id, "warning", summary, (LEVEL,)), _checker(check), _doc(check))


RULES: tuple[LintRule, ...] = tuple(_rule(c) for c in CHECKS)
