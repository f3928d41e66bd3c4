"""The ``html`` format: one self-contained page to look at a release's connectivity, offline.

The page holds, with no fetch of any kind (inline CSS, script and SVG; a Content-Security-Policy that
forbids every network load and lets run only the page's own script, by hash):

- the **matrix**: workloads x workloads plus the addresses outside the cluster, each cell the allowed
  connections (``All``, ``TCP 80,UDP 53``); address ranges that every rule of every policy treats alike
  are one row/column (their ranges listed in the detail);
- a **picture** of the graph, inline SVG laid out here, in Python, deterministically: workloads on a circle,
  grouped and coloured by namespace, outside ranges as their own group, one arrow per allowed pair;
  above ``PICTURE_MAX`` workloads a condensed picture (one node per namespace) and a note saying so;
- the **detail** of a pair, on a click on a matrix cell or an arrow: the allowed connections and, on each
  side, which policies select the pod for that direction and which rules admit the other end (the
  explanation of ``explain``, assembled from the same compiled policies);
- a **filter**: a text box (and ``#filter=TEXT`` in the URL) keeping the workloads whose ``ns/name[Kind]``
  contains one of its words; the others leave the matrix and the picture.

Everything from the input (names come from tenant charts) reaches the page either HTML-escaped (SVG text)
or inside one JSON block with ``<``, ``>``, ``&`` and line separators escaped, read by the script with
``textContent``/``setAttribute`` only, never as markup.  The data is class-level (the engine's
equivalence classes), so its size follows the classes and policies, not the workload pairs; above
``DATA_MAX`` entries the page says the input is too large for it and points to ``connlist``.
"""
from __future__ import annotations

import base64
import hashlib
import html
import ipaddress
import json
import math
from pathlib import Path

from helm_vnp.connectivity.compute import Connectivity, ranges_in
from helm_vnp.connectivity.conns import ConnSet
from helm_vnp.connectivity.labels import members
from helm_vnp.connectivity.policies import EGRESS, INGRESS

PICTURE_MAX = 50  # workloads drawn one by one; above: one node per namespace
MATRIX_MAX = 150  # workloads in the matrix at once (the filter narrows a bigger release down)
DATA_MAX = 400_000  # class pairs + rule/peer entries embedded; above: a page that says so
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#bcbd22", "#e377c2", "#393b79", "#637939", "#7f7f7f",
           "#3182bd", "#31a354", "#756bb1", "#8c6d31", "#7b4173", "#6baed6", "#74c476")  # no red: outside is red
OUTSIDE_COLOUR = "#d62728"


def _short(conn: ConnSet) -> str:
    return "All" if conn.is_all else str(conn)


def _shorter():
    """_short with a cache (the same few connection sets come back thousands of times)."""
    cache: dict = {}

    def short(conn: ConnSet) -> str:
        text = cache.get(conn)
        if text is None:
            text = cache[conn] = _short(conn)
        return text
    return short


def _cidrs(version: int, lo: int, hi: int) -> list[str]:
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return [str(n) for n in ipaddress.summarize_address_range(cls(lo), cls(hi))]


def _item(version: int, lo: int, hi: int) -> str:
    """A range as its CIDR when it is one, else ``first-last``."""
    cidrs = _cidrs(version, lo, hi)
    if len(cidrs) == 1:
        return cidrs[0]
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return f"{cls(lo)}-{cls(hi)}"


def describe(ranges: list[tuple[int, int, int]]) -> list[str]:
    """The addresses of ``ranges`` (sorted (version, lo, hi)), as people write them: per family either the
    ranges (``10.20.0.0/16``) or, when shorter, the family minus the rest (``0.0.0.0/0 except 10.0.0.0/8``)."""
    out = []
    for version, top in ((4, 2 ** 32 - 1), (6, 2 ** 128 - 1)):
        merged: list[list[int]] = []
        for v, lo, hi in ranges:
            if v != version:
                continue
            if merged and merged[-1][1] + 1 == lo:
                merged[-1][1] = hi
            else:
                merged.append([lo, hi])
        if not merged:
            continue
        gaps, at = [], 0
        for lo, hi in merged:
            if lo > at:
                gaps.append((at, lo - 1))
            at = hi + 1
        if at <= top:
            gaps.append((at, top))
        whole = "0.0.0.0/0" if version == 4 else "::/0"
        if not gaps:
            out.append(whole)
        elif len(gaps) < len(merged):
            out.append(f"{whole} except " + ", ".join(_item(version, lo, hi) for lo, hi in gaps))
        else:
            out += [_item(version, lo, hi) for lo, hi in merged]
    return out


