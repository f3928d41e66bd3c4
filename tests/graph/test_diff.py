"""`helm vnp diff OLD NEW`: the connections an upgrade adds and removes, exact, per workload pair and per
workload/address range, with the engine's own answers as the reference (every pair, both sides)."""
from __future__ import annotations

import ipaddress
import random

from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity.conns import NONE
from helm_vnp.connectivity.diff import diff, render_connlist, render_csv, render_md, render_text
from helm_vnp.connectivity.explain import explain

NP = "networking.k8s.io/v1"
V4, V6 = "0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"


def policy(name: str, spec: dict, namespace: str = "shop") -> dict:
    return {"apiVersion": NP, "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": namespace},
            "spec": spec}


def ingress_from(name: str, app: str, peers: list[str] | None, ports: list | None = None) -> dict:
    rule: dict = {}
    if peers is not None:
        rule["from"] = [{"podSelector": {"matchLabels": {"app": p}}} for p in peers]
    if ports is not None:
        rule["ports"] = ports
    return policy(name, {"podSelector": {"matchLabels": {"app": app}}, "policyTypes": ["Ingress"],
                         "ingress": [rule]})


def wl(name: str, ports: dict | None = None, namespace: str = "shop") -> Workload:
    return Workload(namespace, name, "Deployment", {"app": name}, ports or {})


WEB, CACHE = wl("web"), wl("cache")
DB = wl("db", {"pg": (5432, "TCP")})


def lines(d) -> list[str]:
    """The text format's +/- lines."""
    return [x for x in render_text(d).splitlines() if x[:2] in ("+ ", "- ")]


def check_against_engine(old, new, d) -> None:
    """Every change (and every pair without one) agrees with each side's own answer: workload pairs by
    ``between``, address ranges by ``explain`` at both ends of every range of either side."""
    by_pair = {(c.src, c.dst): c for c in d.changes}
    old_ix = {w.key: i for i, w in enumerate(old.workloads)}
    new_ix = {w.key: i for i, w in enumerate(new.workloads)}
    keys = sorted(set(old_ix) | set(new_ix))
    for s in keys:
        for t in keys:
            if s == t:
                continue
            o = old.between(old_ix[s], old_ix[t]) if s in old_ix and t in old_ix else NONE
            n = new.between(new_ix[s], new_ix[t]) if s in new_ix and t in new_ix else NONE
            c = by_pair.get((s, t))
            assert (c.old, c.new) == (o, n) if c else o == n, (s, t)
    addresses = {(v, x) for r in (old.ranges, new.ranges) for v, lo, hi in r for x in (lo, hi)}
    for v, x in sorted(addresses):
        text = str(ipaddress.IPv4Address(x) if v == 4 else ipaddress.IPv6Address(x))
        for k in keys:
            for egress in (True, False):
                src, dst = (k, text) if egress else (text, k)
                o = explain(old, src, dst).conn if k in old_ix else NONE
                n = explain(new, src, dst).conn if k in new_ix else NONE
                found = [c for c in d.changes if _holds(c, k, egress, v, x)]
                if o == n:
                    assert not found, (src, dst)
                else:
                    assert len(found) == 1 and (found[0].old, found[0].new) == (o, n), (src, dst, found)


def _holds(c, workload: str, egress: bool, version: int, x: int) -> bool:
    """Whether change ``c`` is the line of ``workload`` to (egress) or from an address range holding ``x``."""
    if egress and not (c.dst_range and c.src == workload):
        return False
    if not egress and not (c.src_range and c.dst == workload):
        return False
    lo, hi = (ipaddress.ip_address(a) for a in (c.dst if egress else c.src).split("-", 1))
    return lo.version == version and int(lo) <= x <= int(hi)


# -- policies widened, narrowed, removed --------------------------------------------------------------------

OLD_POLICIES = [
    ingress_from("db-in", "db", ["web"], [{"port": "pg"}]),
    ingress_from("cache-in", "cache", ["web"], [{"port": 6379}]),
    ingress_from("web-in", "web", ["db"], [{"port": 80}, {"port": 443}]),
]
NEW_POLICIES = [
    ingress_from("db-in", "db", ["web"], [{"port": "pg"}, {"port": 53, "protocol": "UDP"}]),  # widened
    # cache-in removed: cache's ingress is no longer isolated
    ingress_from("web-in", "web", ["db"], [{"port": 443}]),  # narrowed
]


