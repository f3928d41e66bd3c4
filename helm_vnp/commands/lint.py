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
    fmt: str = typer.Option("text", "--format", help="text, json, sarif, junit or github"),
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
        code = _lint(charts or [], values_input(values, sets, set_strings, set_jsons, vnp_values), namespace,
                     release, rendered or [], fmt, output, fail_on, disable or [], pss_level, rule_options or [],
                     lint_config, verbose)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    raise typer.Exit(code)


def _lint(charts, values: ValuesInput, namespace, release, rendered, fmt, output, fail_on, disable,
          pss_level, rule_options=(), lint_config=None, verbose=False) -> int:
    import time

    from helm_vnp.lint import LintOptions, exit_code, run_lint
    from helm_vnp.report import render

    start = time.perf_counter()
    values = read_stdin(values, rendered)

    def options(chart, rendered_paths):
        return LintOptions(chart=chart, rendered=rendered_paths, values=values, namespace=namespace,
                           release=release, disable=disable, pss_level=pss_level, rule_options=list(rule_options),
                           lint_config=lint_config)
    color = fmt == "text" and output in (None, "-") and colour_ok(sys.stdout)
    if len(charts) <= 1 or rendered:  # one release (several --rendered files are one stream)
        chart = charts[0] if charts else None
        report = run_lint(options(None, [chart]) if chart and _rendered_file(chart) and not rendered
                          else options(chart, rendered))
        write_output(render(fmt, report, color), output)
        if verbose:
            _say_checked([(chart or ", ".join(rendered), report, time.perf_counter() - start)], start, 1)
        return exit_code(report, fail_on)
    from helm_vnp.lint.many import lint_many, workers

    jobs = [(c, options(None, [c]) if _rendered_file(c) else options(c, [])) for c in charts]
    with Progress(len(jobs)) as progress:
        report = lint_many(jobs, progress.step)
    for r in report.inputs:
        if r.report is None:
            sys.stderr.write((r.error if r.input in r.error else f"{r.input}: {r.error}") + "\n")
    write_output(render(fmt, report, color), output)
    if verbose:
        _say_checked([(r.input, r.report, r.seconds) for r in report.inputs], start, workers(len(jobs)))
    return max(2 if r.report is None else exit_code(r.report, fail_on) for r in report.inputs)


def _rendered_file(arg: str) -> bool:
    """A rendered-manifests file given where a chart goes: an existing file named *.yaml, *.yml or *.json."""
    return arg.endswith((".yaml", ".yml", ".json")) and os.path.isfile(arg)


def _say_checked(entries, start: float, jobs: int) -> None:
    """-v: what was checked, and how long it took (stderr)."""
    import time

    for name, report, seconds in entries:
        if report is None:
            sys.stderr.write(f"not linted: {name} ({seconds:.2f} s)\n")
            continue
        sys.stderr.write(f"checked {name}: {report.objects} objects (+{report.generated} generated by vnp, release "
                         f"{report.release}, namespace {report.namespace}), {len(report.rules)} rules, "
                         f"{len(report.findings)} findings in {seconds:.2f} s\n")
    sys.stderr.write(f"total {time.perf_counter() - start:.2f} s" + (f" on {jobs} workers" if jobs > 1 else "")
                     + "\n")


class Progress:
    """`[####------] 3/10 charts/web` on stderr, rewritten in place: only on a terminal (not a pipe, not
    TERM=dumb), cleared when done; no colour, no escape sequence."""

    def __init__(self, total: int, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.on = total > 1 and progress_ok(self.stream)
        self.width = 0

    def __enter__(self):
        if self.on:
            self._show(0, "")
        return self

    def step(self, finished: int, total: int, name: str) -> None:
        if self.on:
            self._show(finished, name)

    def _show(self, finished: int, name: str) -> None:
        filled = 20 * finished // self.total
        text = f"[{'#' * filled}{'-' * (20 - filled)}] {finished}/{self.total} {name}"[:79]
        self.stream.write("\r" + text.ljust(self.width))
        self.width = max(self.width, len(text))
        self.stream.flush()

    def __exit__(self, *exc) -> None:
        if self.on and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def colour_ok(stream) -> bool:
    """Colour: on a terminal, TERM not dumb, NO_COLOR unset or empty (https://no-color.org)."""
    return progress_ok(stream) and not os.environ.get("NO_COLOR")


def progress_ok(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
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
