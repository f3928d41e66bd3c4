"""Benchmark helm-vnp against its peers (kustomize as a post-renderer, checkov).

    .venv/bin/python benchmarks/run.py [--smoke] [--runs N] [--warmup N] [--only CASE] [--out FILE]

Each case's commands run as whole processes, interleaved run by run after a
warm-up; the table (stdout and --out, markdown) shows median/min/max per side,
the median of the per-run time ratios, peak RSS, throughput and the targets.
A failing command is shown as its failure, and the run goes on.  Cases are
declared in cases.py.
"""
from __future__ import annotations

import argparse
import fnmatch
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # noqa: E402
from cases import CASES, Argv, Case  # noqa: E402
from inputs import Skip, contains, count_documents  # noqa: E402
from report import Result, machine_info, render  # noqa: E402
from timing import Cmd, harness_rss_kb, interleave  # noqa: E402


def resolve(argv: Argv, path: Path | None) -> tuple[list[str], Path | None]:
    """The concrete argv (peers resolved, "{input}" filled in) and its stdin."""
    out: list[str] = []
    for part in argv:
        out += part() if callable(part) else [part]
    if path is not None and "{input}" in out:
        return [str(path) if p == "{input}" else p for p in out], None
    return out, path


def selected(case: Case, only: list[str] | None) -> bool:
    return not only or any(fnmatch.fnmatch(case.name, o) if any(c in o for c in "*?[") else o in case.name
                           for o in only)


def run_case(case: Case, warmup: int, runs: int) -> Result:
    res = Result(case.name, target_ratio=case.target_ratio, target_mbps=case.target_mbps,
                 rss_le_peer=case.rss_le_peer)
    path = None
    try:
        if case.input is not None:
            path = case.input.produce()
            res.input_bytes, res.input_docs = path.stat().st_size, count_documents(path)
    except Skip as why:
        res.skipped = str(why)
        return res
    try:
        cmds = [Cmd(*resolve(case.ours, path), ok_codes=case.ok_codes)]
    except Skip as why:
        res.skipped = str(why)
        return res
    if case.peer is not None:
        try:
            argv, stdin = resolve(case.peer, path)
            cmds.append(Cmd(argv, stdin, max_runs=case.peer_runs, timeout=case.peer_timeout))
        except Skip as why:
            res.peer_skipped = str(why)
            print(f"  peer skipped: {why}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="vnp-bench-") as tmp:
        sides, outs = interleave(cmds, warmup, runs, Path(tmp))
        res.ours = sides[0]
        if res.ours.ok and case.expect and not contains(outs[0], case.expect):
            res.ours.error = f"output check failed: stdout lacks {case.expect.decode()!r}"
        if len(sides) > 1:
            res.peer = sides[1]
            if res.peer.ok and case.peer_note:
                res.notes.append(case.peer_note(outs[1]))
    for label, side in (("ours", res.ours), ("peer", res.peer)):
        if side is not None and side.error:
            print(f"  {label}: {side.error}", file=sys.stderr)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true",
                    help="one run per side, no warm-up, small inputs only, never installs checkov")
    ap.add_argument("--runs", type=int, help="timed runs per side (default 5; --smoke: 1)")
    ap.add_argument("--warmup", type=int, help="untimed runs per side first (default 1; --smoke: 0)")
    ap.add_argument("--only", action="append", metavar="CASE",
                    help="run the cases whose name contains CASE (or matches it as a glob); repeatable")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results.md",
                    help="markdown file for the table (default benchmarks/results.md)")
    args = ap.parse_args(argv)
    runs = args.runs if args.runs is not None else (1 if args.smoke else 5)
    warmup = args.warmup if args.warmup is not None else (0 if args.smoke else 1)
    if runs < 1 or warmup < 0:
        ap.error("--runs must be >= 1 and --warmup >= 0")
    peers.install_allowed = not args.smoke

    cases = [c for c in CASES if selected(c, args.only)]
    if args.smoke:
        left_out = [c.name for c in cases if c.input is not None and not c.input.small]
        cases = [c for c in cases if c.input is None or c.input.small]
        if left_out:
            print(f"smoke: leaving out large inputs: {', '.join(left_out)}", file=sys.stderr)
    if not cases:
        print("no case matches --only", file=sys.stderr)
        return 2
    info = machine_info()  # before the runs: the load average at start
    results = []
    started = time.perf_counter()
    for n, case in enumerate(cases, 1):
        print(f"[{n}/{len(cases)}] {case.name}", file=sys.stderr, flush=True)
        results.append(run_case(case, warmup, runs))
        if results[-1].skipped:
            print(f"  skipped: {results[-1].skipped}", file=sys.stderr)
    # after the runs: checkov is installed on first use
    info += [("kubectl", peers.version([str(peers.KUBECTL), "version", "--client"])),
             ("checkov", peers.version([str(peers.CHECKOV_BIN), "--version"])),
             ("helm-vnp", peers.version([peers.ours("helm-vnp"), "--version"]))]
    settings = (f"Harness peak RSS {harness_rss_kb() / 1024:.0f} MiB (a child's peak RSS at or below it "
                f"cannot be told apart from it, see timing.py).\n\n"
                f"Settings: {'--smoke, ' if args.smoke else ''}{warmup} warm-up + {runs} timed runs per side; "
                f"whole run took {time.perf_counter() - started:.0f} s.")
    table = render(results, info, settings)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
