"""The ``connlist`` format: netpol-analyzer's ``list`` output, one line per allowed pair, sorted.

``src => dst : connections``; workloads as ``ns/name[Kind]``, addresses outside the cluster as the
disjoint ranges ``a.b.c.d-e.f.g.h`` (IPv6 ranges too: netpol-analyzer leaves them out, but a pod's IPv6
connectivity is not its IPv4 one), connections as ``All Connections`` or ``SCTP 9003,TCP 80,UDP 53``;
a workload with itself is not listed.
"""
from __future__ import annotations

from helm_vnp.graph.engine.addresses import show
from helm_vnp.graph.engine.compute import Connectivity


def rows(result: Connectivity) -> list[tuple[str, str, str]]:
    """(src, dst, connections) for every allowed pair, sorted by source then destination."""
    keys = [w.key for w in result.workloads]
    names = [show(*r) for r in result.ranges]
    out = [(keys[a], keys[b], str(conn)) for a, b, conn in result.pairs()]
    for direction, w, r, conn in result.external():
        out.append((keys[w], names[r], str(conn)) if direction == "egress" else (names[r], keys[w], str(conn)))
    out.sort(key=lambda row: (row[0], row[1]))
    return out


def render(result: Connectivity) -> str:
    return "".join(f"{s} => {d} : {c}\n" for s, d, c in rows(result))
