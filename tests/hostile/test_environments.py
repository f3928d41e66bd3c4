"""Environments the tool must survive (issue 13, item 14): no home, closed standard streams, a reader
that leaves, Ctrl-C while blocked writing.  Each is a located message and exit 2, or correct output;
never exit 70 or a traceback.  A reader that left is exit 141 everywhere (see base/stdio.py)."""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import termios
import time
from pathlib import Path

import pytest

from tests.e2e.helmkit import DEMO_CHART, DEMO_VALUES, helm_binary

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
READER_LEFT = 141  # 128 + SIGPIPE, as a shell reports a program ended by it
pytestmark = pytest.mark.skipif(not (BIN / "helm-vnp").exists(), reason="the package is not installed in .venv")

VALUES = "policies:\n  networkPolicy:\n    enabled: true\n"
LEGACY = "isolation:\n  enabled: true\n"  # converted with a deprecation warning
STREAM = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
BIG = b"".join(b"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\ndata:\n  k: %s\n" % (i, b"v" * 200)
               for i in range(200))  # ~50 KB: more than a shrunk pipe holds
PODS = b"".join(b"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\nspec:\n  containers:\n  - name: c\n"
                b"    image: nginx\n" % i for i in range(20))  # findings enough for a report > 4 KB


def env(**extra) -> dict:
    return {"PATH": "/usr/bin:/bin", "VNP_NO_CACHE": "1", "HOME": "/tmp", **extra}


def clean(stderr: bytes) -> None:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text[-1500:]


def sh(script: str, stdin: bytes = b"", cwd: Path | None = None, **extra) -> subprocess.CompletedProcess:
    """``script`` under sh, where `<&-`, `>&-` and `2>&-` close a stream the way a caller can."""
    return subprocess.run(["sh", "-c", script], input=stdin, capture_output=True, env=env(**extra), cwd=cwd,
                          timeout=120)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "v.yaml").write_text(VALUES)
    (tmp_path / "legacy.yaml").write_text(LEGACY)
    (tmp_path / "s.yaml").write_bytes(STREAM)
    return tmp_path


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv to "
                    "run as a UID without a passwd entry")
def test_no_home_and_a_uid_without_a_passwd_entry(files):
    """Arbitrary-UID containers (an Argo CD plugin sidecar): HOME unset, getpwuid fails. The cache is
    off (no home to put it in), everything else works."""
    base = ["setpriv", "--reuid", "54321", "--regid", "54321", "--clear-groups"]
    os.chmod(files, 0o755)
    probe = [str(BIN / "python"), "-c", f"open({str(BIN / 'vnp-postrender')!r}).close()"]
    if subprocess.run(base + probe, env={"PATH": "/usr/bin:/bin"}, capture_output=True).returncode:
        pytest.skip(f"UID 54321 cannot read {BIN} (a parent directory is private, e.g. mktemp -d's 0700): the "
                    "checkout must be readable by other users for this test")
    for argv in ([str(BIN / "vnp-postrender"), "--release", "r", "-f", "v.yaml"],
                 [str(BIN / "helm-vnp"), "validate", "-f", "v.yaml"],
                 [str(BIN / "helm-vnp"), "lint", "--rendered", "s.yaml", "-f", "v.yaml"]):
        proc = subprocess.run(base + argv, input=STREAM, capture_output=True, cwd=files, timeout=120,
                              env={"PATH": "/usr/bin:/bin"})
        clean(proc.stderr)
        assert proc.returncode == 0, (argv, proc.stderr.decode())
    assert sorted(p.name for p in files.iterdir()) == ["legacy.yaml", "s.yaml", "v.yaml"]  # nothing written here


def test_closed_stdin_is_a_located_error(files):
    pr = sh(f"{BIN}/vnp-postrender --release r -f v.yaml <&-", cwd=files)
    clean(pr.stderr)
    assert pr.returncode == 2 and pr.stdout == b"" and b"standard input is closed" in pr.stderr
    lint = sh(f"{BIN}/helm-vnp lint --rendered - <&-", cwd=files)
    clean(lint.stderr)
    assert lint.returncode == 2 and b"--rendered -" in lint.stderr and b"standard input is closed" in lint.stderr
    # a command that does not read stdin does not care
    assert sh(f"{BIN}/helm-vnp validate -f v.yaml <&-", cwd=files).returncode == 0


def test_closed_stdout_is_an_error_not_a_traceback(files):
    for cmd in (f"{BIN}/vnp-postrender --release r -f v.yaml < s.yaml", f"{BIN}/helm-vnp lint --rendered s.yaml",
                f"{BIN}/helm-vnp generate -f v.yaml --release r"):
        proc = sh(cmd + " >&-", cwd=files)
        clean(proc.stderr)
        assert proc.returncode == 2 and b"standard output is closed" in proc.stderr, (cmd, proc.stderr.decode())
    # -o FILE never needed stdout
    proc = sh(f"{BIN}/helm-vnp lint --rendered s.yaml -o report.txt >&-", cwd=files)
    assert proc.returncode == 0 and (files / "report.txt").exists()


