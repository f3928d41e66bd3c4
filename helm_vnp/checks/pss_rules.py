"""The bridge from the Pod Security checks to lint rules: one rule ``pss.<checkID>`` per check.

Which level is linted, and how loud:

* ``--pss-level L`` (``ctx.options["pss"]["level"]``): level L, severity error;
* else ``policies.podSecurityStandard`` baseline/restricted: that level, severity
  error in ``podSecurity.mode: enforce`` (the post-renderer would fail the
  render) and warning in ``mode: warn``;
* else (no standard configured): restricted, severity warning: what a tighter
  namespace would refuse, without failing a default run.  An explicit
  ``podSecurityStandard: privileged`` lints nothing.

A workload matching ``policies.podSecurity.exemptions`` is still reported, at
severity info, so the exemption stays visible.  Each workload is evaluated
once per run (``helm_vnp.podsecurity.workload_violations``, shared with the
post-renderer) and its violations are handed to the rule of each check.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from helm_vnp.checks.base import Finding, Rule
from helm_vnp.checks.context import LintContext
from helm_vnp.k8s.podsecurity import CHECKS, Check

PREFIX = "pss."
_CACHE_ATTR = "_pss_evaluation"


@dataclass(frozen=True)
class Setting:
    level: str
    version: str
    severity: str


def setting(ctx: LintContext) -> Setting | None:
    """The level, version and severity to lint at (None: nothing to lint)."""
    policies = ctx.policies or {}
    version = policies.get("podSecurityVersion") or "latest"
    chosen = (ctx.options.get("pss") or {}).get("level")
    if chosen:
        return None if chosen == "privileged" else Setting(chosen, version, "error")
    configured = policies.get("podSecurityStandard") or ""
    if configured == "privileged":
        return None
    if configured:
        mode = (policies.get("podSecurity") or {}).get("mode", "enforce")
        return Setting(configured, version, "warning" if mode == "warn" else "error")
    return Setting("restricted", version, "warning")


def _evaluation(ctx: LintContext):
    """[(doc, violations, exempt)] for every workload, computed once per context."""
    cached = getattr(ctx, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from helm_vnp.podsecurity import exemption_for, workload_violations
    from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_pod_template, is_workload

    chosen = setting(ctx)
    out = []
    if chosen is not None:
        exemptions = ((ctx.policies or {}).get("podSecurity") or {}).get("exemptions") or []
        for doc in ctx.docs:
            if (doc.kind in POD_METADATA_PATH and is_workload(doc.kind, doc.api_version)) or \
                    is_pod_template(doc.kind, doc.api_version):
                violations = workload_violations(doc, chosen.level, chosen.version)
                if violations:
                    out.append((doc, violations, exemption_for(doc, exemptions) is not None))
    setattr(ctx, _CACHE_ATTR, (chosen, out))
    return chosen, out


def _checker(check: Check) -> Callable[[LintContext], Iterable[Finding]]:
    rule_id = PREFIX + check.id

    def check_fn(ctx: LintContext) -> Iterable[Finding]:
        from helm_vnp.k8s.podsecurity.fields import go_quote

        chosen, evaluated = _evaluation(ctx)
        for doc, violations, exempt in evaluated:
            for v in violations:
                if v.check_id != check.id:
                    continue
                text = f"{v.reason} ({v.detail})" if v.detail else v.reason
                message = f"would violate PodSecurity {go_quote(f'{chosen.level}:{chosen.version}')}: {text}"
                if exempt:
                    message += " (exempted by policies.podSecurity.exemptions)"
                yield Finding(rule_id, "info" if exempt else chosen.severity, message, ctx.ref(doc),
                              ctx.source(doc), v.containers[0] if len(v.containers) == 1 else None)
    check_fn.__name__ = f"check_{check.id}"
    return check_fn


def _doc(check: Check) -> str:
    since = ", ".join(f"v{v.min_version[0]}.{v.min_version[1]}" for v in check.versions)
    return (f"{check.doc.strip()}\n\nUpstream check `{check.id}`, level {check.level} (restricted includes "
            f"baseline); implementations from policy versions {since}.\n\nSeverity: error at the level set by "
            "`policies.podSecurityStandard` (warning with `policies.podSecurity.mode: warn`) or by `--pss-level`; "
            "warning when no standard is configured (linted against restricted, to show what a tighter namespace "
            "would refuse); info for workloads exempted by `policies.podSecurity.exemptions`.\n")


def rules() -> list[tuple[Rule, Callable, str]]:
    """One (Rule, check, doc) per Pod Security check."""
    out = []
    for check in CHECKS:
        first = check.doc.strip().splitlines()[0] if check.doc.strip() else check.id
        summary = first.split("): ", 1)[1] if "): " in first else first
        out.append((Rule(PREFIX + check.id, "error", summary), _checker(check), _doc(check)))
    return out
