"""Tenant guardrails at render time (``policies.tenant``): what Capsule's Tenant enforces at admission,
checked on the release before anything is installed.

Each rule group is a module of this package (``GROUPS``) exposing ``KEY`` (its key under
``policies.tenant``), ``RULES`` (``base.TenantRule``: the lint rules it backs) and a pure
``check(docs, config, declared) -> list[base.Violation]``; a group may also expose
``apply_defaults(docs, config, declared) -> (docs, notes)``, run before every check (a default injected where
the chart left a field unset).  A group runs only when its key is set.

The post-renderer (``release.pipeline``) calls ``apply_defaults`` then ``enforce``: in mode ``enforce`` one
``VnpError`` lists every violation (rule, object, dotted path, chart template), in mode ``warn`` each becomes a
``RenderWarning``.  The linter's ``tenant.*`` rules (``helm_vnp.rules.tenant``) read ``violations`` of the
post-rendered documents.  This package is imported only when ``policies.tenant`` sets a group.
"""
from __future__ import annotations

from importlib import import_module

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.warnings import RenderWarning

# the rule-group modules, in the order their violations are listed (each imported here: one that fails to
# import fails every tenant check at once, never goes missing)
GROUPS: tuple = tuple(import_module(f"helm_vnp.release.tenant.{name}")
                      for name in ("services", "images", "classes", "ingress", "resources", "metadata"))
RULES: tuple[TenantRule, ...] = tuple(r for g in GROUPS for r in g.RULES)
HINT = "fix the chart's values, or set policies.tenant.mode: warn to only warn"

__all__ = ["GROUPS", "RULES", "TenantRule", "Violation", "apply_defaults", "enforce", "hook_notes", "violations"]


def _active(policies: dict):
    tenant = policies.get("tenant") or {}
    for group in GROUPS:
        config = tenant.get(group.KEY)
        if isinstance(config, dict):
            yield group, config


def apply_defaults(docs: list, policies: dict, declared: tuple) -> tuple[list, list]:
    """(documents with each group's defaults applied, their notes), for the groups that have defaults."""
    notes: list = []
    for group, config in _active(policies):
        fn = getattr(group, "apply_defaults", None)
        if fn is not None:
            docs, found = fn(docs, config, declared)
            notes += found
    return docs, notes


def hook_notes(hooks: list, policies: dict, declared: tuple) -> list:
    """Notes for the Helm hooks Helm 3 never hands to a post-renderer that a configured group with defaults
    would check or edit (``relevant``): they stay as the chart wrote them."""
    from helm_vnp.release.mutations import Note
    return [Note(d, f"tenant.{group.KEY}", "", "a Helm hook: Helm 3 does not hand hooks to a post-renderer, so "
                                               f"vnp cannot check or default its {group.KEY} (Helm 4 does)")
            for group, _ in _active(policies) if hasattr(group, "relevant") for d in hooks
            if group.relevant(d, declared)]


def violations(docs: list, policies: dict, declared: tuple, readable_only: bool = False) -> list[Violation]:
    """Every violation of every configured group, in document order (then group order).  ``readable_only`` (lint):
    leave out documents that do not parse or hold a pod template that is not a mapping (the linter reports
    those on their own); otherwise such a document fails the render, located."""
    objects = [d for d in docs if not d.is_empty and d.kind]
    if readable_only:
        objects = [d for d in objects if d.obj_or_none is not None]
    out: list[Violation] = []
    for group, config in _active(policies):
        if not readable_only:
            out += group.check(objects, config, declared)
            continue
        for doc in objects:  # one by one: a pod template that is not a mapping leaves out that document only
            try:
                out += group.check([doc], config, declared)
            except VnpError:
                continue
    order = {id(d): i for i, d in enumerate(objects)}
    return sorted(out, key=lambda v: order.get(id(v.doc), -1))  # by document (stable: then group, then path)


def describe(v: Violation) -> str:
    """``Deployment web: tenant.imageRegistry: container 'app': ...``."""
    return f"{v.doc.kind or 'object'} {v.doc.name or '<unnamed>'}: {v.rule}: {v.message}"


def enforce(docs: list, policies: dict, declared: tuple) -> list[RenderWarning]:
    """Check the release: the warnings (mode ``warn``), or a VnpError listing every violation (mode
    ``enforce``: nothing is written)."""
    found = violations(docs, policies, declared)
    if not found:
        return []
    if (policies.get("tenant") or {}).get("mode") == "warn":
        return [RenderWarning(f"{v.rule}: {v.path}: {v.message}", (v.doc,)) for v in found]
    from helm_vnp.release.tenant.common import field_line
    # a chart template (``# Source:``, Helm 4's annotation) is named without a line (its lines are not the
    # stream's); a stream without one is located at the offending field's line
    raise VnpError([Problem(describe(v), path=v.path, file=v.doc.source_file or v.doc.source or None,
                            line=None if v.doc.source_file else field_line(v.doc, v.path) or v.doc.object_line,
                            hint=HINT if i == len(found) - 1 else None) for i, v in enumerate(found)])
