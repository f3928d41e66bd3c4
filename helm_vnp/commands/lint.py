"""`helm vnp lint`: the command line of the linter (the work is in helm_vnp.lint, the formats in helm_vnp.report)."""
from __future__ import annotations

from typing import List, Optional

import typer

from helm_vnp.commands.common import (
    NamespaceOpt,
    ReleaseOpt,
    SetJsonOpt,
    SetOpt,
    SetStringOpt,
    ValuesOpt,
    VnpValuesOpt,
)


def lint(
    charts: Optional[List[str]] = typer.Argument(
        None, help="charts to render with `helm template` (path, .tgz, repo/chart or URL) or rendered files "
                   "(*.yaml, *.yml, *.json); several are linted in parallel, one release each, into one report",
        metavar="[CHART]..."),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    rendered: Optional[List[str]] = typer.Option(
        None, "--rendered", help="lint rendered manifests instead of a chart: a file, a directory "
                                 "(*.yaml, *.yml, *.json, recursively) or '-' for stdin (repeatable)"),
    fmt: str = typer.Option("text", "--format", help="text, json, sarif, junit, github or codequality (GitLab)"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write the report to this file (atomically)"),
    fail_on: str = typer.Option("error", "--fail-on", help="exit 1 when a finding is at least: error, warning, never"),
    disable: Optional[List[str]] = typer.Option(
        None, "--disable", help="rule to skip: an ID, a family (pss) or a glob (netpol.*) (repeatable)"),
    pss_level: Optional[str] = typer.Option(
        None, "--pss-level", help="lint Pod Security at this level (baseline or restricted), as errors, whatever "
                                  "the config says; default: the configured podSecurityStandard, else restricted "
                                  "as warnings"),
    rule_options: Optional[List[str]] = typer.Option(
        None, "--rule-option", help="set a rule's option: RULE.OPTION=VALUE, e.g. quota.fit.nodes=3; a family or "
                                    "glob sets it for every rule it names (repeatable)"),
    lint_config: Optional[str] = typer.Option(
        None, "--lint-config", help="lint config file (disable, rules: {RULE: {OPTION: VALUE}}); default: the "
                                    "nearest .vnp-lint.yaml from the working directory up to the repository root"),
    list_rules: bool = typer.Option(False, "--list-rules", help="list every rule and exit"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="also say on stderr what was checked (inputs, "
                                 "objects, rules) and how long each input took"),
) -> None:
    """Report what the cluster would refuse, and where isolation leaks, before install.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.  With several inputs:
    the worst of them; an input that cannot be linted is reported on stderr (exit 2) and the others still are.
    Quiet on success: the report on stdout, nothing on stderr unless -v; a progress line on stderr only when
    it is a terminal (never on a pipe, nor with TERM=dumb).
    """
    from helm_vnp.commands.lint_run import run_lint_command

    raise typer.Exit(run_lint_command(charts, values, vnp_values, sets, set_strings, set_jsons, namespace, release,
                                      rendered, fmt, output, fail_on, disable, pss_level, rule_options, lint_config,
                                      list_rules, verbose))
