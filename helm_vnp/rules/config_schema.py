"""config.schema: the `policies:` block does not match the configuration schema.

The values files and `--set` flags are validated against helm-vnp's JSON Schema
(`helm-vnp schema`): unknown keys, wrong types, invalid CIDRs, quantities,
selectors and enum values are all reported, each with the file, line and dotted
path it came from.  The post-renderer refuses such a config (the install fails);
the linter reports every problem and lints the chart with the default config.

Example that fails:

    policies:
      podSecurityStandard: strict

Fix: use one of the values the message lists (`helm-vnp schema` prints them all),
or `helm-vnp validate -f values.yaml` to check the config alone.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release, Source
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("config.schema", "error", "the policies block does not match the configuration schema")


def check(release: Release, options: dict) -> Iterable[Finding]:
    return findings(RULE, release.config_errors)


def findings(rule: Rule, problems) -> Iterable[Finding]:
    """Config problems as findings: each points at the values file and line the value came from (or the
    ``--set`` flag); they name no Kubernetes object."""
    for problem in problems:
        text = f"{problem.path}: {problem.message}" if problem.path else problem.message
        if problem.hint:
            text += f" ({problem.hint})"
        yield Finding(rule.id, rule.severity, text, ObjectRef(), Source(problem.file or "", problem.line or 0))
