"""Several inputs in one lint (`helm vnp lint charts/*`): each input linted on its own, in parallel across
cores, the results in argument order whatever order they finish in.

Workers are forked processes (the options are inherited, never pickled; only the result comes back:
findings and counts, the rules as IDs).  Where ``fork`` is not available, or for one input, the inputs are
linted one after the other in this process.  An input that cannot be linted (exit 2: unreadable chart, bad
values) is one ``InputResult`` with its message; the others are still linted.
"""
from __future__ import annotations

import os
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


def _one(index: int) -> InputResult:
    name, opts = _JOBS[index]
    start = time.perf_counter()
    try:
        report = run_lint(opts)
    except VnpError as exc:
        return InputResult(name, error=exc.render(), seconds=time.perf_counter() - start)
    report.rules = [r.id for r in report.rules]  # functions do not cross processes: IDs do
    return InputResult(name, report, seconds=time.perf_counter() - start)


def workers(count: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(count, cores))


def lint_many(jobs: list[tuple[str, LintOptions]],
              done: Callable[[int, int, str], None] = lambda finished, total, name: None) -> ManyReport:
    """Lint each (name, options) and combine; ``done(finished, total, name)`` after each input."""
    import multiprocessing

    from helm_vnp.rules.registry import all_rules

    _JOBS[:] = jobs
    if any(opts.chart is not None for _, opts in jobs):  # Helm's version, asked once for every worker
        from helm_vnp.helm import helm_binary, helm_major
        try:
            helm_major(helm_binary())
        except VnpError:
            pass  # each chart input reports it
    results: list[Optional[InputResult]] = [None] * len(jobs)
    n = workers(len(jobs))
    try:
        if n > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_one, i): i for i in range(len(jobs))}
                for finished, future in enumerate(as_completed(futures), 1):
                    i = futures[future]
                    results[i] = future.result()
                    done(finished, len(jobs), jobs[i][0])
        else:
            for i in range(len(jobs)):
                results[i] = _one(i)
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


def _several(mine: str, theirs: str) -> str:
    return mine if mine == theirs or mine == "(several)" else "(several)"
