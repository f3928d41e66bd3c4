"""`helm vnp lint` without Typer: the run (``run_lint_command``; its progress line and colour: ``commands.output``),
and the quick parse of plain flags that lets ``helm_vnp.cli`` skip Typer (``plain_lint_flags``; ``commands.lint``
declares the same flags for Typer, and a test keeps the two the same)."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

from helm_vnp.commands.output import Progress, colour_ok, write_output
from helm_vnp.commands.values_flags import read_stdin, values_input

if TYPE_CHECKING:
    from helm_vnp.config.values_input import ValuesInput


# every flag of `helm vnp lint` -> (run_lint_command's parameter, "multi" | "one" | "flag")
LINT_FLAGS = {
    "-f": ("values", "multi"), "--values": ("values", "multi"), "--vnp-values": ("vnp_values", "multi"),
    "--set": ("sets", "multi"), "--set-string": ("set_strings", "multi"), "--set-json": ("set_jsons", "multi"),
    "-n": ("namespace", "one"), "--namespace": ("namespace", "one"), "--release": ("release", "one"),
    "--rendered": ("rendered", "multi"), "--format": ("fmt", "one"), "-o": ("output", "one"),
    "--output": ("output", "one"), "--fail-on": ("fail_on", "one"), "--disable": ("disable", "multi"),
    "--pss-level": ("pss_level", "one"), "--rule-option": ("rule_options", "multi"),
    "--lint-config": ("lint_config", "one"), "--list-rules": ("list_rules", "flag"), "-v": ("verbose", "flag"),
    "--verbose": ("verbose", "flag"),
}


def plain_lint_flags(argv: list[str]) -> Optional[dict]:
    """``argv`` (after `lint`) as ``run_lint_command`` keywords when every argument is a positional or one of
    LINT_FLAGS in a plain form (``--flag VALUE``, ``--flag=VALUE``, ``-x VALUE``, a lone flag); None for
    anything else (help, a typo, ``-oFILE``, ``-vf``, ``--``): Typer parses those, with its messages."""
    kw: dict = {dest: [] for dest, kind in LINT_FLAGS.values() if kind == "multi"}
    kw["charts"] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-" or not arg.startswith("-"):
            kw["charts"].append(arg)
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name not in LINT_FLAGS or (eq and not name.startswith("--")):
            return None
        dest, kind = LINT_FLAGS[name]
        if kind == "flag":
            if eq:
                return None
            kw[dest] = True
        else:
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if kind == "multi":
                kw[dest].append(value)
            else:
                kw[dest] = value
        i += 1
    return kw


def run_lint_command(charts=None, values=None, vnp_values=None, sets=None, set_strings=None, set_jsons=None,
                     namespace=None, release=None, rendered=None, fmt="text", output=None, fail_on="error",
                     disable=None, pss_level=None, rule_options=None, lint_config=None, list_rules=False,
                     verbose=False) -> int:
    """The whole `helm vnp lint` run: its exit code (the report written, errors on stderr)."""
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
            return 0
        code = _lint(charts or [], values_input(values, sets, set_strings, set_jsons, vnp_values), namespace,
                     release, rendered or [], fmt, output, fail_on, disable or [], pss_level, rule_options or [],
                     lint_config, verbose)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        return 2
    return code


def _lint(charts, values: ValuesInput, namespace, release, rendered, fmt, output, fail_on, disable,
          pss_level, rule_options=(), lint_config=None, verbose=False) -> int:
    import time

    start = time.perf_counter()
    values = read_stdin(values, rendered)
    ahead = None
    if len(charts) > 1 and not rendered:  # Helm renders the charts while the linter loads (lint.many)
        from helm_vnp.helm.ahead import start_renders
        ahead = start_renders([c for c in charts if not _rendered_file(c)], values, release, namespace)

    from helm_vnp.lint import LintOptions, exit_code, run_lint
    from helm_vnp.report import render

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
        report = lint_many(jobs, progress.step, ahead)
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


def _rule_list(fmt: str) -> str:
    from helm_vnp.rules.registry import all_rules

    entries = all_rules()
    if fmt == "json":
        import json
        return json.dumps([{"id": r.id, "severity": r.severity, "summary": r.summary,
                            "options": {o.name: o.default for o in r.options}} for r in entries], indent=2) + "\n"
    width = max(len(r.id) for r in entries)
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.summary}\n" for r in entries)
