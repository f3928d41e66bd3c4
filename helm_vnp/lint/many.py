"""Several inputs in one lint (`helm vnp lint charts/*`): each input linted on its own, in parallel across
cores, the results in argument order whatever order they finish in.

Workers are forked processes (the options are inherited, never pickled; only the result comes back:
findings and counts, the rules as IDs).  Where ``fork`` is not available, or for one input, the inputs are
linted one after the other in this process.  An input that cannot be linted (exit 2: unreadable chart, bad
values) is one ``InputResult`` with its message; the others are still linted.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

from helm_vnp.base.errors import VnpError
from helm_vnp.base.record import field, record
from helm_vnp.lint import LintOptions, LintReport, run_lint


@record
class InputResult:
    input: str  # the argument as given
    report: Optional[LintReport] = None  # None: the input could not be linted
    error: str = ""  # the rendered exit-2 message, when report is None
    seconds: float = 0.0


@record
class ManyReport(LintReport):
    """One report over several inputs: findings in argument order (each input's in its own order)."""
    inputs: list = field(default_factory=list)  # InputResult per argument


_JOBS: list[tuple[str, LintOptions]] = []  # set before the workers fork: they read their options here


def _one(index: int, ahead: tuple | None = None, major: int | None = None) -> InputResult:
    """Lint input ``index``; ``ahead``: its chart's render, done already by the parent (``helm.ahead.Ahead.take``),
    and ``major`` its helm's major version when known."""
    name, opts = _JOBS[index]
    if ahead is not None:
        from helm_vnp.helm import use_rendered
        use_rendered(*ahead, major)
    start = time.perf_counter()
    try:
        report = run_lint(opts)
    except VnpError as exc:
        return InputResult(name, error=exc.render(), seconds=time.perf_counter() - start)
    report.rules = [r.id for r in report.rules]  # functions do not cross processes: IDs do
    return InputResult(name, report, seconds=time.perf_counter() - start)


def workers(count: int) -> int:
    from helm_vnp.helm.runs import cores
    return max(1, min(count, cores()))


def lint_many(jobs: list[tuple[str, LintOptions]],
              done: Callable[[int, int, str], None] = lambda finished, total, name: None,
              ahead=None) -> ManyReport:
    """Lint each (name, options) and combine; ``done(finished, total, name)`` after each input.  ``ahead``: the
    charts' renders started already (``helm.ahead.start_renders``); else they start here."""
    import multiprocessing

    from helm_vnp.rules.registry import all_rules

    charts = [i for i, (_, opts) in enumerate(jobs) if opts.chart is not None]
    if ahead is None and charts:
        from helm_vnp.helm.ahead import start_renders
        first = jobs[charts[0]][1]
        ahead = start_renders([jobs[i][1].chart for i in charts], first.values, first.release, first.namespace)
    _JOBS[:] = jobs
    results: list[Optional[InputResult]] = [None] * len(jobs)
    n = workers(len(jobs))
    try:
        if n > 1 and "fork" in multiprocessing.get_all_start_methods():
            _in_parallel(jobs, charts, ahead, n, results, done)
        else:
            for i in range(len(jobs)):
                results[i] = _one(i, *_rendered(jobs, i, ahead))
                done(i + 1, len(jobs), jobs[i][0])
    finally:
        _JOBS.clear()
    by_id = {r.id: r for r in all_rules()}
    rule_ids: set[str] = set()
    findings: list = []
    objects = generated = 0
    release = namespace = None
    for r in results:
        if r.report is None:
            continue
        rule_ids.update(r.report.rules)
        r.report.rules = [by_id[i] for i in r.report.rules]
        findings += r.report.findings
        objects += r.report.objects
        generated += r.report.generated
        release = release if release is not None else r.report.release
        namespace = namespace if namespace is not None else r.report.namespace
        if (release, namespace) != (r.report.release, r.report.namespace):
            release, namespace = _several(release, r.report.release), _several(namespace, r.report.namespace)
    return ManyReport(findings, [by_id[i] for i in sorted(rule_ids)], objects, generated, release or "-",
                      namespace or "-", inputs=results)


def _rendered(jobs: list, i: int, ahead) -> tuple:
    """``_one``'s (ahead, major) for input ``i``: its chart's render when ``ahead`` holds it as ``load_release``
    will ask for it; else (None, None) and the input renders its chart itself."""
    opts = jobs[i][1]
    if ahead is None or opts.chart is None:
        return None, None
    from helm_vnp.helm import template_key
    from helm_vnp.release.load import chart_target
    release, namespace = chart_target(opts)
    if ahead.key(opts.chart) != template_key(ahead.helm, opts.chart, release, namespace, opts.values.helm_flags(),
                                             opts.values.given()):
        return None, None
    return ahead.take(opts.chart), ahead.major()


def _in_parallel(jobs: list, charts: list, ahead, n: int, results: list,
                 done: Callable[[int, int, str], None]) -> None:
    """Lint the inputs in ``n`` forked workers while this process collects the charts' renders (``ahead``) and
    hands each to a worker as it is ready: a worker lints one chart while Helm renders the next."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    finished = 0

    def record(future) -> None:
        nonlocal finished
        i = linting.pop(future)
        results[i] = future.result()
        finished += 1
        done(finished, len(jobs), jobs[i][0])

    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
        linting = {pool.submit(_one, i): i for i in range(len(jobs)) if i not in charts}
        for i in charts:
            linting[pool.submit(_one, i, *_rendered(jobs, i, ahead))] = i
            for future in [f for f in linting if f.done()]:
                record(future)
        for future in as_completed(list(linting)):
            record(future)


def _several(mine: str, theirs: str) -> str:
    return mine if mine == theirs or mine == "(several)" else "(several)"
