"""The standard streams as the entry points need them, whatever the process was started with.

A stream closed at start (``<&-``, ``>&-``, ``2>&-``: arbitrary daemons and CI runners do it) leaves
Python a ``None`` and a free file descriptor, which the next file vnp opens would take: a cache entry
read as the rendered stream, or a temp file a Helm child writes its output into.  ``guard`` puts
/dev/null on each closed descriptor and a stream that fails where it must: reading a closed stdin or
writing a closed stdout raises ``OSError(EBADF)`` (the commands report it, exit 2); a closed or
broken stderr drops messages and never costs the output or the exit code.  A reader that left
(``| head``) is ``ReaderLeft``, not an error: the entry points exit ``READER_LEFT`` (141, what a
shell shows for a program ended by SIGPIPE, as `yes | head` and Helm itself end), distinct from the
findings (1) and error (2) codes, and not 0 because the output was not all delivered.
"""
from __future__ import annotations

import errno
import io
import os
import sys

READER_LEFT = 141  # 128 + SIGPIPE


class ReaderLeft(Exception):
    """Standard output's reader closed the pipe; nothing more can be delivered.  Deliberately not an
    OSError: Click turns an EPIPE OSError into exit 1, the code of a finding."""


class _Closed(io.TextIOBase):
    """A standard stream that was closed at start: every read or write fails with EBADF."""

    def __init__(self, what: str):
        self._what = what

    def _fail(self, *_args, **_kwargs):
        raise OSError(errno.EBADF, f"standard {self._what} is closed")

    read = readline = readlines = write = writelines = fileno = _fail

    @property
    def buffer(self):  # .buffer.read()/.write() fail the same way
        return self

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        pass


class _Out:
    """stdout: a broken pipe becomes ReaderLeft (also through ``.buffer``)."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    @property
    def buffer(self):
        return _Out(self._stream.buffer)

    def write(self, data):
        try:
            return self._stream.write(data)
        except BrokenPipeError as exc:
            raise ReaderLeft() from exc

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        try:
            self._stream.flush()
        except BrokenPipeError as exc:
            raise ReaderLeft() from exc


class _Err:
    """stderr: a message that cannot be shown is dropped; the output and the exit code still stand."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def write(self, text):
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass


CLOSED: set[int] = set()  # the standard descriptors that were closed at start (see close_in_child)


def guard() -> None:
    """Make the three standard streams safe to use (see the module docstring); idempotent."""
    for fd, name, what in ((0, "stdin", "input"), (1, "stdout", "output"), (2, "stderr", "error")):
        stream = getattr(sys, name)
        if stream is None:
            CLOSED.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            stream = _Closed(what) if fd < 2 else open(os.devnull, "w", encoding="utf-8")
        if name == "stderr":
            try:
                stream.reconfigure(errors="backslashreplace")  # a lone surrogate in a message must not lose it
            except (AttributeError, ValueError):
                pass
        if name == "stdout" and not isinstance(stream, (_Out, _Closed)):
            stream = _Out(stream)
        elif name == "stderr" and not isinstance(stream, _Err):
            stream = _Err(stream)
        setattr(sys, name, stream)


def close_in_child() -> None:
    """``preexec_fn`` for a child (Helm) that must see the standard streams as vnp was given them:
    closed ones closed, not /dev/null (a closed stdout is an error for `helm template`, not silence)."""
    for fd in CLOSED:
        os.close(fd)


def child_preexec():
    """``close_in_child`` when a standard stream was closed at start, else None (no preexec_fn)."""
    return close_in_child if CLOSED else None


def reader_left() -> int:
    """After ReaderLeft: silence stdout (the exit flush would fail again) and return READER_LEFT."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
    return READER_LEFT
