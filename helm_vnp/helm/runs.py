"""A command started now and read later (``Started``): ``helm_vnp.helm.template`` and ``helm_major`` run Helm
through it whether they read at once or later (``helm_vnp.helm.ahead``).  Standard library only."""
from __future__ import annotations

import os
import subprocess


class Started:
    """``args`` running (stdin closed, stdout and stderr captured); ``finish`` waits and reads them.  A command
    that could not be started keeps its ``OSError`` for ``finish`` to raise; ``cleanup`` runs after it ends
    (a private directory of values files)."""

    def __init__(self, args: list[str], cleanup=None):
        self.args = args
        self._cleanup = cleanup
        self._error: OSError | None = None
        try:
            self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE)
        except OSError as exc:
            self._proc, self._error = None, exc
            self._done()

    def finish(self, timeout: float) -> tuple[int, bytes, bytes]:
        """(exit status, stdout, stderr).  Raises the start's ``OSError``, or ``subprocess.TimeoutExpired``
        after ``timeout`` seconds (the command is killed)."""
        if self._proc is None:
            raise self._error
        try:
            out, err = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()
            raise
        finally:
            self._done()
        return self._proc.returncode, out, err

    def _done(self) -> None:
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
