"""`helm vnp diff OLD NEW`: the connections an upgrade adds and removes (comparison in
helm_vnp.connectivity.diff)."""
from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from helm_vnp.base.errors import VnpError
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
from helm_vnp.commands.graph import ClusterOpt, checked_scene, cluster_objects

FORMATS = ("text", "json", "connlist", "csv", "md")
CHART_ARCHIVES = (".tgz", ".tar.gz")
REMOTE_CHART = ("oci://", "http://", "https://")
EXPECTED = "a chart (a directory with Chart.yaml, a .tgz), rendered manifests (a file or a directory) or '-'"


def is_chart(path: str) -> bool:
    """A chart: a directory holding Chart.yaml, a packaged chart (.tgz), or a chart URL (oci://, https://);
    anything else is rendered manifests."""
    if path.startswith(REMOTE_CHART):
        return True
    if os.path.isdir(path):
        return os.path.isfile(os.path.join(path, "Chart.yaml"))
    return path.endswith(CHART_ARCHIVES) and os.path.isfile(path)


def _side_problem(label: str, path: str):
    from helm_vnp.base.errors import Problem

    if path == "-" or path.startswith(REMOTE_CHART) or os.path.exists(path):
        return None
    return Problem("no such file or directory", file=path, path=label, expected=EXPECTED,
                   hint="a chart from a repository: `helm pull REPO/CHART` first, then name the .tgz")


class SideError(VnpError):
    """An input error of one side: rendered after the side's name (``error: OLD (./chart): ...``)."""

    def __init__(self, side: str, problems):
        self.side = side
        super().__init__(problems)

    def render(self) -> str:
        text = super().render()
        return f"error: {self.side}: {text[len('error: '):]}"


def _load(label: str, path: str, values, namespace, release):
    """The scene of one side (its releases and the rest of the cluster), or VnpError whose problems say which
    side they come from."""
    from helm_vnp.release.load import LoadOptions

    chart = is_chart(path)
    opts = LoadOptions(chart=path if chart else None, rendered=[] if chart else [path], values=values,
                       namespace=namespace, release=release)
    try:
        return checked_scene(opts)
    except VnpError as exc:
        raise SideError(f"{label} ({path})", exc.problems)


def diff(
    old: str = typer.Argument(..., help="before: " + EXPECTED),
    new: str = typer.Argument(..., help="after: " + EXPECTED),
    values: Optional[List[str]] = ValuesOpt,
    vnp_values: Optional[List[str]] = VnpValuesOpt,
    sets: Optional[List[str]] = SetOpt,
    set_strings: Optional[List[str]] = SetStringOpt,
    set_jsons: Optional[List[str]] = SetJsonOpt,
    old_values: Optional[List[str]] = typer.Option(
        None, "--old-values", help="values file for OLD only, after the -f files (repeatable)"),
    new_values: Optional[List[str]] = typer.Option(
        None, "--new-values", help="values file for NEW only, after the -f files (repeatable)"),
    old_sets: Optional[List[str]] = typer.Option(None, "--old-set", help="like --set, for OLD only (repeatable)"),
    new_sets: Optional[List[str]] = typer.Option(None, "--new-set", help="like --set, for NEW only (repeatable)"),
    namespace: Optional[str] = NamespaceOpt,
    release: Optional[str] = ReleaseOpt,
    fmt: str = typer.Option("text", "--format", help="text, json; connlist, csv, md (netpol-analyzer's `diff` "
                                                     "txt, csv and md output)"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write to this file (atomically)"),
    fail_on_widen: bool = typer.Option(False, "--fail-on-widen",
                                       help="exit 1 when NEW allows any connection OLD did not"),
    no_generated: bool = NoGeneratedOpt,
    cluster: Optional[List[str]] = ClusterOpt,
) -> None:
    """Show the connections NEW allows that OLD did not (+) and those it no longer allows (-): every
    workload pair and every workload/address range, exact, after vnp's isolation and the chart's policies.

    OLD and NEW are each a chart or rendered manifests; -f/--set*/--vnp-values apply to both, --old-values,
    --old-set, --new-values, --new-set to one (the same chart with two value sets:
    `helm vnp diff ./chart ./chart --new-values b.yaml`).  Exit code 0, or 1 with --fail-on-widen when
    connectivity widens; 2 on bad input.
    """
    from helm_vnp.base.errors import Problem
    from helm_vnp.config.values_input import ValuesInput
    from helm_vnp.connectivity import of_scene
    from helm_vnp.connectivity.diff import RENDERERS, Side
    from helm_vnp.connectivity.diff import diff as diff_results

    try:
        if fmt not in FORMATS:
            raise VnpError(Problem(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})", path="--format",
                                   expected=", ".join(FORMATS)))
        if "-" in (cluster or []) and "-" in (old, new):
            raise VnpError(Problem("standard input ('-') can be read once: give it to --cluster-policies or to "
                                   "OLD/NEW, not both", path="--cluster-policies"))
        if old == "-" and new == "-":
            raise VnpError(Problem("OLD and NEW are both '-': standard input can be read only once",
                                   path="OLD, NEW"))
        problems = [p for p in (_side_problem("OLD", old), _side_problem("NEW", new)) if p]
        if problems:
            raise VnpError(problems)
        # standard input and the values files readable once (pipes) are read here, once, for both sides
        every = values_input([*(values or []), *(old_values or []), *(new_values or [])], sets, set_strings,
                             set_jsons, vnp_values)
        read_stdin(every, [p for p in (old, new) if p == "-"])

        def side(files, side_sets) -> ValuesInput:
            v = values_input([*(values or []), *(files or [])], [*(sets or []), *(side_sets or [])], set_strings,
                             set_jsons, vnp_values)
            v.stdin = every.stdin
            v.once = dict(every.once)
            return v

        extra = cluster_objects(cluster, namespace)  # the same rest of the cluster on both sides
        results = []
        for label, path, files, side_sets in (("OLD", old, old_values, old_sets), ("NEW", new, new_values, new_sets)):
            scene = _load(label, path, side(files, side_sets), namespace, release)
            results.append((scene.releases[0], of_scene(scene.releases, scene.context, extra=extra,
                                                        generated=not no_generated)))
        (old_rel, old_res), (new_rel, new_res) = results
        d = diff_results(old_res, new_res)
        d.old = Side(old_rel.name, old_rel.namespace, d.old.workloads)
        d.new = Side(new_rel.name, new_rel.namespace, d.new.workloads)
        if (old_rel.name, old_rel.namespace) != (new_rel.name, new_rel.namespace):
            d.warnings.insert(0, f"OLD is release {old_rel.name} in {old_rel.namespace}, NEW is release "
                                 f"{new_rel.name} in {new_rel.namespace}: workloads are matched by namespace and "
                                 "name, so a chart's renamed objects are added and removed (give --release and -n)")
        for warning in d.warnings:
            sys.stderr.write(f"warning: {warning}\n")
        write_output(RENDERERS[fmt](d), output)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    if fail_on_widen and d.widens:
        raise typer.Exit(1)
