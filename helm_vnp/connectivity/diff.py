"""What an upgrade changes: the connections NEW allows that OLD did not, and those it no longer allows.

Two ``Connectivity`` results are compared at connection granularity: for every workload pair and every
workload/address-range pair, the connection set before and after, and what was added (``new - old``) and
removed (``old - new``).  Workloads are matched by ``ns/name[Kind]``; one present on a single side is
reported as added or removed, and its connections with it.  Addresses outside the cluster are cut anew
over the boundaries of both sides' ranges (so every range is exact on both sides), and adjacent ranges
whose change is the same are joined again, so a line holds for every address of its range.

Like ``compute``, the comparison works on classes, never on workload pairs: workloads that are in the
same class on both sides (a *joint* class) change alike, so each pair of joint classes that may connect
on either side is compared once, and only pairs that differ are expanded to workloads.

Renderers: ``render_text`` (for people: ``+``/``-`` lines), ``as_json`` (the schema
``schemas/diff.schema.json``), and netpol-analyzer's ``diff`` formats (``render_connlist`` is its txt
form, ``render_csv``, ``render_md``).
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from helm_vnp.base.record import field, record
from helm_vnp.connectivity.addresses import show
from helm_vnp.connectivity.compute import Connectivity
from helm_vnp.connectivity.conns import NONE, ConnSet
from helm_vnp.connectivity.outputs import SCHEMA_VERSIONS

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KEPT = "kept"


@record(frozen=True, slots=True)
class Change:
    """One pair whose connections differ.  An end is a workload (``ns/name[Kind]``) or an address range
    (``a-b``); ``*_status`` says whether a workload end is on both sides (kept), or added or removed."""
    src: str
    dst: str
    old: ConnSet
    new: ConnSet
    added: ConnSet  # new - old
    removed: ConnSet  # old - new
    src_range: bool = False
    dst_range: bool = False
    src_status: str = KEPT
    dst_status: str = KEPT
    order: tuple = field(default=(), compare=False, repr=False)

    @property
    def type(self) -> str:
        return ADDED if not self.old else REMOVED if not self.new else CHANGED

    @property
    def workloads_info(self) -> str:
        """netpol-analyzer's ``workloads-diff-info``: ``workload X [and Y] added|removed``, or ""."""
        if self.src_status is KEPT and self.dst_status is KEPT:
            return ""
        ends = [e for e, s in ((self.src, self.src_status), (self.dst, self.dst_status)) if s != KEPT]
        status = self.src_status if self.src_status != KEPT else self.dst_status
        return f"workload {' and '.join(ends)} {status}"

    def as_json(self) -> dict:
        return {
            "type": self.type,
            "src": self.src, "srcType": "range" if self.src_range else "workload", "srcStatus": self.src_status,
            "dst": self.dst, "dstType": "range" if self.dst_range else "workload", "dstStatus": self.dst_status,
            "old": _json(self.old), "new": _json(self.new), "added": _json(self.added), "removed": _json(self.removed),
            "text": {"old": _text(self.old), "new": _text(self.new),
                     "added": _text(self.added), "removed": _text(self.removed)},
        }


@record
class Side:
    """What the report says of one input: its release, namespace and workloads."""
    release: str = ""
    namespace: str = ""
    workloads: int = 0

    def as_json(self) -> dict:
        return {"release": self.release, "namespace": self.namespace, "workloads": self.workloads}


@record
class Diff:
    changes: list[Change]
    workloads_added: list[str]
    workloads_removed: list[str]
    warnings: list[str] = field(default_factory=list)
    old: Side = field(default_factory=Side)
    new: Side = field(default_factory=Side)

    @property
    def widens(self) -> bool:
        """Whether NEW allows anything OLD did not (new workloads' connections included)."""
        return any(c.added for c in self.changes)

    @property
    def narrows(self) -> bool:
        return any(c.removed for c in self.changes)

    def counts(self) -> dict:
        out = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for c in self.changes:
            out[c.type] += 1
        return {**out, "widened": sum(1 for c in self.changes if c.added),
                "narrowed": sum(1 for c in self.changes if c.removed),
                "workloadsAdded": len(self.workloads_added), "workloadsRemoved": len(self.workloads_removed)}


@lru_cache(maxsize=4096)
def _text(conn: ConnSet) -> str:
    return str(conn) if conn else "No Connections"


@lru_cache(maxsize=4096)
def _json(conn: ConnSet) -> dict:
    return conn.as_json()  # shared by every change with this set: never modified


