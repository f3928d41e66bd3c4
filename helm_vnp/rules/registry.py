"""Every lint rule, listed explicitly, sorted by ID.

The modules are imported at the top of this file, so a rule module that does
not import is an error at once (in the tests, on the first lint), never a rule
that silently goes missing.  The Pod Security family is declared in one place,
``helm_vnp.rules.pod_security``, from the checks table of the engine; the tenant family in
``helm_vnp.rules.tenant``, from the rule groups of ``helm_vnp.release.tenant``.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from helm_vnp.rules import pod_security, tenant
from helm_vnp.rules.rule import LintRule, matches_any
from helm_vnp.rules.rule import unknown_patterns as unknown

# every rule module, by name; each is imported when this module is, so one that fails to import
# fails every lint at once (and the tests), instead of going missing
RULE_MODULES = tuple(import_module(f"helm_vnp.rules.{name}") for name in (
    "config_api_server_peers",
    "config_control_plane_selector",
    "config_empty_policy",
    "config_except_overlap",
    "config_redundant_rule",
    "config_schema",
    "config_unsupported",
    "limitrange_fit",
    "mutation_not_applied",
    "lint_disable_annotation",
    "netpol_api_server",
    "netpol_blocked",
    "netpol_chart_widens",
    "netpol_dns_port",
    "netpol_exposure",
    "netpol_host_network",
    "netpol_malformed_selector",
    "netpol_metadata",
    "netpol_opened",
    "netpol_peer_matches_nothing",
    "netpol_selects_nothing",
    "netpol_unapplied",
    "netpol_unselected_pod",
    "quota_fit",
    "rbac_tenant_escape",
    "render_warning",
    "scope_cluster",
    "scope_namespace",
    "service_selects_nothing",
    "stream_yaml",
    "workload_unknown_kind",
))


@lru_cache(maxsize=1)
def all_rules() -> tuple[LintRule, ...]:
    """All rules sorted by ID; raises ValueError if two rules claim one ID (a bug)."""
    entries = [LintRule.from_module(m) for m in RULE_MODULES] + list(pod_security.RULES) + list(tenant.RULES)
    seen: dict[str, LintRule] = {}
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"two lint rules claim the ID {entry.id!r}")
        seen[entry.id] = entry
    return tuple(seen[k] for k in sorted(seen))


def rule_ids() -> tuple[str, ...]:
    return tuple(r.id for r in all_rules())


def by_id(rule_id: str) -> LintRule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)


def select(disabled: list[str], entries=None) -> list[LintRule]:
    """The rules left after ``--disable`` (exact IDs, family prefixes ``pss`` / ``pss.*`` / ``netpol.``)."""
    entries = all_rules() if entries is None else entries
    return [e for e in entries if not matches_any(e.id, disabled)]


def unknown_patterns(patterns) -> list[str]:
    """Patterns naming no rule at all (a typo in ``--disable`` should not pass silently)."""
    return unknown(patterns, rule_ids())