def range_groups(result: Connectivity) -> tuple[list[list[int]], list[list[int]]]:
    """The outside ranges grouped by the rules that cover them (a group's ranges are alike for every rule,
    so for every workload and direction): (groups of range indices, per rule the ranges it covers)."""
    rules = [r for p in result.policies for r in p.ingress + p.egress]
    starts = [(v, lo) for v, lo, _ in result.ranges]
    covering: list[list[int]] = [[] for _ in result.ranges]
    rule_ranges = []
    for k, r in enumerate(rules):
        rs = ranges_in(r.addrs, result.ranges, starts) if r.addrs else []
        rule_ranges.append(rs)
        for x in rs:
            covering[x].append(k)
    group_of_key: dict = {}
    groups: list[list[int]] = []
    for x in range(len(result.ranges)):
        g = group_of_key.setdefault(tuple(covering[x]), len(groups))
        if g == len(groups):
            groups.append([])
        groups[g].append(x)
    return groups, rule_ranges


class _Interner:
    def __init__(self):
        self.items: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.items)
            self.items.append(value)
        return i


def page_data(result: Connectivity) -> dict:
    """Everything the page's script needs, as plain lists (deterministic order)."""
    wl = result.workloads
    order = sorted(range(len(wl)), key=lambda i: (wl[i].key, i))
    pos = {w: p for p, w in enumerate(order)}  # engine index -> node id
    # classes renumbered by their first node, so the ids follow the sorted names
    cls_order = sorted(range(len(result.classes)), key=lambda c: min(pos[w] for w in result.classes[c]))
    cid = {c: k for k, c in enumerate(cls_order)}
    class_of = result.class_of
    rep = [result.classes[c][0] for c in cls_order]
    conns = _Interner()
    _short = _shorter()

    rules = [r for p in result.policies for r in p.ingress + p.egress]
    policy_of = [pi for pi, p in enumerate(result.policies) for _ in p.ingress + p.egress]
    groups, rule_ranges = range_groups(result)
    ranges_out = []
    for g in groups:
        items = describe([result.ranges[x] for x in g])
        label = ", ".join(items)
        ranges_out.append([label if len(label) <= 34 else label[:33] + "\u2026", items])
    rgroup = {x: gi for gi, g in enumerate(groups) for x in g}

    pairs = sorted([cid[a], cid[b], conns(_short(c))] for (a, b), c in result.class_pairs.items())
    egress, ingress = [], []
    for table, out in ((result.egress_ext, egress), (result.ingress_ext, ingress)):
        for gi, g in enumerate(groups):
            row = []
            for c, per_range in table.items():
                conn = per_range[g[0]] if per_range else None
                if conn:
                    row.append([cid[c], conns(_short(conn))])
            out.append(sorted(row))

    policies, rules_out, selecting = [], [], [[[], []] for _ in rep]
    class_ports = [wl[r].ports for r in rep]
    subjects = [sorted({cid[class_of[w]] for w in members(p.subject)}) for p in result.policies]
    for pi, p in enumerate(result.policies):
        policies.append([p.namespace, p.name])
        for k in subjects[pi]:
            if EGRESS in p.types:
                selecting[k][0].append(pi)
            if INGRESS in p.types:
                selecting[k][1].append(pi)
    for k, r in enumerate(rules):
        peers = sorted({cid[class_of[w]] for w in members(r.pods)})
        named = []
        if r.named:
            # only where the rule can decide: the destinations its policy selects (ingress) or its peers (egress)
            seen: dict = {}  # the named ports' resolution -> the entry (None: the numeric ports only)
            for c in (peers if r.direction == EGRESS else subjects[policy_of[k]]):
                ports = class_ports[c]
                key = tuple(ports.get(name) for _, name in r.named)
                if key not in seen:
                    conn = r.conn(ports)
                    seen[key] = None if conn == r.numeric else conns(_short(conn) if conn else "")
                if seen[key] is not None:
                    named.append([c, seen[key]])
        rules_out.append([policy_of[k], 1 if r.direction == EGRESS else 0,
                          r.label, conns(_short(r.numeric) if r.numeric else ""), peers,
                          sorted({rgroup[x] for x in rule_ranges[k]}), named])
    nodes = [[wl[w].namespace, wl[w].name, wl[w].kind, cid[class_of[w]]] for w in order]
    # connection texts in sorted order, whatever order the engine's dictionaries had
    texts = sorted(conns.items)
    new = {old: texts.index(t) for old, t in enumerate(conns.items)}
    pairs = sorted([a, b, new[c]] for a, b, c in pairs)
    egress = [[[c, new[x]] for c, x in row] for row in egress]
    ingress = [[[c, new[x]] for c, x in row] for row in ingress]
    for r in rules_out:
        r[3] = new[r[3]]
        r[6] = [[c, new[x]] for c, x in r[6]]
    return {"nodes": nodes, "ranges": ranges_out, "conns": texts, "pairs": pairs, "egress": egress,
            "ingress": ingress, "policies": policies, "rules": rules_out, "selecting": selecting,
            "warnings": list(result.warnings), "matrixMax": MATRIX_MAX}


