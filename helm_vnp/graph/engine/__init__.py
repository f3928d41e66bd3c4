"""The connectivity engine: exact NetworkPolicy (networking.k8s.io/v1) semantics over whole workloads.

Modules, bottom up: ``intervals`` (integer interval sets), ``conns`` (connection sets: ports per protocol),
``addresses`` (IPv4/IPv6 ranges, ipBlocks), ``labels`` (selectors as bitmasks over a population),
``workloads`` (the nodes), ``policies`` (NetworkPolicies compiled to masks and connection sets),
``compute`` (equivalence classes, the pairs, the outside ranges), ``connlist`` (netpol-analyzer's list
format).  ``of_release`` feeds it a ``Release``.  It imports nothing above ``helm_vnp.release``.
"""
from __future__ import annotations

from helm_vnp.graph.engine.compute import Connectivity, compute
from helm_vnp.graph.engine.workloads import Workload, from_release, namespace_labels


def of_release(release, extra=None) -> Connectivity:
    """The release's workloads under its NetworkPolicies (the chart's and vnp's) and the admin policies
    (AdminNetworkPolicy, BaselineAdminNetworkPolicy) among its objects, in namespaces labelled by the
    Namespace manifests it holds.  ``extra``: releases (``Release`` objects) standing for the rest of the
    cluster (``--cluster-policies``): their workloads, policies and Namespaces join the analysis."""
    workloads = []
    objects = []
    sources: dict[int, tuple] = {}
    for r in [release, *(extra or [])]:
        workloads += from_release(r)
        for o in r.objects:
            obj = o.obj
            if o.kind == "NetworkPolicy":
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                obj = {**obj, "metadata": {**meta, "namespace": o.namespace}}
            if o.doc is not None:
                src = r.source(o.doc)
                sources[id(obj)] = (src.file, src.line)
            objects.append(obj)
    names = {w.namespace for w in workloads} | {release.namespace}
    namespaces = namespace_labels(objects, names)
    return compute(workloads, objects, namespaces, release.namespace, source_of=lambda o: sources.get(id(o), ("", 0)))


__all__ = ["Connectivity", "Workload", "compute", "of_release"]
