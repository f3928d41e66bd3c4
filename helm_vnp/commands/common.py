"""Pieces several commands share: config flags, error exits."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional, Sequence

import typer

from helm_vnp.base.errors import VnpError

if TYPE_CHECKING:  # imported where used: every command line loads this module
    from helm_vnp.config.values_input import ValuesInput

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


def values_input(files: Optional[list[str]], sets: Optional[list[str]], set_strings: Optional[list[str]],
                 set_jsons: Optional[list[str]], vnp_files: Optional[list[str]] = None,
                 env: bool = True) -> ValuesInput:
    """The values flags of a command as one ValuesInput (typer gives None for a flag not given);
    standard input is not read yet (see ``read_stdin``)."""
    from helm_vnp.config.values_input import ValuesInput

    return ValuesInput(files or [], sets or [], set_strings or [], set_jsons or [], vnp_files or [], env=env)


def read_stdin(values: ValuesInput, rendered: Sequence[str] = ()) -> ValuesInput:
    """Read standard input into ``values.stdin`` when `-` is a -f file or a --rendered path (both read
    the same bytes), and the values files that can be read only once into ``values.once`` (a pipe:
    the config and ``helm template`` both read them); returns ``values``."""
    from helm_vnp.base.errors import Problem
    from helm_vnp.config.sources import TooLarge, read_limited

    if values.reads_stdin or "-" in rendered:
        try:  # only values: a rendered stream has no such limit
            values.stdin = sys.stdin.buffer.read() if "-" in rendered else read_limited(sys.stdin.buffer)
        except TooLarge as exc:
            raise VnpError(Problem(f"standard input is {exc.strerror}", path="-f -"))
        except OSError as exc:  # closed at start (see base.stdio)
            raise VnpError(Problem(f"cannot read standard input: {exc.strerror or exc}",
                                   path="--rendered -" if "-" in rendered else "-f -"))
    values.read_once()
    return values


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
