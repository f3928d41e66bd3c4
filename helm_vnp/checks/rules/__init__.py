"""Lint rules about the release as a whole under its isolation config: will it
install (quota, limit range), does it stay in its namespace, where does its
network isolation leak, and which config settings do nothing.

One module per rule: its docstring is the rule's documentation page, ``RULE``
its identity and ``check(ctx)`` the check.  Helpers (``_*.py``) hold what
several rules share; Kubernetes semantics live in ``helm_vnp.k8s``.
"""
from __future__ import annotations

from helm_vnp.checks.rules import (
    config_control_plane_selector,
    config_empty_policy,
    config_except_overlap,
    config_redundant_rule,
    limitrange_fit,
    netpol_api_server,
    netpol_chart_widens,
    netpol_dns_port,
    netpol_exposure,
    netpol_host_network,
    netpol_metadata,
    quota_fit,
    scope_cluster,
    scope_namespace,
)

RULE_MODULES = (
    quota_fit,
    limitrange_fit,
    scope_cluster,
    scope_namespace,
    netpol_host_network,
    netpol_exposure,
    netpol_dns_port,
    netpol_metadata,
    netpol_chart_widens,
    netpol_api_server,
    config_except_overlap,
    config_redundant_rule,
    config_control_plane_selector,
    config_empty_policy,
)
