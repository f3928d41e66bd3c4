"""End-to-end fixtures: the real Helm 4.3.1 and 3.19.0 binaries, each run in its own
HELM_DATA_HOME/HELM_CONFIG_HOME/HELM_CACHE_HOME/HELM_PLUGINS, with helm-vnp installed
by `helm plugin install` from a copy of this repository.

The copy (tracked and new files, no .venv) is made once per session; its first install
runs the real install hook (a fresh venv, pip install from PyPI), later installs of the
same copy find that venv and reuse it.  Nothing outside tmp dirs is touched.
The Helm runner, the install and the paths the tests share are in helmkit.py.
"""
from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.helmkit import TOOLS, FirstInstall, Helm, copy_repo, install, make_helm


@pytest.fixture(scope="session")
def plugin_source(tmp_path_factory) -> tuple[Path, FirstInstall]:
    """A copy of the repository named helm-vnp, installed once for real (venv made by the hook)."""
    majors = [m for m in (4, 3) if os.access(TOOLS / f"helm{m}", os.X_OK)]
    if not majors:
        pytest.skip(f"no Helm binaries in {TOOLS} (run `make tools`)")
    root = copy_repo(tmp_path_factory.mktemp("src") / "helm-vnp")
    helm = make_helm(majors[0], tmp_path_factory.mktemp("first-install"))
    venv_before = (root / ".venv").exists()
    start = time.monotonic()
    proc = helm.run("plugin", "install", root, check=False)
    first = FirstInstall(majors[0], proc, venv_before, time.monotonic() - start)
    if proc.returncode != 0:
        pytest.fail("the first `helm plugin install` (the real install hook) failed:\n"
                    + proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace"))
    return root, first


@pytest.fixture
def plugin_root(plugin_source) -> Path:
    return plugin_source[0]


@pytest.fixture(params=[4, 3], ids=["helm4", "helm3"])
def helm(request, tmp_path, plugin_root) -> Helm:
    """Each Helm version with helm-vnp installed (and, on Helm 4, vnp-postrender registered)."""
    return install(make_helm(request.param, tmp_path / f"helm{request.param}"), plugin_root)


@pytest.fixture
def helm4(tmp_path, plugin_root) -> Helm:
    return install(make_helm(4, tmp_path / "helm4"), plugin_root)


@pytest.fixture
def helm3(tmp_path, plugin_root) -> Helm:
    return install(make_helm(3, tmp_path / "helm3"), plugin_root)


# --- a discovery-only API server: lets `install/upgrade --dry-run=client` run without a cluster ---

class _Discovery(BaseHTTPRequestHandler):
    GROUPS = {"apps": "v1", "batch": "v1", "networking.k8s.io": "v1", "policy": "v1"}

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        if path == "/version":
            body = {"major": "1", "minor": "30", "gitVersion": "v1.30.0", "platform": "linux/amd64"}
        elif path == "/api":
            body = {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
        elif path == "/apis":
            body = {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v}],
                 "preferredVersion": {"groupVersion": f"{g}/{v}", "version": v}} for g, v in self.GROUPS.items()]}
        elif path.startswith(("/api/", "/apis/")):
            body = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": path.split("/", 2)[2],
                    "resources": []}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def fake_cluster(tmp_path_factory):
    """(kubeconfig, helper writing HELM_MEMORY_DRIVER_DATA): Helm's memory driver holds the releases,
    a discovery stub answers /version and API discovery; nothing is ever created anywhere."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    home = tmp_path_factory.mktemp("cluster")
    kubeconfig = home / "kubeconfig"
    kubeconfig.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "stub",
        "clusters": [{"name": "stub", "cluster": {"server": f"http://127.0.0.1:{server.server_port}"}}],
        "contexts": [{"name": "stub", "context": {"cluster": "stub", "user": "stub"}}],
        "users": [{"name": "stub", "user": {}}]}))
    yield kubeconfig
    server.shutdown()
