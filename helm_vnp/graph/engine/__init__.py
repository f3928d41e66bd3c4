"""The connectivity engine: exact NetworkPolicy (networking.k8s.io/v1) semantics over whole workloads.

Modules, bottom up: ``intervals`` (integer interval sets), ``conns`` (connection sets: ports per protocol),
``addresses`` (IPv4/IPv6 ranges, ipBlocks), ``labels`` (selectors as bitmasks over a population),
``workloads`` (the nodes), ``policies`` (NetworkPolicies compiled to masks and connection sets),
``compute`` (equivalence classes, the pairs, the outside ranges), ``connlist`` (netpol-analyzer's list
format), ``explain`` (one pair, why), ``diff`` (two results compared: what an upgrade adds and removes).
``of_release`` feeds it a ``Release``.  It imports nothing above ``helm_vnp.release`` (but the schema
versions of ``helm_vnp.graph.outputs``).
"""
from __future__ import annotations

from helm_vnp.graph.engine.compute import Connectivity, compute
from helm_vnp.graph.engine.workloads import Workload, from_templates, namespace_labels


def of_release(release, *, generated: bool = True) -> Connectivity:
    """The release's workloads under its NetworkPolicies (the chart's and vnp's), in namespaces labelled by
    the Namespace manifests it holds."""
    return of_scene([release], generated=generated)


def of_scene(releases, context=None, *, generated: bool = True) -> Connectivity:
    """Several releases and the objects that stand for the rest of the cluster (``context``, a Release
    with nothing generated), analysed together; ``generated`` False leaves vnp's objects out (what the
    chart alone would do)."""
    parts = [*releases, *([context] if context is not None else [])]
    workloads = from_templates(ps for r in parts for ps in r.pods)
    objects = []
    for r in parts:
        for o in r.objects:
            if o.generated and not generated:
                continue
            obj = o.obj
            if o.kind == "NetworkPolicy":
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                obj = {**obj, "metadata": {**meta, "namespace": o.namespace}}
            objects.append(obj)
    namespaces = namespace_labels(objects, {w.namespace for w in workloads} | {r.namespace for r in releases})
    return compute(workloads, objects, namespaces, releases[0].namespace)


__all__ = ["Connectivity", "Workload", "compute", "of_release", "of_scene"]
