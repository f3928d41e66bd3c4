"""config.unsupported: a setting is ignored, deprecated or not supported.

The config still loads, but something in it does not do what its author may
expect: a vCluster setting helm-vnp cannot implement (e.g.
`policies.centralAdmission`), a deprecated vCluster <= 0.19 `isolation.*` key
that was converted, or a top-level key that looks like a misspelt `policies`.

Example:

    policies:
      centralAdmission:
        validatingWebhooks: [...]

Fix: remove the setting, or move it to its new place as the message says.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.config_schema import findings
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("config.unsupported", "warning", "a policies setting is ignored, deprecated or not supported by helm-vnp")


def check(release: Release, options: dict) -> Iterable[Finding]:
    return findings(RULE, release.config_warnings)
