"""Who can talk to whom: every workload pair and every workload with every outside address range, exactly.

Fast by construction, never pod x pod x rule x port:

1. Every selector is evaluated once over the whole population as a bitmask (``labels``); each policy
   becomes the mask of the workloads it selects, each rule the mask of the workloads its peers match.
2. Workloads that every one of those masks treats alike (same selecting policies, same rule peers, same
   resolution of the named ports rules use) form one equivalence class; only classes are computed.
3. For each source class, the classes its egress could reach (an OR of rule masks over classes) are ANDed
   with the classes whose ingress admits it (built per distinct rule mask, not per pair); only the pairs
   left, the ones that may connect, get their connection set computed from the few rules that apply.
4. Addresses outside the cluster are cut into the disjoint ranges every ipBlock agrees on, and each class
   gets one connection set per range and direction (classes with the same rules share the work).

A connection needs the source's egress and the destination's ingress; an isolated direction allows the
union of its selecting policies' rules, an unisolated one everything.  Cluster-wide admin policies
(``admin``: AdminNetworkPolicy, BaselineAdminNetworkPolicy) come in as more masks of the same kind: their
subjects and rule peers join the class signature, and each side of a class pair is decided by
``admin.layered`` (admin rules by precedence, then NetworkPolicies, then the baseline).
"""
from __future__ import annotations

import bisect

from helm_vnp.base.record import field, record
from helm_vnp.connectivity.addresses import AddrSet, partition
from helm_vnp.connectivity.admin import ALLOW, Admin, compile_admin, layered
from helm_vnp.connectivity.conns import ALL, NONE, ConnSet
from helm_vnp.connectivity.labels import LabelIndex, members
from helm_vnp.connectivity.policies import EGRESS, INGRESS, Policy, Rule, compile_policies
from helm_vnp.connectivity.workloads import NS_NAME_LABEL, Workload


@record
class Connectivity:
    """The answer: class-level results and the expansion to workloads (``pairs``, ``external``)."""
    workloads: list[Workload]
    policies: list[Policy]
    classes: list[list[int]]  # class -> workload indices
    class_pairs: dict  # (src class, dst class) -> ConnSet (non-empty)
    ranges: list[tuple[int, int, int]]  # (version, lo, hi): the outside addresses, cut
    egress_ext: dict  # class -> [ConnSet per range]
    ingress_ext: dict  # class -> [ConnSet per range]
    warnings: list[str] = field(default_factory=list)
    admin: Admin = field(default_factory=Admin)

    def pairs(self):
        """(src workload index, dst workload index, ConnSet) for every allowed pair, self-loops omitted."""
        for (a, b), conn in self.class_pairs.items():
            for w in self.classes[a]:
                for v in self.classes[b]:
                    if w != v:
                        yield w, v, conn

    def external(self):
        """("egress"|"ingress", workload index, range index, ConnSet) for every allowed one."""
        for direction, table in (("egress", self.egress_ext), ("ingress", self.ingress_ext)):
            for c, conns in table.items():
                for r, conn in enumerate(conns):
                    if conn:
                        for w in self.classes[c]:
                            yield direction, w, r, conn

    def between(self, src: int, dst: int) -> ConnSet:
        """The connection set from workload ``src`` to workload ``dst``."""
        return self.class_pairs.get((self.class_of[src], self.class_of[dst]), NONE)

    @property
    def class_of(self) -> list[int]:
        out = [0] * len(self.workloads)
        for c, ws in enumerate(self.classes):
            for w in ws:
                out[w] = c
        return out


