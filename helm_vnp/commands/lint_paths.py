"""`helm vnp lint-paths PATH...`: lint the charts some files belong to (pre-commit, CI), as one verdict.

A path is a chart directory (it holds Chart.yaml) or any file or directory inside one; it stands for the
outermost chart it belongs to (a file of a subchart under ``PARENT/charts/SUB/`` lints PARENT, which gives the
subchart its values).  Paths in no chart are skipped, so a hook can be given every file a commit touches.  A path
need not exist: a file the commit deletes still names its chart.  With ``--rendered`` every path is a rendered
manifest file or directory instead, and they are linted together as one stream.

Each chart is linted on its own (its own ``helm template``), in parallel across cores as ``lint A B C`` does;
the text or github report of each goes to stdout; ``--sarif FILE`` / ``--junit FILE`` / ``--codequality FILE``
hold every chart's findings in one file.  Exit status: 2 when any chart could not be linted (the others are still
linted and reported), else 1 when a finding is at or above --fail-on, else 0.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
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
    values_input,
    write_output,
)

STDOUT_FORMATS = ("text", "github")


def chart_of(path: str) -> Optional[str]:
    """The outermost chart directory ``path`` belongs to, as given (relative stays relative), or None."""
    p = Path(path)
    chart = next((c for c in (p, *p.parents) if (c / "Chart.yaml").is_file()), None)
    if chart is None:
        return None
    # a subchart unpacked under PARENT/charts/: its values come from PARENT, so PARENT is what is linted
    while chart.parent.name == "charts" and (chart.parent.parent / "Chart.yaml").is_file():
        chart = chart.parent.parent
    return str(chart) if str(chart) else "."


def charts_of(paths: List[str]) -> List[str]:
    seen: dict[str, None] = {}
    for path in paths:
        chart = chart_of(path)
        if chart is not None:
            seen.setdefault(os.path.normpath(chart), None)
    return list(seen)


def lint_paths(
    paths: Optional[List[str]] = typer.Argument(None, help="files or directories; each names the chart it is in"),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    chart_values: Optional[List[str]] = typer.Option(
        None, "--chart-values", help="values file relative to each chart (e.g. ci/vnp-values.yaml), used for the "
                                     "charts that have it, after -f (repeatable)"),
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    rendered: bool = typer.Option(False, "--rendered", help="the paths are rendered manifests, linted together"),
    fmt: str = typer.Option("text", "--format", help="stdout report: text or github (workflow annotations)"),
    sarif: Optional[str] = typer.Option(None, "--sarif", help="also write one SARIF file for every chart"),
    junit: Optional[str] = typer.Option(None, "--junit", help="also write one JUnit XML file for every chart"),
    codequality: Optional[str] = typer.Option(
        None, "--codequality", help="also write one GitLab Code Quality file for every chart"),
    fail_on: str = typer.Option("error", "--fail-on", help="exit 1 when a finding is at least: error, warning, never"),
    disable: Optional[List[str]] = typer.Option(
        None, "--disable", help="rule to skip: an ID, a family (pss) or a glob (netpol.*) (repeatable)"),
    pss_level: Optional[str] = typer.Option(None, "--pss-level", help="as for lint: baseline or restricted"),
    rule_options: Optional[List[str]] = typer.Option(
        None, "--rule-option", help="RULE.OPTION=VALUE, as for lint (repeatable)"),
    lint_config: Optional[str] = typer.Option(None, "--lint-config", help="lint config file, as for lint"),
) -> None:
    """Lint the charts these paths belong to (a pre-commit hook, a CI step): one verdict for all.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 a chart could not be linted or bad usage.
    """
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.lint import LintOptions, exit_code
    from helm_vnp.report import render

    try:
        if fmt not in STDOUT_FORMATS:
            raise VnpError(Problem(f"unknown format {fmt!r}", path="--format", expected=" or ".join(STDOUT_FORMATS)))
        if fail_on not in ("error", "warning", "never"):
            raise VnpError(Problem(f"invalid value {fail_on!r}", path="--fail-on", expected="error, warning or never"))
        if "-" in (values or []) or "-" in (vnp_values or []) or "-" in (paths or []):
            raise VnpError(Problem("standard input ('-') cannot be read once per chart: give a file",
                                   path="-f" if "-" not in (paths or []) else "PATH"))
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)

    if rendered:
        targets = [(None, [p for p in paths or []])] if paths else []
    else:
        targets = [(chart, []) for chart in charts_of(paths or [])]
    if paths and not targets:
        sys.stderr.write(f"helm-vnp: none of the {len(paths)} path(s) is in a chart: nothing to lint\n")
    from helm_vnp.commands.output import Progress
    from helm_vnp.lint.many import lint_many

    jobs = []
    for chart, files in targets:
        extra = [os.path.join(chart, v) for v in chart_values or [] if chart and os.path.isfile(os.path.join(chart, v))]
        opts = LintOptions(chart=chart, rendered=files, namespace=namespace, release=release,
                           values=values_input([*(values or []), *extra], sets, set_strings, set_jsons, vnp_values),
                           disable=disable or [], pss_level=pss_level, rule_options=list(rule_options or []),
                           lint_config=lint_config)
        opts.values.read_once()
        jobs.append((chart if chart is not None else "rendered manifests", opts))
    with Progress(len(jobs)) as progress:  # the charts in parallel, as `lint A B C` does
        report = lint_many(jobs, progress.step)
    worst = 0
    for result in report.inputs:
        if result.report is None:
            sys.stderr.write(f"{result.input}: cannot lint:\n{result.error}\n")
            worst = 2
            continue
        if fmt == "text" and len(jobs) > 1:
            sys.stdout.write(f"==> {result.input}\n")
        sys.stdout.write(render(fmt, result.report))
        worst = max(worst, exit_code(result.report, fail_on))
    sys.stdout.flush()
    try:
        for path, kind in ((sarif, "sarif"), (junit, "junit"), (codequality, "codequality")):
            if path:
                try:  # a CI's report directory need not exist yet
                    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                except OSError as exc:
                    raise VnpError(Problem(f"cannot create the directory of {path}: {exc.strerror or exc}",
                                           path=f"--{kind}"))
                write_output(render(kind, report), path)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    raise typer.Exit(worst)
