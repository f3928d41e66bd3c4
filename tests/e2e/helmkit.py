"""The real Helm binaries for the e2e tests: each run in its own HELM_DATA_HOME/HELM_CONFIG_HOME/
HELM_CACHE_HOME/HELM_PLUGINS, with helm-vnp installed by `helm plugin install` from a copy of this
repository; plus the paths and names the e2e tests share.  The fixtures built on these are in conftest.py.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
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


def install(helm: Helm, plugin_root: Path, postrenderer: bool = True) -> Helm:
    """`helm plugin install` of the copy; on Helm 4 also `helm vnp install-postrenderer`."""
    helm.run("plugin", "install", plugin_root)
    if postrenderer and helm.major >= 4:
        helm.run("vnp", "install-postrenderer")
    return helm


def memory_driver_env(kubeconfig: Path, tmp: Path, releases: list[dict]) -> dict:
    """Environment for helm with the memory storage driver preloaded with RELEASES."""
    data = tmp / "releases.json"
    data.write_text(json.dumps(releases))
    return {"KUBECONFIG": str(kubeconfig), "HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": str(data)}


def deployed_release(name: str, namespace: str, chart: str, config: dict | None = None) -> dict:
    return {"name": name, "namespace": namespace, "version": 1, "info": {"status": "deployed"},
            "chart": {"metadata": {"apiVersion": "v2", "name": chart, "version": "0.1.0"}},
            "config": config or {}, "manifest": ""}