def compute(workloads: list[Workload], objects, namespaces: dict[str, dict] | None = None,
            default_namespace: str = "default", source_of=None) -> Connectivity:
    """Connectivity of ``workloads`` under the NetworkPolicies and admin policies among ``objects``;
    ``namespaces``: name -> labels of the namespaces known from manifests (others carry only their name
    label); ``source_of(obj) -> (file, line)`` locates an invalid admin policy (VnpError, exit 2)."""
    namespaces = dict(namespaces or {})
    for w in workloads:
        namespaces.setdefault(w.namespace, {})
    ns_names = sorted(namespaces)
    ns_index = LabelIndex([{**namespaces[n], NS_NAME_LABEL: n} for n in ns_names])
    pods = LabelIndex([w.labels for w in workloads])
    ns_members: dict[str, int] = {}
    for i, w in enumerate(workloads):
        ns_members[w.namespace] = ns_members.get(w.namespace, 0) | (1 << i)
    policies = compile_policies(objects, default_namespace, pods, ns_index, ns_names, ns_members)
    admin = compile_admin(objects, pods, ns_index, ns_names, ns_members, source_of)
    admins = admin.anps + ([admin.banp] if admin.banp else [])
    admin_rules = [r for p in admins for r in p.ingress + p.egress]
    warnings = [f"{w.key} uses hostNetwork: it is analysed as any pod (as netpol-analyzer does), but most "
                "network plugins apply no NetworkPolicy to it and it talks with its node's address"
                for w in workloads if w.host_network]
    for p in policies:
        for problem in dict.fromkeys(p.problems):
            warnings.append(f"NetworkPolicy {p.namespace}/{p.name}: {problem} (the API server rejects it)")
    warnings += admin.warnings
    rules = [r for p in policies for r in p.ingress + p.egress]

    # -- 2. equivalence classes ------------------------------------------------------------------------
    distinct: dict[int, int] = {}  # mask -> id
    for p in policies:
        distinct.setdefault(p.subject, len(distinct))
    for p in admins:
        distinct.setdefault(p.subject, len(distinct))
    for r in rules + admin_rules:
        r.mask_id = distinct.setdefault(r.pods, len(distinct))
    signature: list[list] = [[] for _ in workloads]
    mask_members: list[list[int]] = []
    for mask in distinct:  # insertion order == id order
        ms = members(mask)
        mask_members.append(ms)
        mid = len(mask_members) - 1
        for w in ms:
            signature[w].append(mid)
    port_names = sorted({name for r in rules + admin_rules for _, name in r.named})
    by_sig: dict[tuple, int] = {}
    classes: list[list[int]] = []
    for i, w in enumerate(workloads):
        key = (tuple(signature[i]), tuple(w.ports.get(n) for n in port_names))
        c = by_sig.get(key)
        if c is None:
            c = by_sig[key] = len(classes)
            classes.append([])
        classes[c].append(i)
    n = len(classes)
    all_classes = (1 << n) - 1
    rep = [ws[0] for ws in classes]
    in_mask = [frozenset(signature[r]) for r in rep]  # class -> ids of the masks it belongs to
    class_of = [0] * len(workloads)
    for c, ws in enumerate(classes):
        for w in ws:
            class_of[w] = c
    mask_classes: list[int] = []  # mask id -> bitmask over classes
    mask_class_list: list[list[int]] = []
    for ms in mask_members:
        cs = sorted({class_of[w] for w in ms})
        mask_class_list.append(cs)
        m = 0
        for c in cs:
            m |= 1 << c
        mask_classes.append(m)

    # -- which rules apply to which class ----------------------------------------------------------------
    e_rules: list[list[Rule]] = [[] for _ in range(n)]
    i_rules: list[list[Rule]] = [[] for _ in range(n)]
    e_isolated = [False] * n
    i_isolated = [False] * n
    for p in policies:
        for c in mask_class_list[distinct[p.subject]]:
            if EGRESS in p.types:
                e_isolated[c] = True
                e_rules[c] += p.egress
            if INGRESS in p.types:
                i_isolated[c] = True
                i_rules[c] += p.ingress

    # admin rules per class and direction, in precedence order (AdminNetworkPolicies by priority, rules in
    # order), and the baseline's
    ea_rules: list[list[Rule]] = [[] for _ in range(n)]
    ia_rules: list[list[Rule]] = [[] for _ in range(n)]
    eb_rules: list[list[Rule]] = [[] for _ in range(n)]
    ib_rules: list[list[Rule]] = [[] for _ in range(n)]
    for p in admins:
        e_to, i_to = (eb_rules, ib_rules) if p is admin.banp else (ea_rules, ia_rules)
        for c in mask_class_list[distinct[p.subject]]:
            e_to[c] += p.egress
            i_to[c] += p.ingress

    # -- 3. pairs that may connect, then their connection sets -------------------------------------------
    reach = []  # class -> classes its egress may reach (a superset: what may be allowed)
    for c in range(n):
        if not e_isolated[c]:
            reach.append(all_classes)
            continue
        m = 0
        for r in e_rules[c]:
            m |= mask_classes[r.mask_id]
        for r in ea_rules[c]:  # an admin Allow opens what no NetworkPolicy allows
            if r.action == ALLOW:
                m |= mask_classes[r.mask_id]
        reach.append(m)
    open_ingress = 0
    for c in range(n):
        if not i_isolated[c]:
            open_ingress |= 1 << c
    admitted_by: dict[int, int] = {}  # rule mask id -> classes whose ingress admits sources of that mask
    for p in policies:
        if INGRESS not in p.types:
            continue
        subj = mask_classes[distinct[p.subject]]
        for r in p.ingress:
            admitted_by[r.mask_id] = admitted_by.get(r.mask_id, 0) | subj
    for p in admin.anps:
        subj = mask_classes[distinct[p.subject]]
        for r in p.ingress:
            if r.action == ALLOW:
                admitted_by[r.mask_id] = admitted_by.get(r.mask_id, 0) | subj
    admits = [open_ingress] * n  # source class -> destination classes that admit it
    for mid, dsts in admitted_by.items():
        for c in mask_class_list[mid]:
            admits[c] |= dsts
    class_ports = [workloads[r].ports for r in rep]

    def side(rules_, isolated: bool, peer: int, dst: int) -> ConnSet:
        if not isolated:
            return ALL
        out = NONE
        for r in rules_:
            if r.mask_id in in_mask[peer]:
                out = out | r.conn(class_ports[dst])
                if out is ALL:
                    break
        return out

    # a side with admin rules depends only on: which admin rules apply (the class's list), which of their
    # peer masks hold the other end, the destination's named ports, and what the NetworkPolicies allow;
    # classes share those, so each distinct combination is decided once
    interned: dict = {}

    def intern(value) -> int:
        return interned.setdefault(value, len(interned))

    admin_ids = frozenset(r.mask_id for r in admin_rules)
    peer_sig = [intern(in_mask[c] & admin_ids) for c in range(n)]
    ports_sig = [intern(tuple(class_ports[c].get(name) for name in port_names)) for c in range(n)]
    decided: dict = {}
    a_sig = {id(lst): intern(tuple(id(r) for r in lst)) for lst in ea_rules + ia_rules + eb_rules + ib_rules}

    def with_admin(a_rules, rules_, isolated: bool, b_rules, peer: int, dst: int) -> ConnSet:
        if not a_rules and (isolated or not b_rules):
            return side(rules_, isolated, peer, dst)
        np_conn = side(rules_, True, peer, dst) if isolated else None
        key = (a_sig[id(a_rules)], None if isolated else a_sig[id(b_rules)], peer_sig[peer], ports_sig[dst], np_conn)
        if key not in decided:
            ports_ = class_ports[dst]
            decided[key] = layered(a_rules, isolated, lambda: np_conn, b_rules,
                                   lambda r: r.mask_id in in_mask[peer], lambda r: r.conn(ports_))
        return decided[key]

    class_pairs = {}
    for a in range(n):
        for b in members(reach[a] & admits[a]):
            conn = with_admin(ea_rules[a], e_rules[a], e_isolated[a], eb_rules[a], b, b)
            if conn:
                conn = conn & with_admin(ia_rules[b], i_rules[b], i_isolated[b], ib_rules[b], a, b)
            if conn:
                class_pairs[(a, b)] = conn

    # -- 4. outside addresses ----------------------------------------------------------------------------
    ranges = partition({r.addrs for r in rules + admin_rules})
    starts = [(v, lo) for v, lo, _ in ranges]
    cache: dict = {}

    def external(rules_: list[Rule], isolated: bool, dst_ports) -> list[ConnSet]:
        """One connection set per range; ``dst_ports``: the named ports of the destination (ingress: the
        class itself; egress: None, an address has no named ports)."""
        if not isolated:
            return [ALL] * len(ranges)
        key = (tuple(id(r) for r in rules_), tuple(sorted(dst_ports.items())) if dst_ports else ())
        if key not in cache:
            out = [NONE] * len(ranges)
            for r in rules_:
                if not r.addrs:
                    continue
                conn = r.conn(dst_ports)
                for k in ranges_in(r.addrs, ranges, starts):
                    out[k] = out[k] | conn
            cache[key] = out
        return cache[key]

    admin_cache: dict = {}
    in_ranges: dict = {}  # id(admin rule) -> the ranges its networks cover

    def external_admin(c: int) -> list[ConnSet]:
        """Egress of class ``c`` to each range when admin rules with networks (or the baseline's) apply:
        each range decided by ``layered`` (admin policies match no address on ingress: that side is the
        NetworkPolicies' alone)."""
        a_rules = [r for r in ea_rules[c] if r.addrs]
        b_rules = [r for r in eb_rules[c] if r.addrs] if not e_isolated[c] else []
        np_out = external(e_rules[c], e_isolated[c], None)
        if not a_rules and not b_rules:
            return np_out
        key = (tuple(id(r) for r in a_rules), tuple(id(r) for r in b_rules), tuple(id(r) for r in e_rules[c]),
               e_isolated[c])
        if key not in admin_cache:
            for r in a_rules + b_rules:
                if id(r) not in in_ranges:
                    in_ranges[id(r)] = frozenset(ranges_in(r.addrs, ranges, starts))
            out = []
            for k in range(len(ranges)):
                out.append(layered(a_rules, e_isolated[c], lambda k=k: np_out[k], b_rules,
                                   lambda r, k=k: k in in_ranges[id(r)], lambda r: r.conn(None)))
            admin_cache[key] = out
        return admin_cache[key]

    egress_ext = {c: external_admin(c) for c in range(n)}
    ingress_ext = {c: external(i_rules[c], i_isolated[c], class_ports[c]) for c in range(n)}
    return Connectivity(workloads, policies, classes, class_pairs, ranges, egress_ext, ingress_ext, warnings,
                        admin)


def ranges_in(addrs: AddrSet, ranges: list, starts: list) -> list[int]:
    """Indices of the (elementary) ranges inside ``addrs``; ``ranges`` is sorted by (version, lo) and
    ``starts`` are their (version, lo)."""
    out = []
    for version, iv in ((4, addrs.v4), (6, addrs.v6)):
        for lo, hi in iv.ranges:
            k = bisect.bisect_left(starts, (version, lo))
            while k < len(ranges) and ranges[k][0] == version and ranges[k][2] <= hi:
                out.append(k)
                k += 1
    return out
