"""The values flags (-f, --set, --set-string, --set-json, --vnp-values) as one ValuesInput, and standard input
read once: without Typer, so the quick paths of ``helm_vnp.cli`` can use them too."""
from __future__ import annotations

import sys

from helm_vnp.base.errors import VnpError

TYPE_CHECKING = False  # typing's, without importing typing on every start (type checkers read the name)
if TYPE_CHECKING:
    from typing import Optional, Sequence

    from helm_vnp.config.values_input import ValuesInput


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


def validate_values(files: list[str], sets: list[str], set_strings: list[str], set_jsons: list[str],
                    verbose: bool = False) -> int:
    """`helm vnp validate`: every problem at once on stderr; 0 valid ("valid" on stdout), 1 invalid,
    2 unreadable input; ``verbose``: what was checked and how long it took, on stderr.  Typer-free:
    ``helm_vnp.cli`` calls it directly for plain flags."""
    import time

    from helm_vnp.config import check_values

    start = time.perf_counter()

    try:  # standard input and pipes first: whether they can be read is known once they are read
        # generate and validate read only the flags given, not $VNP_VALUES
        values_in = read_stdin(values_input(files, sets, set_strings, set_jsons, env=False))
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        return 2
    unreadable = values_in.unreadable()
    if unreadable:
        sys.stderr.write(VnpError(unreadable).render() + "\n")
        return 2
    loaded, problems = check_values(values_in)
    if loaded is None:  # invalid: problems are errors
        sys.stderr.write(VnpError(problems).render() + "\n")
        return 1
    for w in loaded.warnings:  # valid: problems are only warnings (ignored keys, legacy layouts)
        sys.stderr.write("warning: " + w.render() + "\n")
    sys.stdout.write("valid\n")
    if verbose:
        flags = len(sets) + len(set_strings) + len(set_jsons)
        sys.stderr.write(f"checked {len(files)} values file{'' if len(files) == 1 else 's'}"
                         + (f" ({', '.join(files)})" if files else "") + f" and {flags} --set flag"
                         + ("" if flags == 1 else "s") + f" against the policies schema in "
                         f"{time.perf_counter() - start:.3f} s\n")
    return 0


VALIDATE_FLAGS = {"-f": 0, "--values": 0, "--set": 1, "--set-string": 2, "--set-json": 3}


def plain_validate_flags(argv: list[str]) -> Optional[tuple[list[list[str]], bool]]:
    """``argv`` (after `validate`) as ([files, sets, set_strings, set_jsons], verbose) when it holds only these
    flags in their two plain forms (``--flag VALUE``, ``--flag=VALUE``; ``-f VALUE``) and -v/--verbose; None for
    anything else (help, a typo, ``-fVALUE``, ``--``): Typer parses those, with its messages."""
    out: list[list[str]] = [[], [], [], []]
    verbose = False
    i = 0
    while i < len(argv):
        if argv[i] in ("-v", "--verbose"):
            verbose, i = True, i + 1
            continue
        name, eq, value = argv[i].partition("=")
        if name not in VALIDATE_FLAGS or (eq and name == "-f"):
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
        out[VALIDATE_FLAGS[name]].append(value)
        i += 1
    return out, verbose
