"""The connectivity engine (helm_vnp.connectivity) against network-config-analyzer's answer, exactly.

``compare_engine`` takes the same ``Cluster`` and ``NcaAnswer`` as ``tests/netpol/nca.py`` and checks every
ordered pair of pods (the engine's connection set against NCA's, all ports, all protocols) and every pod
with every outside address in both directions: the engine's ranges and NCA's are cut at each other's
boundaries, and every piece must carry the same connection set on both sides.
"""
from __future__ import annotations

import ipaddress

from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity.conns import ConnSet
from tests.netpol.nca import NONE, OTHER_PROTOCOLS, PORT_PROTOCOLS, Cluster, Conn, NcaAnswer


def as_conn(c: ConnSet) -> Conn:
    """The engine's connection set in the harness's form (protocol number -> port intervals, others)."""
    return Conn.of({PORT_PROTOCOLS[p]: c.ports[p].ranges for p in c.ports}, OTHER_PROTOCOLS if c.other else ())


def engine_of(cluster: Cluster, objects: list | None = None):
    workloads = [Workload(e.namespace, e.name, "Pod", dict(e.labels), dict(e.ports)) for e in cluster.endpoints]
    namespaces = {n: cluster.ns_labels(n) for n in cluster.namespaces}
    return compute(workloads, cluster.policies if objects is None else objects, namespaces)


def _show(version: int, lo: int, hi: int) -> str:
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return str(cls(lo)) if lo == hi else f"{cls(lo)}-{cls(hi)}"


def compare_engine(cluster: Cluster, answer: NcaAnswer, objects: list | None = None) -> list[str]:
    """Every disagreement between the engine and NCA, as readable lines (none: they agree on everything)."""
    result = engine_of(cluster, objects)
    keys = [e.key for e in cluster.endpoints]
    diffs = []
    for s in range(len(keys)):
        for d in range(len(keys)):
            if s == d:
                continue
            ours, theirs = as_conn(result.between(s, d)), answer.pods.get((keys[s], keys[d]), NONE)
            if ours != theirs:
                diffs.append(f"{keys[s]} => {keys[d]}: engine {ours} | NCA {theirs}")
    ext: dict = {}  # (workload, "to"|"from") -> {range index: ConnSet}
    for direction, w, r, conn in result.external():
        ext.setdefault((w, "to" if direction == "egress" else "from"), {})[r] = conn
    for version in (4, 6):
        cuts = {0, 2 ** (32 if version == 4 else 128)}
        ours_ranges = [(k, lo, hi) for k, (v, lo, hi) in enumerate(result.ranges) if v == version]
        for _, lo, hi in ours_ranges:
            cuts |= {lo, hi + 1}
        for (_, _, (v, lo, hi)) in answer.ranges:
            if v == version:
                cuts |= {lo, hi + 1}
        points = sorted(cuts)
        for w, key in enumerate(keys):
            for direction in ("to", "from"):
                mine = ext.get((w, direction), {})
                theirs_by = [(r, c) for (k, dirn, r), c in answer.ranges.items()
                             if k == key and dirn == direction and r[0] == version]
                for lo, nxt in zip(points, points[1:]):
                    hi = nxt - 1
                    k = next(k for k, rlo, rhi in ours_ranges if rlo <= lo and hi <= rhi)
                    ours = as_conn(mine.get(k, ConnSet()))
                    theirs = NONE
                    for (_, rlo, rhi), conn in theirs_by:
                        if rlo <= lo and hi <= rhi:
                            theirs |= conn
                    if ours != theirs:
                        where = _show(version, lo, hi)
                        pair = (where, key) if direction == "from" else (key, where)
                        diffs.append(f"{pair[0]} => {pair[1]}: engine {ours} | NCA {theirs}")
    return diffs
