"""`helm vnp graph`: the verdicts a user reads must follow NetworkPolicy semantics."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from helm_vnp.graph.analysis import analyse
from helm_vnp.graph.formats import render_dot, render_mermaid, render_text
from tests.builders import container, deployment, network_policy, stream
from tests.rules.rulekit import NETPOL_ON, context

STREAM = stream(deployment("web", containers=[container("web", "nginx", ports=[8080])]),
                deployment("db", containers=[container("db", "postgres", ports=[5432])]))


def verdict(graph, src, dst, port=None):
    es = [e for e in graph["edges"] if e["from"] == src and e["to"] == dst and (port is None or e["port"] == port)]
    assert es, f"no edge {src} -> {dst}"
    return all(e["allowed"] for e in es)


def test_without_isolation_everything_is_open():
    g = analyse(context(STREAM, ""))
    assert g["policies"] == []
    assert verdict(g, "Deployment/web", "metadata") and verdict(g, "other-namespace", "Deployment/db")


def test_isolation_keeps_the_release_together_and_the_rest_out():
    g = analyse(context(STREAM, NETPOL_ON))
    assert g["policies"] == ["vnp-rel-workload"]
    assert verdict(g, "Deployment/web", "Deployment/db", 5432)
    assert verdict(g, "Deployment/web", "dns") and verdict(g, "Deployment/web", "internet-v4")
    assert verdict(g, "Deployment/web", "internet-v6")
    assert not verdict(g, "Deployment/web", "metadata")
    assert not verdict(g, "Deployment/web", "private")
    assert not verdict(g, "Deployment/web", "other-namespace")
    assert not verdict(g, "other-namespace", "Deployment/db")
    assert not verdict(g, "same-namespace", "Deployment/db")
    assert not verdict(g, "outside", "Deployment/web")


def test_a_chart_policy_that_opens_ingress_shows_up():
    web_public = network_policy("web-public", pod_selector={"app": "web"}, ingress=[{"ports": [{"port": 8080}]}])
    opened = STREAM + stream(web_public)
    g = analyse(context(opened, NETPOL_ON))
    assert verdict(g, "outside", "Deployment/web") and verdict(g, "other-namespace", "Deployment/web")
    assert not verdict(g, "outside", "Deployment/db")
    edge = next(e for e in g["edges"] if e["from"] == "outside" and e["to"] == "Deployment/web")
    assert edge["by"] == ["web-public"]


def test_renderings_agree_with_the_analysis():
    g = analyse(context(STREAM, NETPOL_ON))
    text = render_text(g)
    assert "Deployment/web  ->  cloud metadata (169.254.169.254): deny" in text
    assert '"Deployment/web" -> "Deployment/db" [label="5432/TCP"]' in render_dot(g)
    assert '"Deployment/web" -> "metadata"' not in render_dot(g)
    assert render_mermaid(g).startswith("flowchart LR")
    assert json.loads(json.dumps(g)) == g


def test_graph_command_reads_rendered_manifests(tmp_path):
    import subprocess

    stream = tmp_path / "stream.yaml"
    stream.write_text(STREAM)
    values = tmp_path / "values.yaml"
    values.write_text(NETPOL_ON)
    exe = Path(sys.executable).parent / "helm-vnp"
    out = subprocess.run([str(exe), "graph", "--rendered", str(stream), "-f", str(values), "--release", "rel",
                          "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    g = json.loads(out.stdout)
    assert verdict(g, "Deployment/web", "Deployment/db", 5432) and not verdict(g, "outside", "Deployment/web")
    bad = subprocess.run([str(exe), "graph", "--rendered", str(stream), "--format", "svg"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown format 'svg'" in bad.stderr and "Traceback" not in bad.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text(NETPOL_ON + "    enabeld: true\n")
    wrong = subprocess.run([str(exe), "graph", "--rendered", str(stream), "-f", str(typo)],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and wrong.stdout == "" and 'did you mean "enabled"' in wrong.stderr


def test_entry_points_the_release_declares_show_their_peers():
    from tests.builders import obj, service
    web = deployment("web", containers=[container(ports=[{"name": "http", "containerPort": 8080}, 9090])])
    svc = service("web", selector={"app": "web"}, ports=[{"port": 80, "targetPort": "http"}])
    ing = obj("Ingress", "web", api_version="networking.k8s.io/v1", spec={
        "ingressClassName": "nginx", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}})
    graph = analyse(context(stream(web, svc, ing), NETPOL_ON))
    [peer] = [n for n in graph["nodes"] if n["id"].startswith("peer-")]
    assert peer["label"].startswith("ingress class nginx (ingress-nginx/")
    verdicts = {(e["port"], e["allowed"]) for e in graph["edges"] if e["from"] == peer["id"]}
    assert verdicts == {(8080, True), (9090, False)}
    assert "ingress class nginx (ingress-nginx/" in render_text(graph).split("Opened by the release's own objects")[1]
    assert "Opened by" not in render_text(analyse(context(stream(web, svc), NETPOL_ON)))
