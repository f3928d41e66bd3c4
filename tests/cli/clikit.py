"""Shared by the CLI tests: the real entry points in subprocesses, with or without a terminal."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from tests.builders import deployment, dump

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HELM4 = REPO / ".tools" / "bin" / "helm4"
CLI = [sys.executable, "-m", "helm_vnp"]


def env(**extra: str) -> dict:
    out = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "HELM_NAMESPACE", "_HELM_VNP_COMPLETE")}
    out["TERM"] = "xterm"
    out.update(extra)
    return out


def run(*args: str, stdin: bytes = b"", **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, env=env(**extra), timeout=300)


def rendered(tmp_path: Path, name: str, *objs: dict) -> str:
    path = tmp_path / name
    path.write_text(dump(*objs) if objs else dump(deployment(name.split(".")[0])))
    return str(path)


def run_with_tty(args: list[str], tty_stdout: bool, tty_stderr: bool, **extra: str) -> tuple[int, bytes, bytes]:
    """Run the CLI with stdout and/or stderr on a pseudo-terminal (the other on a pipe):
    (exit code, stdout bytes, stderr bytes)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdin=subprocess.DEVNULL,
                            stdout=slave if tty_stdout else subprocess.PIPE,
                            stderr=slave if tty_stderr else subprocess.PIPE, env=env(**extra))
    os.close(slave)
    on_tty = b""
    pipe = proc.stdout if not tty_stdout else proc.stderr
    piped = b""
    streams = [master, pipe.fileno()] if pipe is not None else [master]
    while streams:
        ready, _, _ = select.select(streams, [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("the CLI wrote nothing for 60 s")
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer closed it
                chunk = b""
            if not chunk:
                streams.remove(fd)
            elif fd == master:
                on_tty += chunk
            else:
                piped += chunk
    code = proc.wait(timeout=60)
    os.close(master)
    if tty_stdout and tty_stderr:
        return code, on_tty, b""
    return (code, on_tty, piped) if tty_stdout else (code, piped, on_tty)
