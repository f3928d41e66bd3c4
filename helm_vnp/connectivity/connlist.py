"""The ``connlist`` format: netpol-analyzer's ``list`` output, one line per allowed pair, sorted.

``src => dst : connections``; workloads as ``ns/name[Kind]``, addresses outside the cluster as the
disjoint ranges ``a.b.c.d-e.f.g.h`` (IPv6 ranges too: netpol-analyzer leaves them out, but a pod's IPv6
connectivity is not its IPv4 one), connections as ``All Connections`` or ``SCTP 9003,TCP 80,UDP 53``;
a workload with itself is not listed.
"""
from __future__ import annotations

from helm_vnp.connectivity.addresses import show
from helm_vnp.connectivity.compute import Connectivity


def iter_rows(result: Connectivity):
    """(src, dst, connections) for every allowed pair, sorted by source then destination: address ranges
    first, in address order (IPv4, then IPv6), then workloads by name.  One source at a time, so memory
    holds one source's destinations, not the whole list."""
    keys = [w.key for w in result.workloads]
    names = [show(*r) for r in result.ranges]
    class_of = result.class_of
    from_class: dict[int, list] = {}
    for (a, b), conn in result.class_pairs.items():
        from_class.setdefault(a, []).append((b, conn))
    for r, name in enumerate(names):  # result.ranges is in address order
        dsts = [(keys[w], conn) for c, conns in result.ingress_ext.items() if conns[r]
                for w in result.classes[c] for conn in (conns[r],)]
        for dst, conn in sorted(dsts, key=lambda x: x[0]):
            yield name, dst, str(conn)
    for w in sorted(range(len(keys)), key=keys.__getitem__):
        a = class_of[w]
        out = [((0, result.ranges[r]), names[r], conn) for r, conn in enumerate(result.egress_ext.get(a, ())) if conn]
        out += [((1, keys[v]), keys[v], conn) for b, conn in from_class.get(a, ()) for v in result.classes[b] if v != w]
        out.sort(key=lambda x: x[0])
        for _, dst, conn in out:
            yield keys[w], dst, str(conn)


def rows(result: Connectivity) -> list[tuple[str, str, str]]:
    """Every row of ``iter_rows``, as a list."""
    return list(iter_rows(result))


def lines(result: Connectivity):
    """The ``connlist`` text, a line at a time (5,000 unisolated workloads make 25 million lines: written as
    they come, never held whole)."""
    for s, d, c in iter_rows(result):
        yield f"{s} => {d} : {c}\n"


def csv_lines(result: Connectivity):
    """netpol-analyzer's ``-o csv``: a ``src,dst,conn`` header, then the rows (fields quoted when needed)."""
    import csv
    import io
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["src", "dst", "conn"])
    for row in iter_rows(result):
        writer.writerow(row)
        if buf.tell() > 1 << 16:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def md_lines(result: Connectivity):
    """netpol-analyzer's ``-o md``: a Markdown table."""
    yield "| src | dst | conn |\n|-----|-----|------|\n"
    for s, d, c in iter_rows(result):
        yield f"| {s} | {d} | {c} |\n"


def render(result: Connectivity) -> str:
    return "".join(lines(result))


def render_csv(result: Connectivity) -> str:
    return "".join(csv_lines(result))


def render_md(result: Connectivity) -> str:
    return "".join(md_lines(result))


def render_html(result: Connectivity) -> str:
    """One self-contained page: matrix, picture, per-pair detail, filter (``helm_vnp.connectivity.html``)."""
    from helm_vnp.connectivity.html import render as page
    return page(result)


STREAMS = {"connlist": lines, "csv": csv_lines, "md": md_lines}
RENDERERS = {"connlist": render, "csv": render_csv, "md": render_md, "html": render_html}
