"""Writing a command's output: to stdout, or to a file atomically.  Typer-free (the quick paths use it)."""
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