# -- the picture ---------------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _clip(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _svg_circle(data: dict) -> str:
    """Workloads on a circle grouped by namespace, the outside groups that have a connection after them."""
    nodes = data["nodes"]
    ns_names = sorted({n[0] for n in nodes})
    colour = {ns: PALETTE[i % len(PALETTE)] for i, ns in enumerate(ns_names)}
    used_groups = sorted({g for g, row in enumerate(data["egress"]) if row}
                         | {g for g, row in enumerate(data["ingress"]) if row})
    slots: list = []  # (id, label, colour, group name) or None for a gap
    for ns in ns_names:
        if slots:
            slots.append(None)
        slots += [(f"w{i}", f"{n[1]} [{n[2]}]", colour[ns], ns, f"{n[0]}/{n[1]}[{n[2]}]")
                  for i, n in enumerate(nodes) if n[0] == ns]
    if used_groups:
        slots.append(None)
        slots += [(f"r{g}", data["ranges"][g][0], OUTSIDE_COLOUR, "outside", "outside: " +
                   ", ".join(data["ranges"][g][1][:8]) + (" \u2026" if len(data["ranges"][g][1]) > 8 else ""))
                  for g in used_groups]
    if len(slots) > 1 and slots[-1] is not None and slots[0] is not None:
        slots.append(None)
    count = max(len(slots), 1)
    radius = max(170.0, count * 26 / (2 * math.pi))
    margin = 30 + 6.2 * max([len(_clip(s[1])) for s in slots if s] or [10])
    size = int(2 * (radius + margin))
    cx = cy = size / 2
    pos: dict = {}
    parts_nodes, parts_edges = [], []
    for k, slot in enumerate(slots):
        if slot is None:
            continue
        nid, label, col, group, full = slot
        angle = 2 * math.pi * k / count - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        pos[nid] = (x, y)
        deg = math.degrees(angle)
        left = math.cos(angle) < -1e-9
        lx, ly = cx + (radius + 12) * math.cos(angle), cy + (radius + 12) * math.sin(angle)
        rot = deg + 180 if left else deg
        anchor = "end" if left else "start"
        kind = "outside" if nid[0] == "r" else "workload"
        parts_nodes.append(
            f'<g class="node {kind}" id="n-{nid}" data-id="{nid}">'
            f"<title>{_esc(full)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{col}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
            f'transform="rotate({rot:.2f} {lx:.1f} {ly:.1f})">{_esc(_clip(label))}</text></g>')
    edges = [(f"w{a}", f"w{b}", conn) for a, b, conn in _node_pairs(data)]
    for g, row in enumerate(data["egress"]):
        for c, conn in row:
            edges += [(f"w{i}", f"r{g}", conn) for i, n in enumerate(nodes) if n[3] == c]
    for g, row in enumerate(data["ingress"]):
        for c, conn in row:
            edges += [(f"r{g}", f"w{i}", conn) for i, n in enumerate(nodes) if n[3] == c]
    edges.sort(key=lambda e: (e[0][0], int(e[0][1:]), e[1][0], int(e[1][1:])))
    for s, d, conn in edges:
        (x1, y1), (x2, y2) = pos[s], pos[d]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        qx, qy = (mx + cx) / 2 - dy / length * 14, (my + cy) / 2 + dx / length * 14
        # stop short of the destination's circle, so the arrow head shows
        ex, ey = x2 - (x2 - qx) / (math.hypot(x2 - qx, y2 - qy) or 1) * 9, \
            y2 - (y2 - qy) / (math.hypot(x2 - qx, y2 - qy) or 1) * 9
        text = data["conns"][conn]
        wide = "all" if text == "All" else "ports"
        parts_edges.append(
            f'<path class="edge {wide}" data-s="{s}" data-d="{d}" '
            f'd="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {ex:.1f},{ey:.1f}">'
            f"<title>{_esc(text)}</title></path>")
    legend = []
    entries = [(ns, colour[ns]) for ns in ns_names] + ([("outside the cluster", OUTSIDE_COLOUR)] if used_groups else [])
    for k, (name, col) in enumerate(entries[:30]):
        legend.append(f'<g transform="translate(10,{18 + 18 * k})"><circle cx="6" cy="0" r="6" fill="{col}"/>'
                      f'<text x="18" y="0" dominant-baseline="middle">{_esc(_clip(name, 40))}</text></g>')
    if len(entries) > 30:
        legend.append(f'<text x="10" y="{18 + 18 * 30}">\u2026 {len(entries) - 30} more</text>')
    return (f'<svg id="picture" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
            f'height="{size}" role="img" aria-label="connectivity graph">'
            f'<defs>{_marker("arrow-all", "#e6550d")}{_marker("arrow-ports", "#3182bd")}</defs>'
            f'<g class="legend">{"".join(legend)}</g>'
            f'<g class="edges">{"".join(parts_edges)}</g><g class="nodes">{"".join(parts_nodes)}</g></svg>')