def test_closed_stderr_with_a_pending_warning_keeps_the_output(files):
    """The deprecation warning cannot be shown; the output and exit code still stand."""
    with_stderr = sh(f"{BIN}/vnp-postrender --release r -f legacy.yaml < s.yaml", cwd=files)
    assert with_stderr.returncode == 0 and b"deprecated" in with_stderr.stderr
    for cmd in (f"{BIN}/vnp-postrender --release r -f legacy.yaml < s.yaml",
                f"{BIN}/helm-vnp generate -f legacy.yaml --release r"):
        proc = sh(cmd + " 2>&-", cwd=files)
        assert proc.returncode == 0 and b"kind: NetworkPolicy" in proc.stdout, cmd
    assert sh(f"{BIN}/vnp-postrender --release r -f legacy.yaml < s.yaml 2>&-", cwd=files).stdout == with_stderr.stdout


def small_pipe() -> tuple[int, int]:
    """A pipe that holds one page, so a writer of more blocks (or meets a reader that left)."""
    r, w = os.pipe()
    fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
    return r, w


def reader_leaves(argv: list[str], stdin: bytes = b"", cwd: Path | None = None, **extra) -> subprocess.Popen:
    """`ARGV | head -c 10`: read a little, close the pipe, wait."""
    r, w = small_pipe()
    with tempfile.TemporaryFile() as given:
        given.write(stdin)
        given.seek(0)
        proc = subprocess.Popen(argv, stdin=given, stdout=w, stderr=subprocess.PIPE, env=env(**extra), cwd=cwd)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        assert len(reader.read(10)) == 10
    _out, err = proc.communicate(timeout=120)
    proc.stderr_bytes = err
    return proc


def test_a_reader_that_left_is_141_not_a_finding(files):
    """`lint | head -1` exited 1 (the findings code): a broken pipe is not a finding. 141 everywhere."""
    (files / "pods.yaml").write_bytes(PODS)
    for argv, stdin in (([str(BIN / "vnp-postrender"), "--release", "r", "-f", "v.yaml"], BIG),
                        ([str(BIN / "helm-vnp"), "lint", "--rendered", "pods.yaml", "--format", "json"], b""),
                        ([str(BIN / "helm-vnp"), "generate", "-f", "v.yaml", "--release", "r",
                          "--set", "policies.networkPolicy.annotations.a=" + "x" * 8000], b"")):
        proc = reader_leaves(argv, stdin, cwd=files)
        assert proc.stderr_bytes == b"", (argv, proc.stderr_bytes.decode())
        assert proc.returncode == READER_LEFT, argv


@pytest.mark.xfail(strict=False, reason="racy (seen 0 once): Helm can finish writing before the reader leaves")
def test_template_wrapper_whose_reader_left_is_141(tmp_path):
    """Helm itself dies of SIGPIPE: the wrapper reported 256-13 = 243; now 128+13, as a shell does."""
    helm = helm_binary(4)
    homes = {f"HELM_{h}_HOME": str(tmp_path / h.lower()) for h in ("DATA", "CONFIG", "CACHE")}
    proc = reader_leaves([str(BIN / "helm-vnp"), "template", "shop", str(DEMO_CHART), "-f", str(DEMO_VALUES)],
                         HELM_BIN=str(helm), **homes)
    clean(proc.stderr_bytes)
    assert proc.returncode == READER_LEFT, proc.stderr_bytes.decode()


def test_ctrl_c_while_blocked_writing(files):
    """SIGINT while the reader is not reading: exit 130, a word on stderr, no traceback."""
    for argv, stdin in (([str(BIN / "vnp-postrender"), "--release", "r", "-f", "v.yaml"], BIG),
                        ([str(BIN / "helm-vnp"), "generate", "-f", "v.yaml", "--release", "r",
                          "--set", "policies.networkPolicy.annotations.a=" + "x" * 8000], b"")):
        r, w = small_pipe()
        with tempfile.TemporaryFile() as given:
            given.write(stdin)
            given.seek(0)
            proc = subprocess.Popen(argv, stdin=given, stdout=w, stderr=subprocess.PIPE, env=env(), cwd=files)
        os.close(w)
        buf = bytearray(4)
        while True:  # until output is waiting and the writer sleeps: it is blocked in write() (input was all read)
            fcntl.ioctl(r, termios.FIONREAD, buf)
            if int.from_bytes(buf, "little") > 0 and Path(f"/proc/{proc.pid}/stat").read_text().split()[2] == "S":
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        with os.fdopen(r, "rb") as reader:
            reader.read()
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130, err.decode()
        clean(err)
        assert b"interrupted" in err


def test_output_keeps_the_mode_of_the_file_it_replaces(files):
    """--output onto a 0600 file left a 0644 one (the report can hold names the owner keeps private)."""
    report = files / "report.txt"
    report.write_text("old")
    os.chmod(report, 0o600)
    proc = sh(f"{BIN}/helm-vnp lint --rendered s.yaml -o report.txt", cwd=files)
    assert proc.returncode == 0, proc.stderr.decode()
    assert report.read_text() != "old" and (report.stat().st_mode & 0o777) == 0o600
