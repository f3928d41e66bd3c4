"""Only what vnp generates for the release is replaced (issue 13, item 8): its kinds, its labels, its names.

Each test runs the real ``vnp-postrender``; a chart document that merely carries vnp's two labels is kept.
"""
from __future__ import annotations

from tests.workloads.kit import NETPOL_ON, postrender

OURS = "    app.kubernetes.io/managed-by: helm-vnp\n    vnp.helm-plugin.io/release: rel\n"


def doc(kind: str, name: str, api: str = "v1", body: str = "") -> str:
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  labels:\n{OURS}{body}"


EARLIER_FENCE = doc("NetworkPolicy", "vnp-rel-workload", "networking.k8s.io/v1", "spec:\n  podSelector: {}\n")
CHART_NETPOL = doc("NetworkPolicy", "chart-np", "networking.k8s.io/v1", "spec:\n  podSelector: {}\n")
SECRET = doc("Secret", "creds", body="stringData:\n  k: v\n")
NAMED_LIKE_OURS = doc("ConfigMap", "vnp-rel", body="data:\n  k: v\n")


def names(run, kind: str) -> list[str]:
    return [o["metadata"]["name"] for o in run.objects if o.get("kind") == kind]


def test_no_config_changes_nothing(tmp_path):
    stream = SECRET + EARLIER_FENCE + NAMED_LIKE_OURS
    run = postrender(tmp_path, stream, values="# no vnp config\n")
    assert run.code == 0, run.stderr
    assert run.stdout == stream.encode()


def test_isolation_replaces_only_its_own_objects(tmp_path):
    run = postrender(tmp_path, SECRET + CHART_NETPOL + EARLIER_FENCE + NAMED_LIKE_OURS, values=NETPOL_ON)
    assert run.code == 0, run.stderr
    assert names(run, "Secret") == ["creds"]
    assert names(run, "ConfigMap") == ["vnp-rel"]
    fence = names(run, "NetworkPolicy")
    assert fence.count("chart-np") == 1
    assert fence.count("vnp-rel-workload") == 1  # the earlier pass's fence is replaced, not duplicated
    assert run.object("NetworkPolicy", "vnp-rel-workload")["spec"] != {"podSelector": {}}


def test_another_release_objects_pass(tmp_path):
    other = EARLIER_FENCE.replace("release: rel", "release: other")
    run = postrender(tmp_path, other, values=NETPOL_ON)
    assert run.code == 0, run.stderr
    assert run.stdout.startswith(other.encode())