def test_a_policy_widened_narrowed_and_removed():
    old, new = compute([WEB, DB, CACHE], OLD_POLICIES), compute([WEB, DB, CACHE], NEW_POLICIES)
    d = diff(old, new)
    all_but_6379 = "SCTP 1-65535,TCP 1-6378,6380-65535,UDP 1-65535,all protocols without ports"
    assert lines(d) == [
        f"+ {V4} => shop/cache[Deployment] : All Connections",
        f"+ {V6} => shop/cache[Deployment] : All Connections",
        "+ shop/db[Deployment] => shop/cache[Deployment] : All Connections",
        "- shop/db[Deployment] => shop/web[Deployment] : TCP 80",
        f"+ shop/web[Deployment] => shop/cache[Deployment] : {all_but_6379}",
        "+ shop/web[Deployment] => shop/db[Deployment] : UDP 53",
    ]
    assert d.widens and d.narrows and not d.workloads_added and not d.workloads_removed
    assert d.counts() == {"added": 3, "removed": 0, "changed": 3, "widened": 5, "narrowed": 1,
                          "workloadsAdded": 0, "workloadsRemoved": 0}
    check_against_engine(old, new, d)
    # netpol-analyzer's diff shapes: changed, then added, then removed; whole connection sets on both sides
    assert render_connlist(d).splitlines()[:2] == [
        "Connectivity diff:",
        "diff-type: changed, source: shop/db[Deployment], destination: shop/web[Deployment], "
        "dir1: TCP 80,443, dir2: TCP 443"]
    assert "diff-type: added, source: shop/db[Deployment], destination: shop/cache[Deployment], " \
           "dir1: No Connections, dir2: All Connections" in render_connlist(d)
    assert render_csv(d).splitlines()[0] == "diff-type,source,destination,dir1,dir2,workloads-diff-info"
    assert 'changed,shop/web[Deployment],shop/db[Deployment],TCP 5432,"TCP 5432,UDP 53",' in render_csv(d)
    assert "| changed | shop/web[Deployment] | shop/cache[Deployment] | TCP 6379 | All Connections |  |" \
        in render_md(d)


def test_the_reverse_upgrade_is_the_mirror_image():
    forward = diff(compute([WEB, DB, CACHE], OLD_POLICIES), compute([WEB, DB, CACHE], NEW_POLICIES))
    back = diff(compute([WEB, DB, CACHE], NEW_POLICIES), compute([WEB, DB, CACHE], OLD_POLICIES))
    flip = {"+": "-", "-": "+"}
    assert sorted(lines(back)) == sorted(flip[x[0]] + x[1:] for x in lines(forward))
    assert back.narrows and back.widens  # the removed TCP 80 comes back


def test_no_change_is_said_and_is_not_widening():
    same = diff(compute([WEB, DB], OLD_POLICIES), compute([DB, WEB], list(reversed(OLD_POLICIES))))
    assert same.changes == [] and not same.widens and not same.narrows
    assert render_text(same).endswith("no change in connectivity\n")
    assert render_connlist(same) == "Connectivity diff:\n"


# -- workloads added and removed --------------------------------------------------------------------------------

