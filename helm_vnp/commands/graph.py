"""`helm vnp graph`: who can talk to whom once the policies apply (analysis in helm_vnp.graph)."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from helm_vnp.commands.common import (
    NamespaceOpt,
    ReleaseOpt,
    SetJsonOpt,
    SetOpt,
    SetStringOpt,
    ValuesOpt,
    VnpValuesOpt,
    read_stdin,
    values_input,
    write_output,
)


def graph(
    chart: Optional[str] = typer.Argument(None, help="chart to render with `helm template`"),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    rendered: Optional[List[str]] = typer.Option(
        None, "--rendered", help="use rendered manifests instead of a chart: file, directory or '-' (repeatable)"),
    fmt: str = typer.Option("text", "--format", help="text, json, dot (Graphviz), mermaid; connlist, csv, md "
                                                     "(every allowed workload pair and address range, exact)"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write to this file (atomically)"),
) -> None:
    """Show which connections the release's NetworkPolicies (vnp's and the chart's) allow.

    Nodes are the release's workloads plus probes for the rest of the world: cluster DNS, the internet
    (IPv4, IPv6), the cloud metadata endpoint, a private address, pods outside the release.
    """
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.graph.analysis import analyse
    from helm_vnp.graph.engine.connlist import RENDERERS as ENGINE_RENDERERS
    from helm_vnp.graph.formats import RENDERERS
    from helm_vnp.release.load import LoadOptions, load_release

    try:
        formats = [*RENDERERS, *ENGINE_RENDERERS]
        if fmt not in formats:
            raise VnpError(Problem(f"unknown format {fmt!r} (expected {', '.join(formats)})", path="--format",
                                   expected=", ".join(formats)))
        rendered = rendered or []
        if (chart is None) == (not rendered):
            raise VnpError(Problem("give a CHART or --rendered PATH (one of them)"))
        values_in = read_stdin(values_input(values, sets, set_strings, set_jsons, vnp_values), rendered)
        opts = LoadOptions(chart=chart, rendered=rendered, values=values_in, namespace=namespace, release=release)
        release = load_release(opts)
        if release.config_errors:  # a graph of the defaults would show connectivity no install with this config has
            raise VnpError(release.config_errors)
        if release.invalid:  # documents nobody can read: Helm and the post-renderer refuse the stream
            raise VnpError([Problem(bad.message, file=bad.source.file or None, line=bad.source.line or None)
                            for bad in release.invalid])
        if fmt in ENGINE_RENDERERS:  # the connectivity engine: every pair, exact (helm_vnp.graph.engine)
            from helm_vnp.graph.engine import of_release
            result = of_release(release)
            for warning in result.warnings:
                sys.stderr.write(f"warning: {warning}\n")
            write_output(ENGINE_RENDERERS[fmt](result), output)
        else:
            write_output(RENDERERS[fmt](analyse(release)), output)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
