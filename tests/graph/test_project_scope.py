"""Project-scoped isolation (``policies.networkPolicy.project``, the seed 000's Platform example) seen by the
connectivity engine: three releases post-rendered on their own, two of project alpha in two namespaces and one of
project beta, read at once by ``helm vnp graph --rendered``; the two of alpha reach each other, beta reaches
neither and is reached by neither."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import container, deployment, stream
from tests.graph.test_engine_inputs import pairs

BIN = Path(sys.executable).parent
ENV = {"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}


def post_rendered(tmp_path, release: str, namespace: str, project: str) -> str:
    values = tmp_path / f"{release}.yaml"
    values.write_text(f"policies:\n  networkPolicy:\n    enabled: true\n    project: {project}\n")
    chart = stream(deployment(release, namespace=namespace, labels={"app.kubernetes.io/instance": release},
                              containers=[container("c", ports=[8080])]))
    proc = subprocess.run([str(BIN / "vnp-postrender"), "--release", release, "-n", namespace, "-f", str(values)],
                          input=chart, capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_two_releases_of_one_project_reach_each_other_and_a_third_project_does_not(tmp_path):
    path = tmp_path / "all.yaml"
    path.write_text("---\n".join([post_rendered(tmp_path, "a", "team-a", "alpha"),
                                  post_rendered(tmp_path, "b", "team-b", "alpha"),
                                  post_rendered(tmp_path, "c", "team-c", "beta")]))
    proc = subprocess.run([str(BIN / "helm-vnp"), "graph", "--rendered", str(path), "--format", "connlist"],
                          capture_output=True, text=True, env=ENV)
    found = pairs(proc)
    a, b, c = "team-a/a[Deployment]", "team-b/b[Deployment]", "team-c/c[Deployment]"
    assert found[(a, b)] == "All Connections" and found[(b, a)] == "All Connections"
    for x, y in ((a, c), (c, a), (b, c), (c, b)):
        assert (x, y) not in found, (x, y, found.get((x, y)))


def test_without_the_project_the_two_namespaces_are_isolated(tmp_path):
    path = tmp_path / "all.yaml"
    plain = post_rendered(tmp_path, "b", "team-b", "alpha").replace("vcluster.io/project", "example.com/other")
    path.write_text("---\n".join([post_rendered(tmp_path, "a", "team-a", "alpha"), plain]))
    proc = subprocess.run([str(BIN / "helm-vnp"), "graph", "--rendered", str(path), "--format", "connlist"],
                          capture_output=True, text=True, env=ENV)
    found = pairs(proc)
    assert ("team-a/a[Deployment]", "team-b/b[Deployment]") not in found
