"""Configuration problems as lint findings, so one run shows everything wrong.

The lint driver loads the ``policies:`` block with ``helm_vnp.config.check_values``
(which never raises) and hands its problems to these rules through
``ctx.options[<rule id>]["problems"]``: errors to ``config.schema``, warnings
to ``config.unsupported``.  With invalid config the rest of the lint runs on the
defaults.  Each finding points at the values file and line the value came from
(or the ``--set`` flag); it names no Kubernetes object.
"""
from __future__ import annotations

from typing import Callable, Iterable

from helm_vnp.checks.base import Finding, ObjectRef, Rule, Source
from helm_vnp.checks.context import LintContext

SCHEMA = Rule("config.schema", "error", "the policies block does not match the configuration schema")
UNSUPPORTED = Rule("config.unsupported", "warning",
                   "a policies setting is ignored, deprecated or not supported by helm-vnp")

SCHEMA_DOC = """config.schema: the `policies:` block does not match the configuration schema.

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

UNSUPPORTED_DOC = """config.unsupported: a setting is ignored, deprecated or not supported.

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


def _findings(rule: Rule, ctx: LintContext) -> Iterable[Finding]:
    for problem in (ctx.options.get(rule.id) or {}).get("problems", ()):
        text = f"{problem.path}: {problem.message}" if problem.path else problem.message
        if problem.hint:
            text += f" ({problem.hint})"
        yield Finding(rule.id, rule.severity, text, ObjectRef(), Source(problem.file or "", problem.line or 0))


def check_schema(ctx: LintContext) -> Iterable[Finding]:
    return _findings(SCHEMA, ctx)


def check_unsupported(ctx: LintContext) -> Iterable[Finding]:
    return _findings(UNSUPPORTED, ctx)


def rules() -> list[tuple[Rule, Callable, str]]:
    return [(SCHEMA, check_schema, SCHEMA_DOC), (UNSUPPORTED, check_unsupported, UNSUPPORTED_DOC)]
