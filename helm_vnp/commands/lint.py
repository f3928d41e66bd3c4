"""`helm vnp lint`: the command line of the linter (the work is in helm_vnp.lint, the formats in helm_vnp.report)."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, List, Optional

import typer

from helm_vnp.commands.common import (
    NamespaceOpt,
    ReleaseOpt,
    SetJsonOpt,
    SetOpt,
    SetStringOpt,
    ValuesOpt,
    VnpValuesOpt,
    read_stdin,
    values_input,
    write_output,
)

if TYPE_CHECKING:
    from helm_vnp.config.values_input import ValuesInput


def lint(
    chart: Optional[str] = typer.Argument(None, help="chart to render with `helm template` (path, repo/chart or URL)"),
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
) -> None:
    """Report what the cluster would refuse, and where isolation leaks, before install.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
    """
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.report import FORMATS

    try:
        if fmt not in FORMATS:
            raise VnpError(Problem(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})", path="--format",
                                   expected=", ".join(FORMATS)))
        if fail_on not in ("error", "warning", "never"):
            raise VnpError(Problem(f"invalid value {fail_on!r} (expected error, warning or never)", path="--fail-on",
                                   expected="error, warning or never"))
        if list_rules:
            write_output(_rule_list(fmt), output)
            raise typer.Exit(0)
        code = _lint(chart, values_input(values, sets, set_strings, set_jsons, vnp_values), namespace, release,
                     rendered or [], fmt, output, fail_on, disable or [], pss_level, rule_options or [], lint_config)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    raise typer.Exit(code)


def _lint(chart, values: ValuesInput, namespace, release, rendered, fmt, output, fail_on, disable,
          pss_level, rule_options=(), lint_config=None) -> int:
    from helm_vnp.lint import LintOptions, exit_code, run_lint
    from helm_vnp.report import render

    opts = LintOptions(chart=chart, rendered=rendered, values=read_stdin(values, rendered), namespace=namespace,
                       release=release, disable=disable, pss_level=pss_level, rule_options=list(rule_options),
                       lint_config=lint_config)
    report = run_lint(opts)
    color = fmt == "text" and output in (None, "-") and _tty_colour()
    write_output(render(fmt, report, color), output)
    return exit_code(report, fail_on)


def _tty_colour() -> bool:
    try:
        return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    except (AttributeError, ValueError):
        return False


def _rule_list(fmt: str) -> str:
    from helm_vnp.rules.registry import all_rules

    entries = all_rules()
    if fmt == "json":
        import json
        return json.dumps([{"id": r.id, "severity": r.severity, "summary": r.summary,
                            "options": {o.name: o.default for o in r.options}} for r in entries], indent=2) + "\n"
    width = max(len(r.id) for r in entries)
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.summary}\n" for r in entries)
