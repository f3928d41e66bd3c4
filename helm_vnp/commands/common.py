"""Pieces several commands share: config flags, error exits."""
from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from helm_vnp.base.errors import VnpError
from helm_vnp.commands.output import write_output  # noqa: F401  (the commands import it here)
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
