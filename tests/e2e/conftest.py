"""End-to-end fixtures: the real Helm 4.3.1 and 3.19.0 binaries, each run in its own
HELM_DATA_HOME/HELM_CONFIG_HOME/HELM_CACHE_HOME/HELM_PLUGINS, with helm-vnp installed
by `helm plugin install` from a copy of this repository.

The copy (tracked and new files, no .venv) is made once per session; its first install
runs the real install hook (a fresh venv, pip install from PyPI), later installs of the
same copy find that venv and reuse it.  Nothing outside tmp dirs is touched.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".tools" / "bin"
CHARTS = REPO / "tests" / "charts"
HOOKS_CHART = CHARTS / "vnp-hooks"
DEMO_CHART = REPO / "examples" / "demo-chart"
DEMO_VALUES = REPO / "examples" / "values.yaml"
RELEASE_LABEL = "vnp.helm-plugin.io/release"
FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename"

# what the e2e runs themselves inherit: nothing of the developer's Helm, vnp or Python setup
_SCRUB = ("HELM_", "VNP_", "PYTHON", "KUBECONFIG", "VIRTUAL_ENV")


def helm_binary(major: int) -> Path:
    path = TOOLS / f"helm{major}"
    if not os.access(path, os.X_OK):
        pytest.skip(f"Helm {major} binary not found at {path} (run `make tools`)")
    return path


@dataclass
class Helm:
    """One Helm binary with its own homes; `run` is `helm ARGS` in that world."""

    major: int
    binary: Path
    home: Path
    env: dict

    @property
    def plugins(self) -> Path:
        return Path(self.env["HELM_PLUGINS"])

    def run(self, *args, input: bytes | None = None, cwd: Path | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(self.binary), *map(str, args)], input=input, capture_output=True,
                              cwd=cwd or self.home, env={**self.env, **(env or {})},
                              stdin=None if input is not None else subprocess.DEVNULL, timeout=600)
        if check and proc.returncode != 0:
            raise AssertionError(f"helm{self.major} {' '.join(map(str, args))} exited {proc.returncode}\n"
                                 f"stderr:\n{proc.stderr.decode(errors='replace')}")
        return proc

    @property
    def postrenderer(self) -> str:
        """What this Helm's --post-renderer takes for vnp: the registered plugin's name (Helm 4) or
        the executable inside the installed plugin, $(helm env HELM_PLUGINS)/helm-vnp/bin/vnp-postrender (Helm 3)."""
        return "vnp-postrender" if self.major >= 4 else str(self.plugins / "helm-vnp" / "bin" / "vnp-postrender")


def make_helm(major: int, home: Path) -> Helm:
    binary = helm_binary(major)
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    env.update(HELM_DATA_HOME=str(home / "data"), HELM_CONFIG_HOME=str(home / "config"),
               HELM_CACHE_HOME=str(home / "cache"), HELM_PLUGINS=str(home / "data" / "plugins"),
               KUBECONFIG=str(home / "no-kubeconfig"))
    (home / "data" / "plugins").mkdir(parents=True, exist_ok=True)
    return Helm(major, binary, home, env)


def copy_repo(dest: Path) -> Path:
    """The files a user would get from the git repository (tracked and new, not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@dataclass
class FirstInstall:
    """What the session's first `helm plugin install` did (the real, un-accelerated path)."""

    major: int
    proc: subprocess.CompletedProcess
    venv_before: bool
    seconds: float


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


def install(helm: Helm, plugin_root: Path, postrenderer: bool = True) -> Helm:
    """`helm plugin install` of the copy; on Helm 4 also `helm vnp install-postrenderer`."""
    helm.run("plugin", "install", plugin_root)
    if postrenderer and helm.major >= 4:
        helm.run("vnp", "install-postrenderer")
    return helm


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


def memory_driver_env(kubeconfig: Path, tmp: Path, releases: list[dict]) -> dict:
    """Environment for helm with the memory storage driver preloaded with RELEASES."""
    data = tmp / "releases.json"
    data.write_text(json.dumps(releases))
    return {"KUBECONFIG": str(kubeconfig), "HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": str(data)}


def deployed_release(name: str, namespace: str, chart: str, config: dict | None = None) -> dict:
    return {"name": name, "namespace": namespace, "version": 1, "info": {"status": "deployed"},
            "chart": {"metadata": {"apiVersion": "v2", "name": chart, "version": "0.1.0"}},
            "config": config or {}, "manifest": ""}
