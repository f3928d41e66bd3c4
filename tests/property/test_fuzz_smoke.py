"""A short run of the post-render fuzz target (``make fuzz`` runs it for longer)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_fuzz_target_survives_fifteen_seconds(tmp_path):
    try:
        import atheris  # noqa: F401
    except ImportError:
        pytest.skip("atheris is not installed (pip install atheris, or make fuzz)")
    proc = subprocess.run([sys.executable, os.path.join(REPO, "fuzz", "run.py"), "--seconds", "15",
                           "--work", str(tmp_path)], capture_output=True, text=True, timeout=300)
    crashes = os.listdir(tmp_path / "crashes")
    assert not crashes, f"fuzzer crashed:\n{proc.stdout}"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    executions = int(proc.stdout.split("executions:")[1].split()[0])
    assert executions > 0, proc.stdout
