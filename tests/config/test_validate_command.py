"""`helm-vnp validate`: exit 0 valid (warnings shown as warnings), 1 invalid, 2 unreadable input."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "helm-vnp"
pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"{CLI} is not installed")


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), "validate", *args], capture_output=True, text=True,
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def test_valid_with_warnings_is_valid(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("policies:\n  centralAdmission: {}\n  networkPolicy:\n    enabled: true\n")
    proc = validate("-f", str(path))
    assert proc.returncode == 0 and proc.stdout == "valid\n"
    assert proc.stderr.startswith("warning: ") and "error" not in proc.stderr


def test_invalid_is_1_with_every_problem(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("policies:\n  podSecurityStandard: foo\n  networkPolicy:\n    enabeld: true\n")
    proc = validate("-f", str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert f"{path}:2: policies.podSecurityStandard" in proc.stderr and 'did you mean "enabled"' in proc.stderr


def test_unreadable_input_is_2(tmp_path):
    proc = validate("-f", str(tmp_path / "missing.yaml"))
    assert proc.returncode == 2 and "values file not found" in proc.stderr
