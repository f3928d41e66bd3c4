"""mapServices, project-scoped isolation and confined chart policies through the real Helm 4 and 3
(`helm template --post-renderer`, the installed plugin), on `helm create`'s chart plus a NetworkPolicy of its
own; judged by the NetworkPolicy semantics (helm_vnp.k8s.netpol), and the refusal reaching Helm's exit code."""
from __future__ import annotations

from pathlib import Path

from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from tests.e2e.e2e_helpers import load_all
from tests.e2e.helmkit import RELEASE_LABEL, Helm

NS = "team-a"
VALUES = """
mapServices:
  fromHost:
    - from: shared/postgres
      to: team-a/db
  fromVirtual:
    - from: web
      to: shared/shop-web
policies:
  networkPolicy:
    enabled: true
    project: alpha
    confineChartPolicies: true
    otherNamespaces: allow
"""
CHART_POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "web.fullname" . }}-scrape
spec:
  podSelector:
    matchLabels:
      {{- include "web.selectorLabels" . | nindent 6 }}
  ingress:
    - from:
        - namespaceSelector: {}   # every namespace: confined to the release's
      ports:
        - port: http
"""


def template(helm: Helm, values: str, tmp_path: Path, check: bool = True):
    helm.run("create", "web", cwd=tmp_path)
    (tmp_path / "web" / "templates" / "scrape-policy.yaml").write_text(CHART_POLICY)
    path = tmp_path / "values.yaml"
    path.write_text(values)
    args = ["-f", str(path), "--release=web", f"--namespace={NS}"]
    return helm.run("template", "web", str(tmp_path / "web"), "-n", NS, "-f", str(path),
                    "--post-renderer", helm.postrenderer, *[f"--post-renderer-args={a}" for a in args],
                    cwd=tmp_path, check=check)


def named(objects: list[dict], kind: str, name: str) -> dict:
    [o] = [o for o in objects if o.get("kind") == kind and o["metadata"]["name"] == name]
    return o


def test_services_projects_and_confined_policies(helm, tmp_path):
    objects = load_all(template(helm, VALUES, tmp_path).stdout)
    db = named(objects, "Service", "db")
    assert db["metadata"]["namespace"] == NS
    assert db["spec"] == {"type": "ExternalName", "externalName": "postgres.shared.svc.cluster.local"}
    alias = named(objects, "Service", "shop-web")
    assert alias["metadata"]["namespace"] == "shared"
    assert alias["spec"]["externalName"] == "web.team-a.svc.cluster.local"
    template_labels = named(objects, "Deployment", "web")["spec"]["template"]["metadata"]["labels"]
    assert template_labels[RELEASE_LABEL] == "web" and template_labels["vcluster.io/project"] == "alpha"
    web = Pod(NS, template_labels, None, {"http": (80, "TCP")})
    vnp = policies_from([o for o in objects if o.get("kind") == "NetworkPolicy"
                         and o["metadata"]["name"].startswith("vnp-")], NS)
    assert allowed(vnp, web, Pod("shared", {"app": "postgres"}), 5432)  # the mapped host service
    assert not allowed(vnp, web, Pod("billing", {"app": "postgres"}), 5432)
    assert allowed(vnp, Pod("shared", {"any": "client"}), web, 80)  # fromVirtual: its namespace gets in
    assert not allowed(vnp, Pod("shared", {"any": "client"}), web, 8080)
    assert allowed(vnp, Pod("team-b", {"vcluster.io/project": "alpha"}), web, 8080)  # same project
    assert not allowed(vnp, Pod("team-c", {"vcluster.io/project": "beta"}), web, 80)
    chart = named(objects, "NetworkPolicy", "web-scrape")
    assert chart["spec"]["ingress"][0]["from"] == [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": NS}},
        "podSelector": {"matchLabels": {RELEASE_LABEL: "web"}}}]
    confined = policies_from([chart], NS)
    assert not allowed(confined, Pod("monitoring", {"app": "prometheus"}), web, 80)


def test_a_mapping_out_of_the_release_namespace_fails_helm(helm, tmp_path):
    values = VALUES.replace("    otherNamespaces: allow\n", "").replace("to: team-a/db", "to: team-b/db")
    proc = template(helm, values, tmp_path, check=False)
    assert proc.returncode != 0 and proc.stdout == b""
    err = proc.stderr.decode(errors="replace")  # Helm 3 relays it; under Helm 4 vnp writes to Helm's stderr
    assert "mapServices.fromHost[0].to" in err and "otherNamespaces" in err and "Traceback" not in err
