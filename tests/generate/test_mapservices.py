"""mapServices (vCluster's top-level key) through the real config loader and the post-render: fromHost makes a
Service of another namespace reachable in the release namespace, fromVirtual exposes a release Service elsewhere;
what cannot be applied fails the render with a message naming the config path (lint: netpol.unapplied)."""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import MAPPED_FROM_ANNOTATION, RELEASE_LABEL
from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split
from tests.builders import container, deployment, service, stream
from tests.rules.rulekit import policies_from as config

NS = "team-a"
WEB = deployment("web", containers=[container("web", ports=[{"name": "http", "containerPort": 8080}])])
WEB_SVC = service("web", selector={"app": "web"}, ports=[{"name": "http", "port": 80, "targetPort": "http"}])


def render(values: str, *objects, namespace: str | None = NS, release: str = "shop", **kw):
    policies, _ = config(values)
    text = stream(*(objects or (WEB, WEB_SVC)))
    return post_render(text.encode(), policies, release, namespace, **kw)


def kinds(result, kind: str) -> list[dict]:
    return [o for o in result.generated if o["kind"] == kind]


def workload_policy(result) -> dict:
    return next(o for o in result.generated if o["metadata"]["name"] == "vnp-shop-workload")


FROM_HOST = """
mapServices:
  fromHost:
  - from: shared/postgres
    to: team-a/db
policies:
  networkPolicy:
    enabled: true
"""


def test_from_host_gives_an_external_name_service_and_egress_towards_its_namespace():
    result = render(FROM_HOST)
    [db] = kinds(result, "Service")
    assert db["metadata"]["name"] == "db" and db["metadata"]["namespace"] == NS
    assert db["spec"] == {"type": "ExternalName", "externalName": "postgres.shared.svc.cluster.local"}
    assert db["metadata"]["annotations"] == {MAPPED_FROM_ANNOTATION: "shared/postgres"}
    assert db["metadata"]["labels"][RELEASE_LABEL] == "shop"
    rule = {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "shared"}}}]}
    assert rule in workload_policy(result)["spec"]["egress"]  # all ports: nothing says which
    # the semantics: a release pod reaches any pod of namespace shared, and nothing else of another namespace
    pols = policies_from(result.generated, NS)
    me = Pod(NS, {"app": "web", RELEASE_LABEL: "shop"})
    assert allowed(pols, me, Pod("shared", {"app": "postgres"}, None), 5432)
    assert not allowed(pols, me, Pod("other", {"app": "postgres"}, None), 5432)


def test_from_host_ports_from_the_entry_and_from_a_rendered_service():
    values = FROM_HOST.replace("to: team-a/db", "to: db\n    ports: [{port: 5432}]")
    rule = workload_policy(render(values))["spec"]["egress"][-1]
    assert rule["ports"] == [{"port": 5432, "protocol": "TCP"}]
    host = service("postgres", namespace="shared", selector={"app": "pg"},
                   ports=[{"port": 5432, "targetPort": "pg", "protocol": "TCP"}])
    rule = workload_policy(render(FROM_HOST, WEB, WEB_SVC, host))["spec"]["egress"][-1]
    assert rule["ports"] == [{"port": "pg", "protocol": "TCP"}]


def test_the_cluster_domain_is_configurable():
    values = FROM_HOST.replace("mapServices:\n", "mapServices:\n  clusterDomain: corp.example\n")
    [db] = kinds(render(values), "Service")
    assert db["spec"]["externalName"] == "postgres.shared.svc.corp.example"


def test_without_isolation_only_the_service_is_generated():
    result = render("mapServices:\n  fromHost:\n  - {from: shared/postgres, to: db}\n")
    assert [o["kind"] for o in result.generated] == ["Service"]


def test_a_target_in_another_namespace_is_refused_unless_allowed():
    values = FROM_HOST.replace("to: team-a/db", "to: team-b/db")
    with pytest.raises(VnpError) as exc:
        render(values)
    [p] = exc.value.problems
    assert p.path == "mapServices.fromHost[0].to" and "team-b" in p.message and "otherNamespaces" in p.message
    allowed_values = values + "    otherNamespaces: allow\n"
    [db] = kinds(render(allowed_values), "Service")
    assert db["metadata"]["namespace"] == "team-b"


def test_a_name_the_chart_renders_is_refused():
    values = FROM_HOST.replace("to: team-a/db", "to: web")
    with pytest.raises(VnpError) as exc:
        render(values)
    assert "renders a Service team-a/web already" in exc.value.problems[0].message


def test_post_rendering_the_output_again_changes_nothing():
    first = render(FROM_HOST)
    policies, _ = config(FROM_HOST)
    again = post_render(first.output, policies, "shop", NS)
    assert again.output == first.output
    assert len([d for d in split(again.output) if d.kind == "Service"]) == 2


def test_a_chart_service_with_vnps_labels_but_no_mapping_annotation_is_the_charts():
    lookalike = service("cache", selector={"app": "web"})
    lookalike["metadata"]["labels"] = {"app.kubernetes.io/managed-by": "helm-vnp", RELEASE_LABEL: "shop"}
    policies, _ = config(FROM_HOST)
    out = post_render(stream(WEB, WEB_SVC, lookalike).encode(), policies, "shop", NS).output
    assert [d.name for d in split(out) if d.kind == "Service"] == ["web", "cache", "db"]


FROM_VIRTUAL = """
mapServices:
  fromVirtual:
  - from: team-a/web
    to: shared/shop-web
policies:
  networkPolicy:
    enabled: true
    otherNamespaces: allow
"""


