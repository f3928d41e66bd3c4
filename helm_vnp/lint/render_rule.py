"""render.warning: the post-renderer would print a warning for this release.

Linting runs the same post-render that `helm install` runs; whatever it would
warn about at install time is reported here, before it: for example a plain
(non-hook) Job whose pod template gets the release label (Job templates are
immutable, so `helm upgrade` of an existing release fails on it), or, with
`policies.selection: workloadSelectors`, a workload whose pods cannot be
selected and so are not isolated.

Fix: follow the advice in the message (e.g. make the Job a hook, or use
`policies.selection: workloadSelectors`).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.checks.base import Finding, ObjectRef, Rule, Source
from helm_vnp.checks.context import LintContext

RULE = Rule("render.warning", "warning", "the post-renderer would print a warning at install time")


def check(ctx: LintContext) -> Iterable[Finding]:
    """The driver hands over the post-render's warnings (``ctx.options[RULE.id]["warnings"]``)."""
    by_label = {f"{d.kind} {d.name}": d for d in ctx.docs if d.kind and d.name}
    for text in (ctx.options.get(RULE.id) or {}).get("warnings", ()):
        doc = by_label.get(text.split(":", 1)[0])
        if doc is not None:
            yield Finding(RULE.id, RULE.severity, text.split(":", 1)[1].strip(), ctx.ref(doc), ctx.source(doc))
        else:
            yield Finding(RULE.id, RULE.severity, text, ObjectRef(), Source())
