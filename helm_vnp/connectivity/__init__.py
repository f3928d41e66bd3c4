"""The connectivity engine: exact NetworkPolicy (networking.k8s.io/v1) semantics over whole workloads.

Modules, bottom up: ``intervals`` (integer interval sets), ``conns`` (connection sets: ports per protocol),
``addresses`` (IPv4/IPv6 ranges, ipBlocks), ``labels`` (selectors as bitmasks over a population),
``workloads`` (the nodes), ``policies`` (NetworkPolicies compiled to masks and connection sets),
``compute`` (equivalence classes, the pairs, the outside ranges), ``connlist`` (netpol-analyzer's list
format), ``explain`` (one pair, why), ``diff`` (two results compared: what an upgrade adds and removes),
``admin`` (AdminNetworkPolicy and the baseline), ``html`` (the offline page), ``outputs`` (the JSON outputs'
schema versions and schemas).  ``of_release``/``of_scene`` feed it ``Release``s.  A layer of its own,
below the lint rules (``netpol.chartWidens``) and the graph commands that share it.
"""
from __future__ import annotations

from helm_vnp.connectivity.compute import Connectivity, compute
from helm_vnp.connectivity.workloads import Workload, from_templates, namespace_labels


def of_release(release, extra=None, *, generated: bool = True) -> Connectivity:
    """The release's workloads under its NetworkPolicies (the chart's and vnp's) and the admin policies
    (AdminNetworkPolicy, BaselineAdminNetworkPolicy) among its objects, in namespaces labelled by the
    Namespace manifests it holds; ``extra`` as in ``of_scene``."""
    return of_scene([release], extra=extra, generated=generated)


def of_scene(releases, context=None, *, extra=None, generated: bool = True) -> Connectivity:
    """Several releases and the objects that stand for the rest of the cluster, analysed together:
    ``context`` (a Release with nothing generated: the input's objects of no analysed release) and
    ``extra`` (Releases read from ``--cluster-policies``: workloads, policies, admin policies, Namespaces).
    ``generated`` False leaves vnp's objects out (what the charts alone would do)."""
    parts = [*releases, *([context] if context is not None else []), *(extra or [])]
    workloads = from_templates(ps for r in parts for ps in r.pods)
    objects = []
    sources: dict[int, tuple] = {}
    for r in parts:
        for o in r.objects:
            if o.generated and not generated:
                continue
            obj = o.placed if o.kind == "NetworkPolicy" else o.obj
            if o.doc is not None:
                src = r.source(o.doc)
                sources[id(obj)] = (src.file, src.line)
            objects.append(obj)
    namespaces = namespace_labels(objects, {w.namespace for w in workloads} | {r.namespace for r in releases})
    return compute(workloads, objects, namespaces, releases[0].namespace,
                   source_of=lambda o: sources.get(id(o), ("", 0)))


__all__ = ["Connectivity", "Workload", "compute", "of_release", "of_scene"]
