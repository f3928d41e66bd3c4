"""LimitRanges and ResourceQuotas in force for the release namespace (chart's and vnp's)."""
from __future__ import annotations

from helm_vnp.checks.context import LintContext
from helm_vnp.checks.rules._release import Obj, view


def limit_ranges(ctx: LintContext) -> list[Obj]:
    """LimitRanges in the release namespace, by name (the order admission is assumed to apply them)."""
    found = [o for o in view(ctx).objects if o.kind == "LimitRange" and o.api_version == "v1"
             and o.namespace == ctx.namespace and not o.test_hook]
    return sorted(found, key=lambda o: o.name)


def limit_items(ctx: LintContext) -> list:
    from helm_vnp.k8s.resources import limit_items as items_of
    return [item for o in limit_ranges(ctx) for item in items_of(o.obj)]


def quotas(ctx: LintContext) -> list[Obj]:
    return [o for o in view(ctx).objects if o.kind == "ResourceQuota" and o.api_version == "v1"
            and o.namespace == ctx.namespace and not o.test_hook]