def _marker(name: str, colour: str) -> str:
    return (f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" '
            f'markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')


def _node_pairs(data: dict):
    """(node id, node id, conn index) of every allowed workload pair, self-loops omitted."""
    by_class: dict = {}
    for i, n in enumerate(data["nodes"]):
        by_class.setdefault(n[3], []).append(i)
    for a, b, conn in data["pairs"]:
        for i in by_class.get(a, ()):
            for j in by_class.get(b, ()):
                if i != j:
                    yield i, j, conn


def _svg_namespaces(data: dict) -> str:
    """The condensed picture: one node per namespace, an arrow where any of its workloads may reach another's."""
    nodes = data["nodes"]
    ns_names = sorted({n[0] for n in nodes})
    if len(ns_names) > PICTURE_MAX:
        return ""
    ns_of = {i: n[0] for i, n in enumerate(nodes)}
    counts: dict = {}
    for i, j, _ in _node_pairs(data):
        a, b = ns_of[i], ns_of[j]
        if a != b:
            counts[(a, b)] = counts.get((a, b), 0) + 1
    count = max(len(ns_names), 1)
    radius = max(150.0, count * 30 / (2 * math.pi))
    margin = 40 + 6.2 * max(len(_clip(ns)) + 6 for ns in ns_names)
    size = int(2 * (radius + margin))
    c = size / 2
    pos, out_nodes, out_edges = {}, [], []
    per_ns = {ns: sum(1 for n in nodes if n[0] == ns) for ns in ns_names}
    for k, ns in enumerate(ns_names):
        angle = 2 * math.pi * k / count - math.pi / 2
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        pos[ns] = (x, y)
        left = math.cos(angle) < -1e-9
        lx, ly = c + (radius + 16) * math.cos(angle), c + (radius + 16) * math.sin(angle)
        rot = math.degrees(angle) + (180 if left else 0)
        out_nodes.append(
            f'<g class="node namespace"><title>{_esc(ns)}: {per_ns[ns]} workloads</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{"end" if left else "start"}" dominant-baseline="middle" '
            f'transform="rotate({rot:.2f} {lx:.1f} {ly:.1f})">{_esc(_clip(ns))} ({per_ns[ns]})</text></g>')
    for (a, b), n in sorted(counts.items()):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        qx, qy = ((x1 + x2) / 2 + c) / 2 - dy / length * 14, ((y1 + y2) / 2 + c) / 2 + dx / length * 14
        d = math.hypot(x2 - qx, y2 - qy) or 1
        ex, ey = x2 - (x2 - qx) / d * 12, y2 - (y2 - qy) / d * 12
        out_edges.append(f'<path class="edge ports nsedge" d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {ex:.1f},{ey:.1f}">'
                         f"<title>{_esc(a)} \u2192 {_esc(b)}: {n} workload pairs</title></path>")
    return (f'<svg id="picture" class="condensed" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            f'width="{size}" height="{size}" role="img" aria-label="namespace graph">'
            f'<defs>{_marker("arrow-ports", "#3182bd")}</defs>'
            f'<g class="edges">{"".join(out_edges)}</g><g class="nodes">{"".join(out_nodes)}</g></svg>')


