"""Time whole processes: one run, and a pair of commands interleaved run by run.

A run is fork+exec to exit, measured with perf_counter around Popen and
os.wait4; wait4's rusage gives the child's peak RSS, which on Linux is the
largest of the child and every descendant it waited for (so a wrapper
script reports its kubectl's peak, not bash's).  stdout goes to /dev/null
except on a side's first run, which goes to a file the caller may check.

Caveat: Linux starts a child's max-RSS at the RSS of the process that forked
it (exec records the forked mm's high-water mark), so a child can never
report less than the harness's own peak.  The harness therefore streams its
files instead of reading them whole, and the report marks values at or below
harness_rss_kb() as an upper bound ("<= N MiB").
"""
from __future__ import annotations

import os
import resource
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

RUN_TIMEOUT_S = 900.0
KILL_GRACE_S = 5.0


def harness_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@dataclass(frozen=True)
class Run:
    seconds: float
    maxrss_kb: int
    code: int
    error: str = ""  # non-empty: the run failed (and is not a time)


@dataclass
class Side:
    times: list[float] = field(default_factory=list)
    maxrss_kb: int = 0
    floor_kb: int = 0  # the harness's peak RSS when the side last ran (see module doc)
    error: str = ""
    note: str = ""
    timed_out: float = 0.0  # the timeout, when the side's run hit it

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.times)

    def median(self) -> float:
        return statistics.median(self.times)


def error_line(stderr: bytes) -> str:
    """The first stderr line; for a Python traceback, its last line (the exception)."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    if not lines:
        return ""
    return lines[-1] if lines[0].startswith("Traceback") else lines[0]


def run_once(argv: list[str], stdin: Path | None, stdout: Path | None,
             ok_codes: tuple[int, ...] = (0,), timeout: float = RUN_TIMEOUT_S) -> Run:
    with tempfile.TemporaryFile() as err, \
            (open(stdin, "rb") if stdin else open(os.devnull, "rb")) as fin, \
            (open(stdout, "wb") if stdout else open(os.devnull, "wb")) as fout:
        t0 = time.perf_counter()
        try:
            # own process group, so a timeout stops a wrapper's children too
            proc = subprocess.Popen(argv, stdin=fin, stdout=fout, stderr=err, start_new_session=True)
        except OSError as exc:
            return Run(0.0, 0, -1, f"cannot run {argv[0]}: {exc.strerror or exc}")
        done = threading.Event()
        timer = threading.Timer(timeout, _stop_group, (proc.pid, done))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code in ok_codes:
            return Run(seconds, usage.ru_maxrss, code)
        err.seek(0)
        why = error_line(err.read(64 * 1024))
        if seconds >= timeout:
            why = f"timed out after {timeout:g} s"
        elif code < 0:
            why = f"killed by signal {-code}"
        return Run(seconds, usage.ru_maxrss, code, f"exit {code}: {why}" if why else f"exit {code}")


def _stop_group(pgid: int, done: threading.Event) -> None:
    """SIGTERM the run's process group (lets a wrapper clean up), SIGKILL it after a grace."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        if done.wait(KILL_GRACE_S):
            return


@dataclass(frozen=True)
class Cmd:
    argv: list[str]
    stdin: Path | None
    ok_codes: tuple[int, ...] = (0,)
    max_runs: int | None = None  # cap: no warm-up, at most this many timed runs
    timeout: float = RUN_TIMEOUT_S


def interleave(cmds: list[Cmd], warmup: int, runs: int, check_dir: Path) -> tuple[list[Side], list[Path]]:
    """Run the commands A, B, A, B, ... `warmup` untimed rounds then `runs` timed
    rounds.  A side whose run fails stops (its error is kept); the others go on.
    Returns the sides and, per side, the file its first run's stdout went to."""
    sides = [Side() for _ in cmds]
    outs = [check_dir / f"side{i}.out" for i in range(len(cmds))]
    done = [0] * len(cmds)
    for rnd in range(warmup + runs):
        for i, (cmd, side) in enumerate(zip(cmds, sides)):
            capped = cmd.max_runs is not None
            if side.error or (capped and (rnd < warmup or len(side.times) >= cmd.max_runs)):
                continue
            run = run_once(cmd.argv, cmd.stdin, outs[i] if done[i] == 0 else None, cmd.ok_codes, cmd.timeout)
            done[i] += 1
            if run.error:
                side.error = run.error
                side.timed_out = cmd.timeout if run.seconds >= cmd.timeout else 0.0
                continue
            side.maxrss_kb = max(side.maxrss_kb, run.maxrss_kb)
            side.floor_kb = harness_rss_kb()
            if rnd >= warmup:
                side.times.append(run.seconds)
    return sides, outs


def pair_ratio(ours: Side, peer: Side) -> float | None:
    """Median of the per-run ratios ours_i / peer_i (runs are paired by round)."""
    if not (ours.ok and peer.ok) or len(ours.times) != len(peer.times):
        return None
    return statistics.median(a / b for a, b in zip(ours.times, peer.times))
