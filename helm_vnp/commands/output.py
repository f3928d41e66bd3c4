"""Writing a command's output: to stdout, or to a file atomically; colour and the progress line, only on a terminal.
Typer-free (the quick paths use it)."""
from __future__ import annotations

import os
import sys
from typing import Optional


def write_output(text, output: Optional[str]) -> None:
    """To stdout, or to ``output`` atomically (temp file in the same directory, then rename).  ``text``: a
    string, or an iterable of strings written as they come (a report too large to hold whole)."""
    chunks = [text] if isinstance(text, str) else text
    if output is None or output == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    import stat
    import tempfile

    from helm_vnp.base.errors import Problem, VnpError

    output = os.path.realpath(output)  # a symlink: write its target, keep the link
    try:
        mode = os.stat(output).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):  # a FIFO, a device: write to it, never replace it
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.writelines(chunks)
        except OSError as exc:
            raise VnpError(Problem(f"cannot write the report: {exc.strerror or exc}", file=output, path="--output"))
        return
    directory = os.path.dirname(output)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".vnp-lint-", dir=directory)
    except OSError as exc:
        raise VnpError(Problem(f"cannot write the report: {exc.strerror or exc}", file=output, path="--output"))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(chunks)
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())  # a 0600 report stays 0600
        os.replace(tmp, output)
    except BaseException as exc:  # an error, or SIGINT/SIGTERM (see cli.main) mid-write: leave nothing behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        raise VnpError(Problem(f"cannot write the report: {exc.strerror or exc}", file=output, path="--output"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Progress:
    """`[####------] 3/10 charts/web` on stderr, rewritten in place: only on a terminal (not a pipe, not
    TERM=dumb), cleared when done; no colour, no escape sequence."""

    def __init__(self, total: int, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.on = total > 1 and progress_ok(self.stream)
        self.width = 0

    def __enter__(self):
        if self.on:
            self._show(0, "")
        return self

    def step(self, finished: int, total: int, name: str) -> None:
        if self.on:
            self._show(finished, name)

    def _show(self, finished: int, name: str) -> None:
        filled = 20 * finished // self.total
        text = f"[{'#' * filled}{'-' * (20 - filled)}] {finished}/{self.total} {name}"[:79]
        self.stream.write("\r" + text.ljust(self.width))
        self.width = max(self.width, len(text))
        self.stream.flush()

    def __exit__(self, *exc) -> None:
        if self.on and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def colour_ok(stream) -> bool:
    """Colour: on a terminal, TERM not dumb, NO_COLOR unset or empty (https://no-color.org)."""
    return progress_ok(stream) and not os.environ.get("NO_COLOR")


def progress_ok(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