def test_workloads_added_and_removed_carry_their_connections():
    deny = policy("deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    to_db = policy("to-db", {"podSelector": {}, "policyTypes": ["Egress"],
                             "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}]}]})
    db_in = ingress_from("db-in", "db", None, [{"port": 5432}])
    old = compute([WEB, DB, wl("legacy")], [deny, to_db, db_in])
    new = compute([WEB, DB, wl("worker")], [deny, to_db, db_in])
    d = diff(old, new)
    assert d.workloads_added == ["shop/worker[Deployment]"] and d.workloads_removed == ["shop/legacy[Deployment]"]
    assert lines(d) == [
        "+ shop/worker[Deployment]",
        "- shop/legacy[Deployment]",
        "- shop/legacy[Deployment] => shop/db[Deployment] : TCP 5432  (workload shop/legacy[Deployment] removed)",
        "+ shop/worker[Deployment] => shop/db[Deployment] : TCP 5432  (workload shop/worker[Deployment] added)",
    ]
    assert d.widens  # a new workload's connections are new connectivity
    assert "diff-type: added, source: shop/worker[Deployment], destination: shop/db[Deployment], dir1: No " \
           "Connections, dir2: TCP 5432, workloads-diff-info: workload shop/worker[Deployment] added" \
        in render_connlist(d)
    check_against_engine(old, new, d)


def test_a_fully_isolated_new_workload_is_listed_without_connections():
    deny = policy("deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    d = diff(compute([WEB], [deny]), compute([WEB, DB], [deny]))
    assert d.workloads_added == ["shop/db[Deployment]"] and d.changes == [] and not d.widens
    assert "+ shop/db[Deployment]" in render_text(d)


def test_a_name_twice_on_one_side_is_said():
    d = diff(compute([WEB, WEB, DB], []), compute([WEB, DB], []))
    assert d.warnings == ["old: two workloads are named shop/web[Deployment]: the diff compares the first"]
    assert d.changes == [] and d.workloads_added == d.workloads_removed == []


# -- address ranges ---------------------------------------------------------------------------------------------

def egress_to(*blocks: dict, port: int = 443) -> dict:
    return policy("out", {"podSelector": {}, "policyTypes": ["Egress"],
                          "egress": [{"to": [{"ipBlock": b} for b in blocks], "ports": [{"port": port}]}]})


def test_ranges_are_cut_over_both_sides_and_joined_where_the_change_is_the_same():
    old = compute([WEB, DB], [egress_to({"cidr": "10.0.0.0/8"})])
    new = compute([WEB, DB], [egress_to({"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]},
                                        {"cidr": "192.168.0.0/24"}, {"cidr": "2001:db8::/32"})])
    assert old.ranges != new.ranges
    d = diff(old, new)
    for w in ("db", "web"):
        assert [x for x in lines(d) if x.startswith(("+ shop/" + w, "- shop/" + w))] == [
            f"- shop/{w}[Deployment] => 10.0.1.0-10.0.1.255 : TCP 443",  # the except
            f"- shop/{w}[Deployment] => 10.1.0.0-10.255.255.255 : TCP 443",  # 10/8 beyond 10.0/16: one line
            f"+ shop/{w}[Deployment] => 192.168.0.0-192.168.0.255 : TCP 443",
            f"+ shop/{w}[Deployment] => 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff : TCP 443",
        ]
    check_against_engine(old, new, d)


def test_adjacent_ranges_stay_apart_when_their_change_differs():
    deny = policy("deny", {"podSelector": {}, "policyTypes": ["Egress"]})
    rules = [{"to": [{"ipBlock": {"cidr": "10.0.0.0/16"}}], "ports": [{"port": 443}]},
             {"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}], "ports": [{"port": 80}]}]
    old = compute([WEB], [deny])
    new = compute([WEB], [deny, policy("out", {"podSelector": {}, "policyTypes": ["Egress"], "egress": rules})])
    d = diff(old, new)
    assert lines(d) == ["+ shop/web[Deployment] => 10.0.0.0-10.0.255.255 : TCP 443",
                        "+ shop/web[Deployment] => 10.1.0.0-10.1.255.255 : TCP 80"]
    check_against_engine(old, new, d)


def test_an_ingress_range_change():
    old = compute([WEB], [policy("in", {"podSelector": {}, "ingress": [
        {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]})])
    new = compute([WEB], [policy("in", {"podSelector": {}, "ingress": [
        {"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}]}]})])
    d = diff(old, new)
    assert lines(d) == ["- 169.254.169.254-169.254.169.254 => shop/web[Deployment] : All Connections"]
    check_against_engine(old, new, d)


# -- named ports ------------------------------------------------------------------------------------------------

def test_a_named_port_that_moves_changes_the_connection():
    """The policy says `pg`; the new release serves it on another container port."""
    policies = [ingress_from("db-in", "db", ["web"], [{"port": "pg"}])]
    moved = Workload("shop", "db", "Deployment", {"app": "db"}, {"pg": (6432, "TCP")})
    old, new = compute([WEB, DB], policies), compute([WEB, moved], policies)
    d = diff(old, new)
    assert lines(d) == ["- shop/web[Deployment] => shop/db[Deployment] : TCP 5432",
                        "+ shop/web[Deployment] => shop/db[Deployment] : TCP 6432"]
    assert [c.type for c in d.changes] == ["changed"]
    unnamed = Workload("shop", "db", "Deployment", {"app": "db"}, {})
    gone = diff(old, compute([WEB, unnamed], policies))  # the name no longer resolves: nothing is allowed
    assert lines(gone) == ["- shop/web[Deployment] => shop/db[Deployment] : TCP 5432"]
    check_against_engine(old, new, d)


# -- at scale, and in any order -----------------------------------------------------------------------------------

def test_random_upgrades_agree_with_each_sides_own_answers():
    rng = random.Random(14)
    apps = ["a", "b", "c", "d", "e"]
    for _ in range(25):
        def side():
            ws = [Workload(rng.choice(["x", "y"]), f"w{i}", "Deployment", {"app": rng.choice(apps)},
                           {"http": (rng.choice([80, 8080]), "TCP")}) for i in range(rng.randint(2, 6))]
            ps = []
            for k in range(rng.randint(0, 4)):
                rule: dict = {}
                if rng.random() < 0.7:
                    rule["ports"] = [{"port": rng.choice([80, 8080, "http", 53])}]
                peers = [{"podSelector": {"matchLabels": {"app": rng.choice(apps)}}},
                         {"ipBlock": {"cidr": rng.choice(["10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "::/0"])}}]
                rule["to" if k % 2 else "from"] = rng.sample(peers, rng.randint(1, 2))
                kind = "egress" if k % 2 else "ingress"
                ps.append(policy(f"p{k}", {"podSelector": {"matchLabels": {"app": rng.choice(apps)}},
                                           "policyTypes": [kind.capitalize()], kind: [rule]},
                                 rng.choice(["x", "y"])))
            return compute(ws, ps)
        old, new = side(), side()
        check_against_engine(old, new, diff(old, new))


def test_input_order_does_not_change_the_output():
    ws = [WEB, DB, CACHE]
    a = diff(compute(ws, OLD_POLICIES), compute(ws, NEW_POLICIES))
    b = diff(compute(ws[::-1], OLD_POLICIES[::-1]), compute(ws[1:] + ws[:1], NEW_POLICIES[::-1]))
    for render in (render_text, render_connlist, render_csv, render_md):
        assert render(a) == render(b)
