"""Every lint rule, in one list: Pod Security, config, stream, and the rule modules.

A rule is a ``(Rule, check, doc)`` triple: ``check(ctx) -> Iterable[Finding]``
and ``doc`` (Markdown-ish text, the module docstring for module rules) that
``helm-vnp docs`` renders into docs/rules/.  Rule modules (``RULE``, ``check``,
docstring) come from ``helm_vnp.checks.rules.RULE_MODULES`` when that package
is present.  The list is sorted by rule ID, so output and docs are stable.
"""
from __future__ import annotations

from typing import Callable

from helm_vnp.checks.base import Rule

RuleEntry = tuple[Rule, Callable, str]


def _module_entry(module) -> RuleEntry:
    return (module.RULE, module.check, (module.__doc__ or module.RULE.summary).strip() + "\n")


def _rule_modules() -> tuple:
    try:
        from helm_vnp.checks.rules import RULE_MODULES
    except ImportError:
        return ()
    return tuple(RULE_MODULES)


def all_rules() -> list[RuleEntry]:
    """All rules sorted by ID; raises ValueError if two rules claim one ID (a bug)."""
    from helm_vnp.checks import config_rules, pss_rules
    from helm_vnp.lint import annotation_rule, render_rule, stream_rule

    entries = pss_rules.rules() + config_rules.rules()
    entries += [_module_entry(m) for m in (annotation_rule, render_rule, stream_rule, *_rule_modules())]
    seen: dict[str, RuleEntry] = {}
    for entry in entries:
        if entry[0].id in seen:
            raise ValueError(f"two lint rules claim the ID {entry[0].id!r}")
        seen[entry[0].id] = entry
    return [seen[k] for k in sorted(seen)]


def select(disabled: list[str], entries: list[RuleEntry] | None = None) -> list[RuleEntry]:
    """The rules left after ``--disable`` (exact IDs, family prefixes ``pss`` / ``pss.*`` / ``netpol.``)."""
    entries = all_rules() if entries is None else entries
    return [e for e in entries if not matches_any(e[0].id, disabled)]


def matches_any(rule_id: str, patterns) -> bool:
    """Whether ``rule_id`` is named by one of ``patterns``: an exact ID, a family
    (``pss`` names every ``pss.*`` rule) or a glob (``netpol.*``, ``*``)."""
    from fnmatch import fnmatchcase

    for raw in patterns:
        p = raw.strip()
        if not p:
            continue
        if p == rule_id or rule_id.startswith(p.rstrip(".") + ".") or ("*" in p and fnmatchcase(rule_id, p)):
            return True
    return False


def unknown_patterns(patterns, entries: list[RuleEntry] | None = None) -> list[str]:
    """Patterns naming no rule at all (a typo in ``--disable`` should not pass silently)."""
    ids = [e[0].id for e in (all_rules() if entries is None else entries)]
    return [p for p in patterns if p.strip() and not any(matches_any(i, [p]) for i in ids)]
