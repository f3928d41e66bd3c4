"""Fixtures for the tests against a real control plane: testinfra/cluster (etcd, kube-apiserver and
kube-controller-manager v1.37.2 in one process, no scheduler, no kubelet) started once per session
on free ports in a temporary directory and stopped at the end.  The binary is built when missing
(tools/build_go.py; a cold build takes minutes).  Without go the tests skip, saying so.

Helm runs as in tests/e2e: the real Helm 4 and Helm 3 binaries, each with its own homes and helm-vnp
installed by `helm plugin install` from a copy of this repository; KUBECONFIG points at the cluster.
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import pytest

from tests.cluster.kube import Kube
from tests.e2e.conftest import plugin_source  # noqa: F401 (a fixture: the installed copy of this repository)
from tests.e2e.helmkit import Helm, install, make_helm

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import build_go  # noqa: E402
import cluster as cluster_tool  # noqa: E402

_names = itertools.count(1)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if build_go.go() is None:
        pytest.skip("go is not installed: the test control plane (testinfra/cluster) cannot be built")
    start = time.monotonic()
    try:
        running = cluster_tool.start(tmp_path_factory.mktemp("cluster"), timeout=600)
    except RuntimeError as e:
        pytest.fail(f"the test control plane did not start: {e}")
    running.startup_seconds = time.monotonic() - start
    yield running
    cluster_tool.stop(running)


@pytest.fixture(scope="session")
def kube(cluster) -> Kube:
    return Kube(cluster.kubeconfig)


@pytest.fixture
def namespace(kube, request) -> str:
    """A fresh namespace (its default service account exists), deleted afterwards."""
    name = f"t{next(_names)}-" + request.node.name.split("[")[0].replace("_", "-")[5:40].strip("-")
    kube.create_namespace(name)
    yield name
    try:
        kube.request("DELETE", f"/api/v1/namespaces/{name}")
    except Exception:  # noqa: BLE001 - cleanup only
        pass


def cluster_helm(major: int, home: Path, plugin_root: Path, kubeconfig: Path) -> Helm:
    helm = install(make_helm(major, home), plugin_root)
    helm.env["KUBECONFIG"] = str(kubeconfig)
    return helm


@pytest.fixture(params=[4, 3], ids=["helm4", "helm3"])
def helm(request, tmp_path, plugin_source, cluster) -> Helm:  # noqa: F811
    """Each Helm version with helm-vnp installed, talking to the test control plane."""
    return cluster_helm(request.param, tmp_path / f"helm{request.param}", plugin_source[0], cluster.kubeconfig)
