"""`graph --format html` in a real headless Chromium: the page's script ran without an error, the matrix it
builds equals the engine's answer cell by cell, the SVG holds every node and arrow, the filter (``#filter=``)
and the detail of a pair (``#pair=``, the same rules as ``explain``) work, and a hostile name stays text.

Chromium comes from tools/fetch_chromium.py (``make test`` runs it); without one these tests skip, saying
why.  The tests that need no browser (determinism, size bounds, the command line) always run.
"""
from __future__ import annotations

import html.parser
import importlib.util
import ipaddress
import json
import random
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from helm_vnp.connectivity import Workload, compute
from helm_vnp.connectivity import html as page
from helm_vnp.connectivity.conns import NONE
from helm_vnp.connectivity.explain import End, decide
from tests.builders import container, deployment, network_policy, stream
from tests.graph.test_engine_semantics import namespace, policy

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOSTILE = "x</script><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">"

WORKLOADS = [
    Workload("shop", "web", "Deployment", {"app": "web"}, {"http": (8080, "TCP")}),
    Workload("shop", "api", "Deployment", {"app": "api"}, {"http": (9000, "TCP")}),
    Workload("shop", "db", "StatefulSet", {"app": "db"}, {"pg": (5432, "TCP")}),
    Workload("ops", "monitor", "DaemonSet", {"app": "monitor"}),
    Workload("ingress-nginx", "controller", "Deployment", {"app": "ingress"}),
    Workload("evil<b>", HOSTILE, "Pod", {"app": "evil"}),
]
OBJECTS = [
    namespace("ops", {"team": "ops"}),
    policy("deny-all", "shop", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    policy("web", "shop", {
        "podSelector": {"matchLabels": {"app": "web"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}],
                     "ports": [{"port": "http"}]}],
        "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "api"}}}], "ports": [{"port": 9000}]},
                   {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}]}),
    policy("api", "shop", {
        "podSelector": {"matchLabels": {"app": "api"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 9000}]},
                    {"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}}],
                     "ports": [{"port": 9100, "endPort": 9102}]}],
        "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}], "ports": [{"port": "pg"}]},
                   {"to": [{"ipBlock": {"cidr": "10.20.0.0/16"}}], "ports": [{"port": 443}]}]}),
    policy("db", "shop", {"podSelector": {"matchLabels": {"app": "db"}},
                          "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}],
                                       "ports": [{"port": "pg"}]}]}),
    policy(HOSTILE, "evil<b>", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]}),
]


def result(workloads=WORKLOADS):
    return compute(list(workloads), OBJECTS, {"ops": {"team": "ops"}})


# -- a small DOM reader for what Chromium dumps ------------------------------------------------------

class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, dict(attrs), parent, [], []

    def all_text(self) -> str:
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.parts)

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def classes(self) -> set:
        return set((self.attrs.get("class") or "").split())