def test_from_virtual_exposes_a_release_service_and_opens_its_ports_to_that_namespace():
    result = render(FROM_VIRTUAL)
    [alias] = kinds(result, "Service")
    assert alias["metadata"]["namespace"] == "shared" and alias["metadata"]["name"] == "shop-web"
    assert alias["spec"]["externalName"] == "web.team-a.svc.cluster.local"
    [pol] = [p for p in kinds(result, "NetworkPolicy") if p["metadata"]["name"].startswith("vnp-shop-from-")]
    assert pol["spec"]["podSelector"] == {"matchLabels": {"app": "web", RELEASE_LABEL: "shop"}}
    assert pol["spec"]["ingress"] == [{"from": [{"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": "shared"}}}], "ports": [{"port": "http", "protocol": "TCP"}]}]
    pols = policies_from(result.generated, NS)
    web = Pod(NS, {"app": "web", RELEASE_LABEL: "shop"}, None, {"http": (8080, "TCP")})
    assert allowed(pols, Pod("shared", {"any": "pod"}), web, 8080)
    assert not allowed(pols, Pod("shared", {"any": "pod"}), web, 9090)
    assert not allowed(pols, Pod("elsewhere", {"any": "pod"}), web, 8080)


def test_from_virtual_needs_otherNamespaces_and_a_rendered_service():
    with pytest.raises(VnpError) as exc:
        render(FROM_VIRTUAL.replace("    otherNamespaces: allow\n", ""))
    assert exc.value.problems[0].path == "mapServices.fromVirtual[0].to"
    with pytest.raises(VnpError) as exc:
        render(FROM_VIRTUAL.replace("from: team-a/web", "from: api"))
    assert exc.value.problems[0].path == "mapServices.fromVirtual[0].from"
    assert "renders no such Service" in exc.value.problems[0].message


def test_unapplied_entries_are_collected_for_lint():
    result = render(FROM_VIRTUAL.replace("from: team-a/web", "from: api"), collect_unapplied=True)
    [u] = result.unapplied
    assert u.path == "mapServices.fromVirtual[0].from"
    assert not kinds(result, "Service")


@pytest.mark.parametrize("bad, expected", [
    ("from: postgres", "namespace/service"),
    ("from: shared/Postgres", "namespace/service"),
])
def test_malformed_entries_are_config_errors(tmp_path, bad, expected):
    from tests.config.helpers import errors
    found = errors(tmp_path, FROM_HOST.replace("from: shared/postgres", bad))
    assert any("mapServices.fromHost[0].from" in e and expected in e for e in found), found


PROJECT = """
policies:
  networkPolicy:
    enabled: true
    project: alpha
"""


def test_project_labels_the_pods_and_admits_the_project_anywhere():
    result = render(PROJECT)
    [dep] = [d for d in result.docs if d.kind == "Deployment"]
    labels = dep.obj["spec"]["template"]["metadata"]["labels"]
    assert labels["vcluster.io/project"] == "alpha" and labels[RELEASE_LABEL] == "shop"
    pols = policies_from(result.generated, NS)
    me = Pod(NS, {"app": "web", RELEASE_LABEL: "shop", "vcluster.io/project": "alpha"})
    same = Pod("team-b", {"vcluster.io/project": "alpha"})
    other = Pod("team-c", {"vcluster.io/project": "beta"})
    assert allowed(pols, same, me, 80) and allowed(pols, me, same, 80)
    assert not allowed(pols, other, me, 80) and not allowed(pols, me, other, 80)
    policies, _ = config(PROJECT)
    assert post_render(result.output, policies, "shop", NS).output == result.output  # idempotent


def test_the_seeds_project_label_names_the_project():
    policies, _ = config("policies:\n  networkPolicy:\n    enabled: true\n    labels:\n"
                         "      vcluster.io/project: alpha\n")
    assert policies["networkPolicy"]["project"] == "alpha"


def test_project_is_refused_with_workload_selectors():
    with pytest.raises(VnpError) as exc:
        render(PROJECT + "  selection: workloadSelectors\n")
    assert exc.value.problems[0].path == "policies.networkPolicy.project"


def test_upgrades_keep_mapped_services_unless_removal_is_allowed():
    from helm_vnp.commands.release_config import Deployed, refuse_removal
    deployed = Deployed(render(FROM_HOST).output, "shop")
    assert deployed.kinds == {"NetworkPolicy", "Service"}
    refuse_removal(deployed, config(FROM_HOST)[0], "shop")  # the same config: nothing lost
    with pytest.raises(VnpError) as exc:
        refuse_removal(deployed, config("policies:\n  networkPolicy:\n    enabled: true\n")[0], "shop")
    assert "Service" in exc.value.problems[0].message


def test_the_generate_command_prints_the_mapped_service_and_refuses_what_it_cannot_map(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    binary = Path(sys.executable).parent / "helm-vnp"
    values = tmp_path / "values.yaml"
    values.write_text(FROM_HOST)
    env = {"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([str(binary), "generate", "-f", str(values), "--release", "shop", "-n", NS],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "externalName: postgres.shared.svc.cluster.local" in proc.stdout
    assert "kubernetes.io/metadata.name: shared" in proc.stdout
    values.write_text(FROM_HOST.replace("to: team-a/db", "to: team-b/db"))
    proc = subprocess.run([str(binary), "generate", "-f", str(values), "--release", "shop", "-n", NS],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and proc.stdout == "" and "mapServices.fromHost[0].to" in proc.stderr
