"""The peer tools (kustomize via kubectl, checkov) and our own commands.

A peer is resolved on first use and either yields an argv prefix or raises
Skip with the reason.  checkov lives in its own venv, .bench-venv, which this
module creates on first use (never in --smoke), so its many dependencies never
touch the project venv."""
from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

from inputs import CACHE, ROOT, Skip

HERE = Path(__file__).resolve().parent
VENV_BIN = ROOT / ".venv" / "bin"
KUBECTL = ROOT / ".tools" / "bin" / "kubectl"
BENCH_VENV = ROOT / ".bench-venv"
CHECKOV_BIN = BENCH_VENV / "bin" / "checkov"
KUSTOMIZE_SH = HERE / "kustomize_postrender.sh"
VALUES = HERE / "values-bench.yaml"

install_allowed = True  # run.py turns this off for --smoke


def version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return " / ".join(ln.strip() for ln in lines[:2]) if out.returncode == 0 and lines else "unavailable"


@cache
def kustomize() -> list[str]:
    if not KUBECTL.exists():
        raise Skip(f"{KUBECTL} missing (run `make tools`)")
    return ["bash", str(KUSTOMIZE_SH)]


@cache
def checkov() -> list[str]:
    if not CHECKOV_BIN.exists():
        if not install_allowed:
            raise Skip(f"checkov not installed in {BENCH_VENV} (--smoke never installs; a full run does)")
        _install_checkov()
    return [str(CHECKOV_BIN)]


def _install_checkov() -> None:
    CACHE.mkdir(exist_ok=True)
    log = CACHE / "checkov-install.log"
    print(f"installing checkov into {BENCH_VENV} (once; log: {log}) ...", file=sys.stderr, flush=True)
    with log.open("w") as out:
        for step in ([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)],
                     [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "checkov"]):
            if subprocess.run(step, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                tail = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()][-1:]
                raise Skip(f"checkov install failed ({' '.join(step[:3])} ...): {tail[0] if tail else '?'}")
    if not CHECKOV_BIN.exists():
        raise Skip("checkov install finished but .bench-venv/bin/checkov is missing")


def ours(name: str) -> str:
    """Our console script; a missing one is a failing command, not a skip."""
    return str(VENV_BIN / name)
