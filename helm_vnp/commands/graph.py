"""`helm vnp graph` and `helm vnp explain`: who can talk to whom once the policies apply, and why
(analysis in helm_vnp.graph)."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from helm_vnp.commands.common import (
    NamespaceOpt,
    NoGeneratedOpt,
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

RenderedOpt = typer.Option(
    None, "--rendered", help="use rendered manifests instead of a chart: file, directory or '-' (repeatable)")
ClusterOpt = typer.Option(
    None, "--cluster-policies", help="the rest of the cluster: AdminNetworkPolicies, the BaselineAdminNetworkPolicy, "
    "NetworkPolicies, Namespaces, other workloads (file, directory or '-'; repeatable); not part of the release")


def cluster_objects(paths, namespace):
    """The ``--cluster-policies`` objects as extra releases for the engine (none: []).  `-` reads standard
    input, which ``_scene`` made sure nothing else reads."""
    if not paths:
        return []
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.release.load import load_cluster
    stdin = None
    if "-" in paths:
        try:
            stdin = sys.stdin.buffer.read()
        except OSError as exc:
            raise VnpError(Problem(f"cannot read standard input: {exc.strerror or exc}", path="--cluster-policies -"))
    return [load_cluster(paths, stdin, namespace)]


def _scene(chart, values, vnp_values, sets, set_strings, set_jsons, namespace, release, rendered, whole=True,
           cluster=()):
    """The releases (and the rest of the cluster) to analyse, or VnpError (config errors, unreadable
    documents, neither or both inputs).  ``whole`` False: one release, as lint reads it (a stream of several
    is refused unless ``--release`` picks one)."""
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.release.load import LoadOptions

    rendered = rendered or []
    if (chart is None) == (not rendered):
        raise VnpError(Problem("give a CHART or --rendered PATH (one of them)"))
    values_in = values_input(values, sets, set_strings, set_jsons, vnp_values)
    if "-" in cluster and ("-" in rendered or values_in.reads_stdin):
        raise VnpError(Problem("standard input ('-') can be read once: give it to --cluster-policies or to "
                               "--rendered/-f, not both", path="--cluster-policies"))
    values_in = read_stdin(values_in, rendered)
    opts = LoadOptions(chart=chart, rendered=rendered, values=values_in, namespace=namespace, release=release)
    return checked_scene(opts, whole)


def checked_scene(opts, whole: bool = True):
    """``load_scene`` (or one release when not ``whole``), refused (VnpError) when the config is invalid or a
    document cannot be read; a list of workloads (a cluster's export) is read with a warning."""
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.release.load import Scene, load_release, load_scene

    scene = load_scene(opts) if whole else Scene([load_release(opts)])
    first = scene.releases[0]
    if first.config_errors:  # a graph of the defaults would show connectivity no install with this config has
        raise VnpError(first.config_errors)
    refused = [bad for bad in first.invalid if not (whole and bad.listed)]
    if refused:  # documents nobody can read: Helm and the post-renderer refuse the stream
        raise VnpError([Problem(bad.message, file=bad.source.file or None, line=bad.source.line or None)
                        for bad in refused])
    for bad in first.invalid:  # a list of workloads (a cluster's export): its items are read as objects
        where = f"{bad.source.file}:{bad.source.line}: " if bad.source.file else ""
        sys.stderr.write(f"warning: {where}{bad.message}; its items are analysed as objects (`kubectl get -o yaml` "
                         "prints lists), but the post-renderer refuses such a list in a release\n")
    return scene


def graph(
    chart: Optional[str] = typer.Argument(None, help="chart to render with `helm template`"),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    rendered: Optional[List[str]] = RenderedOpt,
    no_generated: bool = NoGeneratedOpt,
    cluster: Optional[List[str]] = ClusterOpt,
    fmt: str = typer.Option("text", "--format", help="text, json, dot (Graphviz), mermaid; connlist, csv, md "
                                                     "(every allowed workload pair and address range, exact); "
                                                     "html (one offline page: matrix, graph, detail, filter)"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write to this file (atomically)"),
) -> None:
    """Show which connections the release's NetworkPolicies (vnp's and the chart's) allow.

    text, json, dot and mermaid: the release's workloads plus probes for the rest of the world (cluster DNS,
    the internet over IPv4 and IPv6, the cloud metadata endpoint, a private address, pods outside the release).
    connlist (netpol-analyzer's `list` format), csv and md: every allowed pair of workloads and every allowed
    workload/address range, with the exact ports.
    """
    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.commands.output import Progress
    from helm_vnp.connectivity.connlist import RENDERERS as ENGINE_RENDERERS
    from helm_vnp.graph.analysis import analyse
    from helm_vnp.graph.formats import RENDERERS

    try:
        formats = [*RENDERERS, *ENGINE_RENDERERS]
        if fmt not in formats:
            raise VnpError(Problem(f"unknown format {fmt!r} (expected {', '.join(formats)})", path="--format",
                                   expected=", ".join(formats)))
        if no_generated and fmt not in ENGINE_RENDERERS:
            raise VnpError(Problem(f"--no-generated needs an exact format ({', '.join(ENGINE_RENDERERS)}): "
                                   f"--format {fmt} judges the release as installed", path="--no-generated"))
        with Progress(2) as progress:  # a large graph takes seconds: its steps on a terminal's stderr (cleared)
            progress.step(0, 2, "reading and post-rendering")
            scene = _scene(chart, values, vnp_values, sets, set_strings, set_jsons, namespace, release, rendered,
                           whole=fmt in ENGINE_RENDERERS, cluster=cluster or [])
            extra = cluster_objects(cluster, namespace)
            pods = sum(len(r.pods) for r in [*scene.releases, *([scene.context] if scene.context else []), *extra])
            progress.step(1, 2, f"connectivity of {pods:,} pod templates")
            if fmt in ENGINE_RENDERERS:  # the connectivity engine: every pair, exact (helm_vnp.connectivity)
                from helm_vnp.connectivity import of_scene
                result = of_scene(scene.releases, scene.context, extra=extra, generated=not no_generated)
            else:  # one release against probes for the rest of the world
                analysis = analyse(scene.releases[0], extra)
        if fmt in ENGINE_RENDERERS:
            for warning in result.warnings:
                sys.stderr.write(f"warning: {warning}\n")
            from helm_vnp.connectivity.connlist import STREAMS
            write_output((STREAMS.get(fmt) or ENGINE_RENDERERS[fmt])(result), output)
        else:
            write_output(RENDERERS[fmt](analysis), output)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)


def explain(
    src: str = typer.Argument(..., help="source: a workload (ns/name[Kind], ns/name or name) or an IP address"),
    dst: str = typer.Argument(..., help="destination: a workload or an IP address"),
    chart: Optional[str] = typer.Argument(None, help="chart to render with `helm template`"),
    port: Optional[str] = typer.Option(None, "--port", help="PORT[/PROTOCOL] to decide (TCP when not given)"),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    rendered: Optional[List[str]] = RenderedOpt,
    no_generated: bool = NoGeneratedOpt,
    cluster: Optional[List[str]] = ClusterOpt,
    fmt: str = typer.Option("text", "--format", help="text or json"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write to this file (atomically)"),
) -> None:
    """Explain whether SRC may connect to DST: on each side, which policies select the pod and which rule (or
    the absence of one) decides.  Exit code 0 when allowed, 1 when denied, 2 on bad input."""
    import json

    from helm_vnp.base.errors import Problem, VnpError
    from helm_vnp.connectivity import of_scene
    from helm_vnp.connectivity.explain import NotFound
    from helm_vnp.connectivity.explain import explain as explain_pair

    try:
        if fmt not in ("text", "json"):
            raise VnpError(Problem(f"unknown format {fmt!r} (expected text, json)", path="--format",
                                   expected="text, json"))
        scene = _scene(chart, values, vnp_values, sets, set_strings, set_jsons, namespace, release, rendered,
                       cluster=cluster or [])
        result = of_scene(scene.releases, scene.context, extra=cluster_objects(cluster, namespace),
                          generated=not no_generated)
        try:
            answer = explain_pair(result, src, dst, port)
        except NotFound as exc:
            raise VnpError(Problem(str(exc)))
        for warning in result.warnings:
            sys.stderr.write(f"warning: {warning}\n")
        if fmt == "text":
            text = answer.text()
        else:  # with its schema version (helm_vnp/connectivity/schemas/explain.schema.json)
            from helm_vnp.connectivity.outputs import SCHEMA_VERSIONS
            text = json.dumps({"schemaVersion": SCHEMA_VERSIONS["explain"], **answer.as_json()}, indent=2) + "\n"
        write_output(text, output)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    if not answer.allowed:
        raise typer.Exit(1)
