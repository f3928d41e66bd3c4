"""What the connectivity engine reads (issue 14, Inputs): several releases at once with the objects that stand for
the rest of the cluster, ``kind: List`` and typed lists as a cluster prints them, live pods grouped by their
controlling owner (a static pod is its own ``[Pod]``), ``--no-generated``, and the namespace of objects that
name none."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import container, deployment, dump, network_policy, obj, stream
from tests.rules.rulekit import NETPOL_ON

BIN = Path(sys.executable).parent
INSTANCE = "app.kubernetes.io/instance"


def run(tmp_path, text: str, *args: str, values: str | None = NETPOL_ON, cmd: str = "graph"):
    path = tmp_path / "in.yaml"
    path.write_text(text)
    flags = []
    if values is not None:
        (tmp_path / "values.yaml").write_text(values)
        flags = ["-f", str(tmp_path / "values.yaml")]
    base = [str(BIN / "helm-vnp"), cmd, *args, "--rendered", str(path), *flags]
    if cmd == "graph" and "--format" not in args:
        base += ["--format", "connlist"]
    return subprocess.run(base, capture_output=True, text=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def pairs(proc) -> dict[tuple[str, str], str]:
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        left, conns = line.rsplit(" : ", 1)
        src, dst = left.split(" => ")
        out[(src, dst)] = conns
    return out


def nodes(found: dict) -> set[str]:
    return {n for pair in found for n in pair if "[" in n}


def live_pod(name: str, namespace: str, labels: dict, owner: tuple[str, str] | None, **spec) -> dict:
    meta = {"name": name, "namespace": namespace, "labels": labels}
    if owner is not None:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1" if owner[0] != "Node" else "v1", "kind": owner[0],
                                    "name": owner[1], "controller": True, "uid": f"uid-{owner[1]}"}]
    return {"metadata": meta, "spec": {"containers": [{"name": "c", "image": "x"}], **spec},
            "status": {"phase": "Running", "podIP": "10.1.2.3"}}


def typed_list(kind: str, items: list[dict]) -> str:
    """A typed list as the API server returns it: its items carry neither kind nor apiVersion."""
    return dump({"apiVersion": "v1", "kind": kind, "metadata": {"resourceVersion": "1"}, "items": items})


def test_typed_pod_list_groups_live_pods_by_owner_and_a_static_pod_is_its_own(tmp_path):
    rs, labels = ("ReplicaSet", "ingress-7d9f"), {"app": "ingress", "pod-template-hash": "7d9f"}
    text = typed_list("PodList", [
        live_pod("ingress-7d9f-a", "ingress", labels, rs),
        live_pod("ingress-7d9f-b", "ingress", labels, rs),
        live_pod("etcd-node1", "kube-system", {"component": "etcd"}, ("Node", "node1")),
        live_pod("debug", "ingress", {"run": "debug"}, None),
    ])
    found = pairs(run(tmp_path, text, values=None))
    assert nodes(found) == {"ingress/ingress-7d9f[ReplicaSet]", "kube-system/etcd-node1[Pod]", "ingress/debug[Pod]"}


def test_exported_owners_are_not_counted_twice_beside_their_pods(tmp_path):
    """``kubectl get deploy,rs,pods -o yaml``: the pods stand for their ReplicaSet and its Deployment."""
    dep = deployment("api", namespace="shop")
    rs = obj("ReplicaSet", "api-5c6", api_version="apps/v1", namespace="shop",
             spec={"selector": {"matchLabels": {"app": "api"}},
                   "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "c"}]}}})
    rs["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "api",
                                          "controller": True, "uid": "d1"}]
    items = [{**live_pod(f"api-5c6-{i}", "shop", {"app": "api"}, ("ReplicaSet", "api-5c6")), "kind": "Pod",
              "apiVersion": "v1"} for i in "xy"]
    text = dump({"apiVersion": "v1", "kind": "List", "items": [dep, rs, *items, deployment("web", namespace="shop")]})
    found = pairs(run(tmp_path, text, values=None))
    assert nodes(found) == {"shop/api-5c6[ReplicaSet]", "shop/web[Deployment]"}


def test_pods_of_one_owner_that_policies_tell_apart_are_one_workload_each(tmp_path):
    pods = [live_pod(f"db-{i}", "data", {"app": "db", "statefulset.kubernetes.io/pod-name": f"db-{i}"},
                     ("StatefulSet", "db")) for i in range(2)]
    only_first = network_policy("primary-only", namespace="data", pod_selector={"app": "db"}, policy_types=["Ingress"],
                                ingress=[{"from": [{"podSelector": {}}]}])
    only_first["spec"]["podSelector"] = {"matchLabels": {"statefulset.kubernetes.io/pod-name": "db-0"}}
    text = typed_list("PodList", pods) + "---\n" + dump(only_first) + "---\n" + dump(
        deployment("cli", namespace="other"))
    found = pairs(run(tmp_path, text, values=None))
    assert {"data/db(db-0)[StatefulSet]", "data/db(db-1)[StatefulSet]"} <= nodes(found)
    assert ("other/cli[Deployment]", "data/db(db-1)[StatefulSet]") in found
    assert ("other/cli[Deployment]", "data/db(db-0)[StatefulSet]") not in found  # isolated: only same-namespace


def two_releases_and_the_cluster() -> str:
    a = deployment("web", namespace="team-a", labels={INSTANCE: "a"}, containers=[container("c", ports=[8080])])
    b = deployment("db", namespace="team-b", labels={INSTANCE: "b"}, containers=[container("c", ports=[5432])])
    ingress = deployment("controller", namespace="ingress-nginx")
    ns = obj("Namespace", "team-a", api_version="v1", labels={"tier": "tenant"})
    return stream(a, b, ingress, ns)


def test_several_releases_are_isolated_each_and_the_rest_of_the_cluster_is_kept_as_it_is(tmp_path):
    found = pairs(run(tmp_path, two_releases_and_the_cluster()))
    assert nodes(found) == {"team-a/web[Deployment]", "team-b/db[Deployment]", "ingress-nginx/controller[Deployment]"}
    # each release is isolated by its own generated policies: no ingress from the other release or the cluster
    for src in ("team-b/db[Deployment]", "ingress-nginx/controller[Deployment]"):
        assert (src, "team-a/web[Deployment]") not in found
    assert ("team-a/web[Deployment]", "team-b/db[Deployment]") not in found
    # the context workload gets no isolation: everyone reaches it
    into = {src: c for (src, dst), c in found.items() if dst == "ingress-nginx/controller[Deployment]"}
    ranges = [src for src in into if "[" not in src]
    assert ranges and all(into[src] == "All Connections" for src in ranges)
    assert ranges[0].startswith("0.0.0.0-") and any(r.endswith("-255.255.255.255") for r in ranges)


def test_no_generated_shows_what_the_charts_alone_allow(tmp_path):
    found = pairs(run(tmp_path, two_releases_and_the_cluster(), "--no-generated"))
    assert found[("team-b/db[Deployment]", "team-a/web[Deployment]")] == "All Connections"


def test_explain_reads_the_whole_scene(tmp_path):
    proc = run(tmp_path, two_releases_and_the_cluster(), "ingress-nginx/controller", "team-a/web", "--port", "8080",
               cmd="explain")
    assert proc.returncode == 1, proc.stderr  # denied by release a's isolation
    assert "vnp-a" in proc.stdout
    proc = run(tmp_path, two_releases_and_the_cluster(), "ingress-nginx/controller", "team-a/web", "--port", "8080",
               "--no-generated", cmd="explain")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_release_picks_one_and_the_others_become_the_cluster(tmp_path):
    found = pairs(run(tmp_path, two_releases_and_the_cluster(), "--release", "a"))
    # b is not isolated now: it is part of the rest of the cluster (a's egress stays in its namespace)
    assert found[("ingress-nginx/controller[Deployment]", "team-b/db[Deployment]")] == "All Connections"
    assert ("team-b/db[Deployment]", "team-a/web[Deployment]") not in found


def test_objects_without_a_namespace_are_in_the_n_namespace_or_default(tmp_path):
    text = stream(deployment("web"), deployment("api"))
    assert nodes(pairs(run(tmp_path, text, values=None))) == {"default/web[Deployment]", "default/api[Deployment]"}
    assert nodes(pairs(run(tmp_path, text, "-n", "team", values=None))) == {"team/web[Deployment]",
                                                                           "team/api[Deployment]"}


def test_probe_formats_refuse_no_generated_with_a_clear_message(tmp_path):
    proc = run(tmp_path, stream(deployment("web")), "--format", "text", "--no-generated")
    assert proc.returncode == 2 and proc.stdout == "" and "--no-generated" in proc.stderr
    assert "Traceback" not in proc.stderr
