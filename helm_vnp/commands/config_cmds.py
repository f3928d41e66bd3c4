"""`generate`, `validate`, `schema`: the config and what it turns into, without a chart."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.commands.common import (
    NamespaceOpt,
    SetJsonOpt,
    SetOpt,
    SetStringOpt,
    ValuesOpt,
    fail,
    namespace_or_env,
    read_stdin,
    values_input,
)


def generate(values: Optional[List[str]] = ValuesOpt, set_: Optional[List[str]] = SetOpt,
             set_string: Optional[List[str]] = SetStringOpt, set_json: Optional[List[str]] = SetJsonOpt,
             release: str = typer.Option(..., "--release", help="release name"),
             namespace: Optional[str] = NamespaceOpt,
             check: Optional[str] = typer.Option(
                 None, "--check", metavar="FILE",
                 help="compare FILE with what would be printed: exit 0 when it is current, 1 (with a diff) when "
                      "not, 2 on bad input; prints nothing else")) -> None:
    """Print only the objects vnp would add for this config (for review, GitOps and docs).

    With --check FILE: say whether FILE (committed output of this command) is current.
    """
    from helm_vnp.base.yamldump import dump_all
    from helm_vnp.config import load_config
    from helm_vnp.generate import generate_all
    from helm_vnp.helm import check_release_name

    try:
        check_release_name(release)
        # generate and validate read only the flags given, not $VNP_VALUES
        loaded = load_config(read_stdin(values_input(values, set_, set_string, set_json, env=False)))
        ns = namespace_or_env(namespace)
        # mapServices against an empty release: fromHost Services and egress (ports only when the entry names
        # them); a fromVirtual entry needs the release's Service, so it is refused here as the render would
        from helm_vnp.generate.mapservices import plan
        mapping = plan(loaded.policies, release, ns, [], set())
        if mapping.unapplied:
            raise VnpError([Problem(u.message, path=u.path, hint=u.hint or None) for u in mapping.unapplied])
        objs = generate_all(loaded.policies, release, ns, [], extra_egress=mapping.egress)
        objs += mapping.policies + mapping.services
    except VnpError as exc:
        raise fail(exc)
    for w in loaded.warnings:
        sys.stderr.write("warning: " + w.render() + "\n")
    text = dump_all(objs)
    if check is None:
        sys.stdout.write(text)
        return
    raise typer.Exit(_check_current(check, text))


def _check_current(path: str, text: str) -> int:
    """0 when the file holds ``text`` exactly, else 1 with a unified diff (file -> now) on stdout; 2 unreadable."""
    import difflib

    try:
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 * 1024 + 1)
    except OSError as exc:
        raise fail(VnpError(Problem(f"cannot read {path}: {exc.strerror or exc}", path="--check",
                                    expected="a file holding the output of `helm vnp generate`")))
    try:
        committed = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(VnpError(Problem(f"{path} is not UTF-8 text (byte {exc.start})", path="--check")))
    if committed == text:
        return 0
    diff = difflib.unified_diff(committed.splitlines(keepends=True), text.splitlines(keepends=True),
                                fromfile=f"{path} (committed)", tofile=f"{path} (generated now)")
    for line in diff:
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    sys.stderr.write(f"{path} is not current: regenerate it with the same `helm vnp generate` flags, "
                     "without --check, and commit it\n")
    return 1


def validate(values: Optional[List[str]] = ValuesOpt, set_: Optional[List[str]] = SetOpt,
             set_string: Optional[List[str]] = SetStringOpt, set_json: Optional[List[str]] = SetJsonOpt,
             verbose: bool = typer.Option(False, "--verbose", "-v", help="also say on stderr what was checked")
             ) -> None:
    """Validate the `policies:` config: every problem at once; exit 0 valid, 1 invalid, 2 unreadable input."""
    from helm_vnp.commands.values_flags import validate_values

    raise typer.Exit(validate_values(values or [], set_ or [], set_string or [], set_json or [], verbose))


def schema() -> None:
    """Print the JSON Schema of the `policies:` block (for editors: yaml-language-server)."""
    from helm_vnp.config import schema_text

    sys.stdout.write(schema_text())
