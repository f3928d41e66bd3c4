"""Render benchmark results as a markdown table with the machine they ran on."""
from __future__ import annotations

import datetime
import os
import platform
from dataclasses import dataclass, field

from timing import Side, pair_ratio

MB = 1_000_000


@dataclass
class Result:
    name: str
    input_bytes: int | None = None
    input_docs: int | None = None
    ours: Side | None = None
    peer: Side | None = None
    skipped: str = ""  # the whole case
    peer_skipped: str = ""
    target_ratio: float | None = None
    target_mbps: float | None = None
    rss_le_peer: bool = False
    notes: list[str] = field(default_factory=list)

    def ratio(self) -> float | None:
        return pair_ratio(self.ours, self.peer) if self.ours and self.peer else None

    def mbps(self, side: Side | None) -> float | None:
        if not (side and side.ok and self.input_bytes):
            return None
        return self.input_bytes / MB / side.median()

    def verdicts(self) -> list[tuple[str, bool | None]]:
        """(target, met?) pairs; None: could not be judged."""
        out: list[tuple[str, bool | None]] = []
        ours_ok = bool(self.ours and self.ours.ok)
        if self.target_ratio is not None:
            ratio = self.ratio()
            if ratio is None and ours_ok and self.peer and self.peer.timed_out:
                ratio = self.ours.median() / self.peer.timed_out  # an upper bound
            out.append((f"ratio <= {self.target_ratio:g}", None if ratio is None else ratio <= self.target_ratio))
        if self.target_mbps is not None:
            mbps = self.mbps(self.ours)
            out.append((f">= {self.target_mbps:g} MB/s", None if mbps is None else mbps >= self.target_mbps))
        if self.rss_le_peer:
            ok = ours_ok and self.peer is not None and self.peer.ok
            out.append(("peak RSS <= peer", self.ours.maxrss_kb <= self.peer.maxrss_kb if ok else None))
        return out


def machine_info() -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(ln.split()[1] for ln in f if ln.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return [("date (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")),
            ("nproc", str(nproc)), ("CPU", cpu), ("memory", mem or "unknown"),
            ("OS", f"{platform.system()} {platform.release()}"),
            ("Python", platform.python_version()),
            ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg()))]


def _cell(text: str, limit: int = 110) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _secs(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def _side(side: Side | None, skipped: str) -> str:
    if skipped:
        return _cell(f"skipped: {skipped}")
    if side is None:
        return "—"
    if side.timed_out and not side.times:
        return f"> {side.timed_out:.0f} s (timed out)"
    if side.error:
        return _cell(f"FAIL: {side.error}")
    t = side.times
    spread = f"{_secs(min(t))}–{_secs(max(t))}, " if len(t) > 1 else ""
    return f"{_secs(side.median())} ({spread}n={len(t)})"


def _size(n: int) -> str:
    return f"{n / 1000:.1f} kB" if n < 100_000 else f"{n / MB:.2f} MB"


def _rss(side: Side | None) -> str:
    if not (side and side.maxrss_kb):
        return "—"
    bound = "<= " if side.maxrss_kb <= side.floor_kb * 1.05 else ""
    return f"{bound}{side.maxrss_kb / 1024:.0f} MiB"


def row(r: Result) -> str:
    if r.skipped:
        return f"| {r.name} | — | {_cell('skipped: ' + r.skipped)} | — | — | — | — | — | — |"
    size = "—" if r.input_bytes is None else f"{_size(r.input_bytes)}, {r.input_docs} docs"
    ratio = r.ratio()
    if ratio is not None:
        ratio_s = f"{ratio:.2f}"
    elif r.ours and r.ours.ok and r.peer and r.peer.timed_out:
        ratio_s = f"< {r.ours.median() / r.peer.timed_out:.3f}"
    else:
        ratio_s = "—"
    has_peer = r.peer is not None or bool(r.peer_skipped)
    mbps = "—"
    if r.input_bytes and r.input_bytes >= 500_000:
        o, p = r.mbps(r.ours), r.mbps(r.peer)
        mbps = " / ".join("—" if v is None else f"{v:.3g}" for v in ((o, p) if has_peer else (o,)))
    rss = f"{_rss(r.ours)} / {_rss(r.peer)}" if has_peer else _rss(r.ours)
    verdict = "; ".join(f"{t}: {'n/a' if ok is None else 'met' if ok else 'MISSED'}" for t, ok in r.verdicts())
    peer = _side(r.peer, r.peer_skipped) if has_peer else "— (no peer)"
    return (f"| {r.name} | {size} | {_side(r.ours, '')} | {peer} | {ratio_s} | {rss} | {mbps} "
            f"| {verdict or '—'} | {_cell('; '.join(r.notes), 200) or ''} |")


def render(results: list[Result], info: list[tuple[str, str]], settings: str) -> str:
    lines = ["# helm-vnp benchmark", "", settings, ""]
    lines += [f"- {k}: {v}" for k, v in info]
    lines += ["", "Times are whole processes (fork+exec to exit), median (min–max, n timed runs); "
              "ratio is the median of per-run ours/peer ratios (runs interleaved A, B, A, B); "
              "peak RSS is the largest max-RSS of the process tree over all runs; "
              "MB/s is input size / median time (inputs >= 0.5 MB); "
              "\"<= N MiB\": at or below the harness's own peak RSS, an upper bound only.", "",
              "| case | input | ours | peer | ratio | peak RSS ours / peer | MB/s ours / peer | target | notes |",
              "|---|---|---|---|---|---|---|---|---|"]
    lines += [row(r) for r in results]
    return "\n".join(lines) + "\n"
