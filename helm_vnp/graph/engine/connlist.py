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
    """(src, dst, connections) for every allowed pair, sorted by source then destination: address ranges
    first, in address order (IPv4, then IPv6), then workloads by name."""
    keys = [w.key for w in result.workloads]
    names = [show(*r) for r in result.ranges]
    sorted_rows = []
    for a, b, conn in result.pairs():
        sorted_rows.append(((1, keys[a]), (1, keys[b]), keys[a], keys[b], conn))
    for direction, w, r, conn in result.external():
        addr, pod = (0, result.ranges[r]), (1, keys[w])
        if direction == "egress":
            sorted_rows.append((pod, addr, keys[w], names[r], conn))
        else:
            sorted_rows.append((addr, pod, names[r], keys[w], conn))
    sorted_rows.sort(key=lambda row: (row[0], row[1]))
    return [(s, d, str(conn)) for _, _, s, d, conn in sorted_rows]


def render(result: Connectivity) -> str:
    return "".join(f"{s} => {d} : {c}\n" for s, d, c in rows(result))


def render_csv(result: Connectivity) -> str:
    """netpol-analyzer's ``-o csv``: a ``src,dst,conn`` header, then the rows (fields quoted when needed)."""
    import csv
    import io
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["src", "dst", "conn"])
    writer.writerows(rows(result))
    return buf.getvalue()


def render_md(result: Connectivity) -> str:
    """netpol-analyzer's ``-o md``: a Markdown table."""
    lines = ["| src | dst | conn |", "|-----|-----|------|"]
    lines += [f"| {s} | {d} | {c} |" for s, d, c in rows(result)]
    return "\n".join(lines) + "\n"


RENDERERS = {"connlist": render, "csv": render_csv, "md": render_md}