def _by_key(result: Connectivity, side: str, warnings: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, w in enumerate(result.workloads):
        if w.key in out:
            warnings.append(f"{side}: two workloads are named {w.key}: the diff compares the first")
            continue
        out[w.key] = i
    return out


def _refine(a: list, b: list) -> list[tuple[int, int, int]]:
    """The coarsest partition finer than both partitions ``a`` and ``b`` (each covers both families)."""
    starts = sorted({(v, lo) for v, lo, _ in a} | {(v, lo) for v, lo, _ in b})
    ends = {4: 2 ** 32 - 1, 6: 2 ** 128 - 1}
    out = []
    for k, (v, lo) in enumerate(starts):
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        out.append((v, lo, nxt[1] - 1 if nxt is not None and nxt[0] == v else ends[v]))
    return out


def _locate(refined: list, ranges: list) -> list[int]:
    """For each refined range, the index of the range of ``ranges`` that holds it."""
    starts = [(v, lo) for v, lo, _ in ranges]
    return [bisect.bisect_right(starts, (v, lo)) - 1 for v, lo, _ in refined]


def diff(old: Connectivity, new: Connectivity) -> Diff:
    """Every pair whose connections differ between ``old`` and ``new``, sorted as ``connlist`` sorts."""
    warnings: list[str] = []
    old_idx, new_idx = _by_key(old, "old", warnings), _by_key(new, "new", warnings)
    old_class, new_class = old.class_of, new.class_of
    status = {k: KEPT if k in old_idx and k in new_idx else REMOVED if k in old_idx else ADDED
              for k in set(old_idx) | set(new_idx)}

    # -- joint classes: (old class or None, new class or None) -> workload keys ---------------------------
    joint_of: dict[tuple, int] = {}
    joint: list[tuple] = []
    members: list[list[str]] = []
    for k in sorted(status):
        j = (old_class[old_idx[k]] if k in old_idx else None, new_class[new_idx[k]] if k in new_idx else None)
        if j not in joint_of:
            joint_of[j] = len(joint)
            joint.append(j)
            members.append([])
        members[joint_of[j]].append(k)
    by_old: dict[int, list[int]] = {}
    by_new: dict[int, list[int]] = {}
    for n, (oc, nc) in enumerate(joint):
        if oc is not None:
            by_old.setdefault(oc, []).append(n)
        if nc is not None:
            by_new.setdefault(nc, []).append(n)

    changes: list[Change] = []
    deltas: dict = {}  # (id(old set), id(new set)) -> (added, removed): few distinct sets, many pairs

    def delta(o: ConnSet, n: ConnSet) -> tuple[ConnSet, ConnSet]:
        key = (id(o), id(n))
        if key not in deltas:
            deltas[key] = (n - o, o - n, o, n)  # the sets themselves too: their ids stay theirs
        return deltas[key][:2]

    def wkey(k: str) -> tuple:
        return (1, k)

    # -- workload pairs -------------------------------------------------------------------------------------
    candidates = set()
    for table, by in ((old.class_pairs, by_old), (new.class_pairs, by_new)):
        for a, b in table:
            for ja in by.get(a, ()):
                for jb in by.get(b, ()):
                    candidates.add((ja, jb))
    for ja, jb in candidates:
        (oa, na), (ob, nb) = joint[ja], joint[jb]
        o = old.class_pairs.get((oa, ob), NONE) if oa is not None and ob is not None else NONE
        n = new.class_pairs.get((na, nb), NONE) if na is not None and nb is not None else NONE
        if o == n:
            continue
        added, removed = delta(o, n)
        for s in members[ja]:
            for d in members[jb]:
                if s != d:
                    changes.append(Change(s, d, o, n, added, removed, src_status=status[s], dst_status=status[d],
                                          order=(wkey(s), wkey(d))))

    # -- workloads and the outside ranges, each direction -----------------------------------------------------
    refined = _refine(old.ranges, new.ranges)
    at_old, at_new = _locate(refined, old.ranges), _locate(refined, new.ranges)
    for n_, (oc, nc) in enumerate(joint):
        for egress, o_table, n_table in ((True, old.egress_ext, new.egress_ext),
                                         (False, old.ingress_ext, new.ingress_ext)):
            o_list = o_table.get(oc) if oc is not None else None
            n_list = n_table.get(nc) if nc is not None else None
            spans: list[list] = []  # [version, lo, hi, old, new]
            for r, (v, lo, hi) in enumerate(refined):
                o = o_list[at_old[r]] if o_list is not None else NONE
                n = n_list[at_new[r]] if n_list is not None else NONE
                if o == n:
                    continue
                last = spans[-1] if spans else None
                if last and last[0] == v and last[2] + 1 == lo and last[3] == o and last[4] == n:
                    last[2] = hi
                else:
                    spans.append([v, lo, hi, o, n])
            for v, lo, hi, o, n in spans:
                name, rkey, (added, removed) = show(v, lo, hi), (0, v, lo), delta(o, n)
                for k in members[n_]:
                    if egress:
                        changes.append(Change(k, name, o, n, added, removed, dst_range=True, src_status=status[k],
                                              order=(wkey(k), rkey)))
                    else:
                        changes.append(Change(name, k, o, n, added, removed, src_range=True, dst_status=status[k],
                                              order=(rkey, wkey(k))))

    changes.sort(key=lambda c: c.order)
    warnings += [f"old: {w}" for w in old.warnings if w not in new.warnings]
    warnings += [f"new: {w}" for w in new.warnings if w not in old.warnings]
    warnings += [w for w in old.warnings if w in new.warnings]
    return Diff(changes, sorted(k for k, s in status.items() if s == ADDED),
                sorted(k for k, s in status.items() if s == REMOVED), list(dict.fromkeys(warnings)),
                Side(workloads=len(old_idx)), Side(workloads=len(new_idx)))


# -- renderers ---------------------------------------------------------------------------------------------------

def render_text(d: Diff) -> str:
    """For people: a summary, the workloads added (+) and removed (-), then one line per pair and sign,
    ``+ src => dst : what NEW adds`` and ``- src => dst : what it removes``, in connlist order."""
    c = d.counts()
    lines = [f"old: release {d.old.release} in namespace {d.old.namespace}, {_n(d.old.workloads, 'workload')}; "
             f"new: release {d.new.release} in namespace {d.new.namespace}, {_n(d.new.workloads, 'workload')}"]
    if not d.changes and not d.workloads_added and not d.workloads_removed:
        return "\n".join(lines + ["no change in connectivity"]) + "\n"
    verdict = "widens" if d.widens else "does not widen"
    lines.append(f"connectivity {verdict}: {_n(c['widened'], 'pair')} with connections added, {c['narrowed']} "
                 f"with connections removed; workloads: {c['workloadsAdded']} added, {c['workloadsRemoved']} removed")
    if d.workloads_added or d.workloads_removed:
        lines += ["", "Workloads"]
        lines += [f"+ {k}" for k in d.workloads_added] + [f"- {k}" for k in d.workloads_removed]
    if d.changes:
        lines += ["", "Connections (+ allowed only by NEW, - allowed only by OLD)"]
    texts: dict = {}  # id(set) -> text, or "" when empty (the sets are shared by many lines)

    def text(conn: ConnSet) -> str:
        t = texts.get(id(conn))
        if t is None:
            t = texts[id(conn)] = str(conn) if conn else ""
        return t

    for ch in d.changes:
        info = ch.workloads_info
        note = f"  ({info})" if info else ""
        removed, added = text(ch.removed), text(ch.added)
        if removed:
            lines.append(f"- {ch.src} => {ch.dst} : {removed}{note}")
        if added:
            lines.append(f"+ {ch.src} => {ch.dst} : {added}{note}")
    return "\n".join(lines) + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def as_json(d: Diff) -> dict:
    return {"schemaVersion": SCHEMA_VERSIONS["diff"], "widens": d.widens, "narrows": d.narrows,
            "old": d.old.as_json(), "new": d.new.as_json(), "summary": d.counts(),
            "workloads": {"added": d.workloads_added, "removed": d.workloads_removed},
            "changes": [c.as_json() for c in d.changes], "warnings": d.warnings}


def render_json(d: Diff) -> str:
    """``as_json``, one top-level field a line and one change a line (a diff may have millions: the
    compact encoder is many times faster than an indented one, and a change per line reads and greps well)."""
    import json
    doc = as_json(d)
    fields = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in doc.items() if k != "changes"]
    changes = ",\n".join(f"    {json.dumps(c)}" for c in doc["changes"])
    fields.insert(list(doc).index("changes"), '  "changes": [' + (f"\n{changes}\n  ]" if changes else "]"))
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _rows(d: Diff) -> list[tuple[str, ...]]:
    """netpol-analyzer's diff rows: (diff-type, source, destination, dir1, dir2, workloads-diff-info),
    changed first, then added, then removed, each sorted (as netpol-analyzer sorts its lines)."""
    out = []
    for kind in (CHANGED, ADDED, REMOVED):
        out += sorted((c.type, c.src, c.dst, _text(c.old), _text(c.new), c.workloads_info)
                      for c in d.changes if c.type == kind)
    return out


def render_connlist(d: Diff) -> str:
    """netpol-analyzer's ``diff -o txt``."""
    lines = ["Connectivity diff:"]
    for t, s, dst, a, b, info in _rows(d):
        line = f"diff-type: {t}, source: {s}, destination: {dst}, dir1: {a}, dir2: {b}"
        lines.append(line + (f", workloads-diff-info: {info}" if info else ""))
    return "\n".join(lines) + "\n"


def render_csv(d: Diff) -> str:
    """netpol-analyzer's ``diff -o csv``."""
    import csv
    import io
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["diff-type", "source", "destination", "dir1", "dir2", "workloads-diff-info"])
    writer.writerows(_rows(d))
    return buf.getvalue()


def render_md(d: Diff) -> str:
    """netpol-analyzer's ``diff -o md``."""
    lines = ["| diff-type | source | destination | dir1 | dir2 | workloads-diff-info |",
             "|-----------|--------|-------------|------|------|---------------------|"]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(d)]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "connlist": render_connlist, "csv": render_csv,
             "md": render_md}