# -- the page ------------------------------------------------------------------------------------------

def _json_for_script(value) -> str:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _data_size(result: Connectivity) -> int:
    """About how many entries ``page_data`` embeds (class pairs, rule peers, selections)."""
    if len(result.workloads) > 20_000:
        return DATA_MAX + 1
    rep_bits = 0
    for ws in result.classes:
        rep_bits |= 1 << ws[0]
    peers = sum(bin(r.pods & rep_bits).count("1") for p in result.policies for r in p.ingress + p.egress)
    return len(result.class_pairs) + peers + len(result.classes) * len(result.policies) // 8


def render(result: Connectivity) -> str:
    n = len(result.workloads)
    size = _data_size(result)
    if size > DATA_MAX:
        data = {"tooLarge": f"{n} workloads in {len(result.classes)} classes, {len(result.class_pairs)} class "
                            f"pairs: too large for one page (the limit is {DATA_MAX:,} entries); use "
                            "`--format connlist` or narrow the input", "nodes": [], "ranges": [], "conns": [],
                "pairs": [], "egress": [], "ingress": [], "policies": [], "rules": [], "selecting": [],
                "warnings": list(result.warnings), "matrixMax": MATRIX_MAX}
        picture, note = "", data["tooLarge"]
    else:
        data = page_data(result)
        if n <= PICTURE_MAX:
            picture, note = _svg_circle(data), ""
        else:
            picture = _svg_namespaces(data)
            note = (f"{n} workloads: more than {PICTURE_MAX} to draw one by one; the picture shows one node per "
                    "namespace (an arrow where any workload may reach another namespace's)." if picture else
                    f"{n} workloads in more than {PICTURE_MAX} namespaces: no picture; use the matrix and filter.")
    return _PAGE.format(csp=_CSP, css=_CSS, data=_json_for_script(data), script=_SCRIPT, picture=picture,
                        note=_esc(note), count=n, title=_esc(f"helm vnp graph: {n} workloads"))


_HERE = Path(__file__).parent
_CSS = (_HERE / "page.css").read_text(encoding="utf-8")
_SCRIPT = (_HERE / "page.js").read_text(encoding="utf-8")
_PAGE = (_HERE / "page.html").read_text(encoding="utf-8")
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"
        + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode() + "'")

