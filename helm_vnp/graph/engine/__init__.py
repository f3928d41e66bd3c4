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
from helm_vnp.graph.engine.workloads import Workload, from_release, namespace_labels


def of_release(release) -> Connectivity:
    """The release's workloads under its NetworkPolicies (the chart's and vnp's), in namespaces labelled by
    the Namespace manifests it holds."""
    workloads = from_release(release)
    objects = []
    for o in release.objects:
        obj = o.obj
        if o.kind == "NetworkPolicy":
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            obj = {**obj, "metadata": {**meta, "namespace": o.namespace}}
        objects.append(obj)
    namespaces = namespace_labels(objects, {w.namespace for w in workloads} | {release.namespace})
    return compute(workloads, objects, namespaces, release.namespace)


__all__ = ["Connectivity", "Workload", "compute", "of_release"]
