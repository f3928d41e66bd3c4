"""render.warning: the post-renderer would print a warning for this release.

Linting runs the same post-render that `helm install` runs; whatever it would
warn about at install time is reported here, before it: for example a plain
(non-hook) Job whose pod template gets the release label (Job templates are
immutable, so `helm upgrade` of an existing release fails on it), a
StatefulSet or DaemonSet with `updateStrategy: OnDelete` whose pod template gets
it (when isolation is turned on for a running release, its pods keep running
unlabelled until deleted, and the isolated pods refuse their traffic), or, with
`policies.selection: workloadSelectors`, a workload whose pods cannot be
selected and so are not isolated.

Fix: follow the advice in the message (e.g. make the Job a hook, or use
`policies.selection: workloadSelectors`).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("render.warning", "warning", "the post-renderer would print a warning at install time")


def check(release: Release, options: dict) -> Iterable[Finding]:
    """One finding per object each of the post-render's warnings is about."""
    for warning in release.render_warnings:
        if not warning.objects:
            yield Finding(RULE.id, RULE.severity, warning.message)
        for doc in warning.objects:
            yield Finding(RULE.id, RULE.severity, warning.message, release.ref(doc), release.source(doc))
