"""Failures and warnings reach the user through the real Helm, though Helm 4 discards a
post-renderer's stderr (vnp also writes to helm's own stderr, /proc/$PPID/fd/2: here a pipe)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helmkit import HOOKS_CHART

HOOKS_VALUES = Path(__file__).parent / "values-hooks.yaml"
BAD = "policies:\n  networkPolicy:\n    enabled: maybe\n"
MESSAGE = 'bad.yaml:3: policies.networkPolicy.enabled: expected true or false, got the string "maybe"'


@pytest.fixture
def bad_values(tmp_path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    return path


def test_bare_postrenderer_failure_is_visible(helm, bad_values):
    proc = helm.run("template", "app", HOOKS_CHART, "-f", HOOKS_VALUES, "--post-renderer", helm.postrenderer,
                    "--post-renderer-args=-f", f"--post-renderer-args={bad_values}",
                    "--post-renderer-args=--release=app", check=False)
    err = proc.stderr.decode()
    assert proc.returncode != 0
    assert b"kind:" not in proc.stdout  # nothing rendered, not even a part
    assert f"{bad_values.parent}/{MESSAGE}" in err, err
    assert "Error: error while running post render" in err
    if helm.major >= 4:  # vnp's line comes before Helm's own error
        assert err.index(MESSAGE) < err.index("Error:")


@pytest.mark.parametrize("command", ["template", "install", "upgrade"])
def test_wrapper_validates_before_helm_runs(helm, bad_values, command):
    """A missing chart proves it: had Helm run, it would complain about the chart."""
    proc = helm.run("vnp", command, "app", helm.home / "no-such-chart", "-f", bad_values, "--dry-run=client",
                    check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert MESSAGE in err and "no-such-chart" not in err and "Traceback" not in err


def test_wrapper_refuses_its_own_flags(helm):
    proc = helm.run("vnp", "template", "app", HOOKS_CHART, "--post-renderer", "x", check=False)
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"--post-renderer is set by helm vnp itself" in proc.stderr


def test_bad_release_name_is_refused_before_helm_runs(helm):
    proc = helm.run("vnp", "template", "App_1", helm.home / "no-such-chart", check=False)
    assert proc.returncode == 2 and proc.stdout == b""
    assert b"invalid release name 'App_1'" in proc.stderr


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapper"])
def test_label_warning_for_a_plain_job_reaches_the_terminal(helm, wrapped):
    """A non-hook Job's template is immutable: the user must hear that it gets the label.
    Helm 3 and 4 both drop a successful post-renderer's stderr: the post-renderer writes to its
    parent helm's stderr itself (Linux), so the warning shows on both, bare or wrapped."""
    common = [HOOKS_CHART, "-f", HOOKS_VALUES, "--set", "plainJob.enabled=true", "-n", "team-a"]
    if wrapped:
        proc = helm.run("vnp", "template", "app", *common)
    else:
        proc = helm.run("template", "app", *common, "--post-renderer", helm.postrenderer,
                        "--post-renderer-args=-f", f"--post-renderer-args={HOOKS_VALUES}",
                        "--post-renderer-args=--release=app")
    warned = b"warning: Job app-once: its pod template gets the vnp.helm-plugin.io/release label" in proc.stderr
    assert warned, proc.stderr.decode()
    assert proc.stderr.count(b"app-once") <= 1  # said once, not twice
