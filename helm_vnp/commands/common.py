"""Pieces several commands share: config flags, error exits."""
from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from helm_vnp.base.errors import VnpError
from helm_vnp.commands.values_flags import read_stdin, values_input  # noqa: F401  (the commands import them here)

ValuesOpt = typer.Option(None, "--values", "-f",
                         help="values file (repeatable; '-' for stdin); its `policies:` block is the config")
VnpValuesOpt = typer.Option(None, "--vnp-values", help="values file read by vnp only, never given to helm "
                            "(charts whose values.schema.json refuses `policies`); repeatable")
SetOpt = typer.Option(None, "--set", help="set a value like Helm: a.b=c, a[0].b=c, a=b,c=d (repeatable)")
SetStringOpt = typer.Option(None, "--set-string", help="like --set, values are always strings (repeatable)")
SetJsonOpt = typer.Option(None, "--set-json", help="like --set, values are JSON (repeatable)")
ReleaseOpt = typer.Option(None, "--release", help="release name (labels and object names carry it)")
NamespaceOpt = typer.Option(None, "--namespace", "-n", help="release namespace (default: $HELM_NAMESPACE)")


def namespace_or_env(namespace: Optional[str]) -> Optional[str]:
    return namespace or os.environ.get("HELM_NAMESPACE") or None


def fail(exc: VnpError) -> "typer.Exit":
    sys.stderr.write(exc.render() + "\n")
    return typer.Exit(2)


NoGeneratedOpt = typer.Option(False, "--no-generated",
                              help="leave vnp's generated objects out: what the chart's own policies do")


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
