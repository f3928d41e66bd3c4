"""lint.disableAnnotation: a ``vnp.helm-plugin.io/disable`` annotation names no rule.

An object may opt out of rules with the annotation
``vnp.helm-plugin.io/disable: "rule,rule"`` (IDs, families such as ``pss``, or
globs such as ``netpol.*``).  A name that matches no rule disables nothing: a
typo (``pss.runAsNonroot``) would otherwise leave the finding in place without a
word, or - worse - a reader would believe it silenced.

**Example that triggers it**::

    metadata:
      annotations:
        vnp.helm-plugin.io/disable: "pss.runAsNonroot"

**Fix.** Spell the rule ID as ``helm vnp lint --list-rules`` prints it
(``pss.runAsNonRoot``), or remove the entry.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.names import DISABLE_ANNOTATION
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule, unknown_patterns

RULE = Rule("lint.disableAnnotation", "warning", f"a {DISABLE_ANNOTATION} annotation names no rule")


def check(release: Release, options: dict) -> Iterable[Finding]:
    for doc in release.docs:
        value = doc.annotations.get(DISABLE_ANNOTATION) if DISABLE_ANNOTATION.encode() in doc.raw else None
        if not value:
            continue
        unknown = unknown_patterns([p.strip() for p in value.split(",") if p.strip()], release.rule_ids)
        if unknown:
            yield Finding(RULE.id, RULE.severity,
                          f"{DISABLE_ANNOTATION} names no rule: {', '.join(unknown)} (see helm vnp lint --list-rules)",
                          release.ref(doc), release.source(doc))
