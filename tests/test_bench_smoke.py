"""The benchmark harness runs end to end in --smoke mode and writes its table.

No timing is asserted: speed is measured by `make bench`, never in a test.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KUBECTL = ROOT / ".tools" / "bin" / "kubectl"

pytestmark = pytest.mark.skipif(not KUBECTL.exists(), reason=f"{KUBECTL} missing: run `make tools`")


def _rows(table: str) -> dict[str, list[str]]:
    rows = {}
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| case "):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0]] = cells
    return rows


def test_smoke_run_writes_table(tmp_path):
    out = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    table = out.read_text()
    assert table in proc.stdout  # the same table went to stdout
    assert "- nproc: " in table and "- CPU: " in table and "- Python: " in table
    rows = _rows(table)
    for name in ("postrender/helm-create", "startup/helm-vnp --version vs python -c pass",
                 "startup/helm-vnp validate -f small vs python -c pass",
                 "lint/8 charts in parallel vs helm template each",
                 "startup/vnp-postrender empty stream", "startup/python -c pass (floor)"):
        assert name in rows, f"{name} missing from:\n{table}"
    # the interpreter floor always runs: proves a time was taken, not just a row printed
    assert rows["startup/python -c pass (floor)"][2].endswith("(n=1)"), rows
    # large inputs are left out of --smoke
    assert "postrender/synthetic-50MB" not in rows
    # once our post-renderer exists it must do the work on `helm create`'s stream,
    # and kustomize (kubectl is present) must have run beside it
    if (ROOT / ".venv" / "bin" / "vnp-postrender").exists() and "skipped" not in rows["postrender/helm-create"][2]:
        ours, peer = rows["postrender/helm-create"][2:4]
        assert not ours.startswith("FAIL"), ours
        assert not peer.startswith(("FAIL", "skipped")), peer