class Dom(html.parser.HTMLParser):
    VOID = {"meta", "input", "br", "img", "link", "hr"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.at = self.root
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.at)
        self.at.children.append(e)
        self.at.parts.append(e)
        if tag not in self.VOID:
            self.at = e

    def handle_startendtag(self, tag, attrs):
        e = Element(tag, attrs, self.at)
        self.at.children.append(e)
        self.at.parts.append(e)

    def handle_endtag(self, tag):
        e = self.at
        while e is not None and e.tag != tag:
            e = e.parent
        if e is not None and e.parent is not None:
            self.at = e.parent

    def handle_data(self, data):
        self.at.parts.append(data)

    def find(self, tag=None, **attrs):
        return [e for e in self.root.iter() if (tag is None or e.tag == tag)
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def html(self):
        return self.find("html")[0]


# -- Chromium ------------------------------------------------------------------------------------------

def _fetch_tool():
    spec = importlib.util.spec_from_file_location("fetch_chromium", REPO / "tools" / "fetch_chromium.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def chromium():
    tool = _fetch_tool()
    found = tool.find()
    if found is None:
        pytest.skip("no headless chromium that runs a page: `python tools/fetch_chromium.py` provides one "
                    "(make test runs it; it needs apt-get and dpkg, Debian's chromium package)")
    return tool, found


def dump(chromium, tmp_path, text: str, fragment: str = "") -> Dom:
    tool, binary = chromium
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([binary, *tool.flags(str(tmp_path / "profile")), "--virtual-time-budget=2000",
                           "--dump-dom", path.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = Dom(proc.stdout)
    root = dom.html()
    assert root.attrs.get("data-errors") is None, root.attrs.get("data-errors")
    assert root.attrs.get("data-status") == "ready", (root.attrs, proc.stderr[-2000:])
    return dom


def expected_cells(res) -> dict:
    """(end, end) -> what the engine says, with the page's ends ("w<i>" by sorted key, "r<g>" range groups)."""
    data = page.page_data(res)
    keys = [f"{n[0]}/{n[1]}[{n[2]}]" for n in data["nodes"]]
    engine = {w.key: i for i, w in enumerate(res.workloads)}
    out = {}
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if i != j:
                conn = res.between(engine[a], engine[b])
                out[(f"w{i}", f"w{j}")] = page._short(conn) if conn else None
    ext = {(d, w, r): c for d, w, r, c in res.external()}
    groups, _ = page.range_groups(res)
    assert [g[1] for g in data["ranges"]] == [page.describe([res.ranges[x] for x in g]) for g in groups]
    # every range of a group must give the same answer: check them all against the group's cell
    for r in range(len(res.ranges)):
        g = next(g for g, members in enumerate(groups) if r in members)
        for i, a in enumerate(keys):
            for direction, pair in (("egress", (f"w{i}", f"r{g}")), ("ingress", (f"r{g}", f"w{i}"))):
                conn = ext.get((direction, engine[a], r), NONE)
                want = page._short(conn) if conn else None
                assert out.setdefault(pair, want) == want, (pair, r)
    return out


def cells(dom: Dom) -> dict:
    return {(td.attrs["data-s"], td.attrs["data-d"]): None if "none" in td.classes() else td.all_text()
            for td in dom.find("td") if "data-s" in td.attrs}


# -- in the browser --------------------------------------------------------------------------------------

def test_the_matrix_is_the_engines_answer_cell_by_cell_and_the_svg_holds_every_arrow(chromium, tmp_path):
    res = result()
    dom = dump(chromium, tmp_path, page.render(res))
    want = expected_cells(res)
    assert cells(dom) == want
    allowed = {k: v for k, v in want.items() if v}
    assert {"All", "TCP 9000", "TCP 5432", "TCP 443", "TCP 8080"} <= set(allowed.values())
    assert int(dom.html().attrs["data-cells"]) == len(allowed)
    # the picture: one node per workload and per range group with a connection, one arrow per allowed pair
    edges = {(p.attrs["data-s"], p.attrs["data-d"]) for p in dom.find("path") if "edge" in p.classes()}
    assert edges == set(allowed)
    drawn = {g.attrs["data-id"] for g in dom.find("g") if "node" in g.classes()}
    assert {f"w{i}" for i in range(len(WORKLOADS))} <= drawn
    assert drawn == {e for pair in allowed for e in pair}


def test_the_hostile_name_is_text(chromium, tmp_path):
    dom = dump(chromium, tmp_path, page.render(result()), "#pair=w1,w0")
    root = dom.html()
    assert "data-pwned" not in root.attrs
    assert not dom.find("img"), "markup from a workload name became an element"
    assert len(dom.find("script")) == 2  # the data block and the page's own script, nothing injected
    text = root.all_text()
    assert HOSTILE in text and "evil<b>" in text
    # the hostile workload's detail: its own (hostile) policy admits every namespace
    assert HOSTILE in dom.find(id="detail")[0].all_text()


def test_the_filter_from_the_fragment_hides_rows_columns_and_nodes(chromium, tmp_path):
    dom = dump(chromium, tmp_path, page.render(result()), "#filter=shop%2F%20MONITOR")
    assert dom.html().attrs["data-shown"] == "4"
    data = page.page_data(result())
    keep = {f"w{i}" for i, n in enumerate(data["nodes"]) if n[0] == "shop" or n[1] == "monitor"}
    ends = {e for pair in cells(dom) for e in pair}
    assert {e for e in ends if e[0] == "w"} == keep
    assert {e for e in ends if e[0] == "r"} == {f"r{g}" for g in range(len(data["ranges"]))}
    for g in dom.find("g"):
        if "workload" in g.classes():
            assert ("hidden" in g.classes()) == (g.attrs["data-id"] not in keep), g.attrs
    for p in dom.find("path"):
        if "edge" in p.classes():
            gone = any(e[0] == "w" and e not in keep for e in (p.attrs["data-s"], p.attrs["data-d"]))
            assert ("hidden" in p.classes()) == gone


def test_the_detail_of_a_pair_names_the_policies_and_rules_explain_names(chromium, tmp_path):
    res = result()
    data = page.page_data(res)
    keys = [f"{n[0]}/{n[1]}[{n[2]}]" for n in data["nodes"]]
    engine = {w.key: i for i, w in enumerate(res.workloads)}
    api, db, web = (keys.index(f"shop/{n}") for n in ("api[Deployment]", "db[StatefulSet]", "web[Deployment]"))
    for s, d in ((api, db), (web, db), (db, api)):
        dom = dump(chromium, tmp_path, page.render(res), f"#pair=w{s},w{d}")
        box = dom.find(id="detail")[0]
        assert box.attrs["data-pair"] == f"w{s},w{d}"
        answer = decide(res, End(keys[s], engine[keys[s]]), End(keys[d], engine[keys[d]]))
        verdict = next(e for e in box.iter() if "verdict" in e.classes()).all_text()
        assert verdict == (f"ALLOWED: {page._short(answer.conn)}" if answer.conn else "DENIED")
        shown = {e.attrs["data-side"]: e for e in box.iter() if "data-side" in e.attrs}
        for side in answer.sides:
            el = shown[side.direction.lower()]
            assert [e.all_text() for e in el.iter() if "policy" in e.classes()] == side.selecting
            rules = [e.all_text() for e in el.iter() if "rule" in e.classes()]
            assert rules == [f"{r.label}: {page._short(c) if c else 'no port applies to this destination'}"
                             for r, c in side.allowing]
    # a pair with an address range: only the workload's side, and the group's CIDRs
    dom = dump(chromium, tmp_path, page.render(res), f"#pair=w{api},r0")
    assert "outside the cluster" in dom.find(id="detail")[0].all_text()


def test_a_big_release_gets_a_condensed_picture_and_asks_for_a_filter(chromium, tmp_path):
    big = [Workload(f"ns{i % 12}", f"app{i}", "Deployment", {"app": f"a{i % 7}"}) for i in range(180)]
    res = compute(big, OBJECTS)
    text = page.render(res)
    dom = dump(chromium, tmp_path, text)
    assert "condensed" in dom.find("svg")[0].classes()
    assert dom.find(id="matrix-note") and not dom.find("table")
    assert "more than 50" in dom.find(id="picture-note")[0].all_text()
    dom = dump(chromium, tmp_path, text, "#filter=ns3/")
    assert dom.html().attrs["data-shown"] == "15" and len(dom.find("tr")) == 1 + 15 + len(page.page_data(res)["ranges"])


def test_screenshot_of_the_page_is_an_image_of_the_size_asked(chromium, tmp_path):
    tool, binary = chromium
    path = tmp_path / "page.html"
    path.write_text(page.render(result()), encoding="utf-8")
    png = tmp_path / "shot.png"
    subprocess.run([binary, *tool.flags(str(tmp_path / "profile")), "--hide-scrollbars", "--window-size=1200,900",
                    f"--screenshot={png}", path.as_uri() + "#pair=w1,w2"], capture_output=True, timeout=120,
                   check=True)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1200, 900)
    assert png.stat().st_size > 30_000  # not a blank page


# -- without a browser -----------------------------------------------------------------------------------

def test_the_page_is_deterministic_and_independent_of_input_order():
    one = page.render(result())
    assert one == page.render(result())
    shuffled = list(WORKLOADS)
    random.Random(4).shuffle(shuffled)
    assert page.render(result(shuffled)) == one


def test_the_page_fetches_nothing_and_runs_only_its_own_script():
    text = page.render(result())
    dom = Dom(text)
    assert not [e.tag for e in dom.root.iter() if {"src", "href"} & set(e.attrs) or e.tag in ("img", "link", "iframe")]
    assert re.findall(r"https?://[^\s\"'<]+", text) == ["http://www.w3.org/2000/svg"]  # a namespace, not a fetch
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    # the JSON block cannot close its script element
    block = re.search(r'<script type="application/json" id="vnp-data">(.*?)</script>', text, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert [HOSTILE] == [n[1] for n in json.loads(block)["nodes"] if n[0] == "evil<b>"]


def test_the_page_size_follows_classes_not_pairs_and_is_capped(monkeypatch):
    wide = [Workload(f"ns{i % 40}", f"app{i}", "Deployment", {"app": f"a{i % 5}"}) for i in range(2000)]
    res = compute(wide, [])  # no policy: every one of the 4 million pairs is allowed
    text = page.render(res)
    assert len(text) < 400_000, len(text)
    monkeypatch.setattr(page, "DATA_MAX", 10)
    small = page.render(result())
    assert '"tooLarge"' in small and "connlist" in small


def test_graph_format_html_on_the_command_line(tmp_path):
    path = tmp_path / "stream.yaml"
    path.write_text(stream(deployment("web", containers=[container("web", "nginx", ports=[8080])]),
                           network_policy("web", pod_selector={"app": "web"}, ingress=[{"ports": [{"port": 8080}]}])))
    out = tmp_path / "page.html"
    proc = subprocess.run([str(BIN / "helm-vnp"), "graph", "--rendered", str(path), "--release", "rel",
                           "--format", "html", "-o", str(out)], capture_output=True, text=True,
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "helm vnp graph: 1 workloads" in text


def _addresses(items: list[str]) -> set:
    """(version, lo, hi) spans of a description, merged."""
    def span(text):
        if "-" in text and "/" not in text:
            lo, hi = (ipaddress.ip_address(t) for t in text.split("-"))
            return lo.version, int(lo), int(hi)
        net = ipaddress.ip_network(text)
        return net.version, int(net.network_address), int(net.broadcast_address)

    out = []
    for item in items:
        whole, _, rest = item.partition(" except ")
        version, lo, hi = span(whole)
        holes = sorted(span(t)[1:] for t in rest.split(", ")) if rest else []
        at = lo
        for a, b in holes:
            if a > at:
                out.append((version, at, a - 1))
            at = b + 1
        if at <= hi:
            out.append((version, at, hi))
    return set(out)


def test_range_groups_are_described_exactly():
    for objects in (OBJECTS, [policy("p", "shop", {"podSelector": {}, "egress": [
            {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12"]}},
                    {"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8::/48"]}}]},
            {"to": [{"ipBlock": {"cidr": "10.1.2.3/32"}}, {"ipBlock": {"cidr": "10.1.2.5/31"}}]}]})]):
        res = compute(list(WORKLOADS), objects)
        groups, _ = page.range_groups(res)
        assert sorted(x for g in groups for x in g) == list(range(len(res.ranges)))
        for g in groups:
            described = _addresses(page.describe([res.ranges[x] for x in g]))
            merged = []
            for v, lo, hi in (res.ranges[x] for x in g):
                if merged and merged[-1][0] == v and merged[-1][2] + 1 == lo:
                    merged[-1] = (v, merged[-1][1], hi)
                else:
                    merged.append((v, lo, hi))
            assert described == set(merged), page.describe([res.ranges[x] for x in g])
    assert page.describe([(4, 0, 2 ** 32 - 1)]) == ["0.0.0.0/0"]
    assert page.describe([(4, 0, 167772159), (4, 184549376, 2 ** 32 - 1)]) == ["0.0.0.0/0 except 10.0.0.0/8"]


def test_an_empty_release_gives_a_page_that_says_so(chromium, tmp_path):
    dom = dump(chromium, tmp_path, page.render(compute([], [])))
    assert dom.html().attrs["data-shown"] == "0"
    assert dom.find(id="count")[0].all_text() == "0 of 0 workloads"


def test_fetch_chromium_says_why_when_there_is_none(tmp_path):
    """No chromium, no apt-get: exit 2 and a reason (make test goes on, the browser tests skip)."""
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "fetch_chromium.py")], capture_output=True, text=True,
                          env={"PATH": str(tmp_path), "VNP_CHROMIUM_DIR": str(tmp_path / "chromium")}, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "no headless chromium: no chromium on PATH and no apt-get/dpkg" in proc.stderr
    tool = _fetch_tool()
    assert not tool.works("/bin/true")  # a binary that runs no page is not a browser
