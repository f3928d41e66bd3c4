"""What the integration tests share: the two test charts (one lints clean, one has an error), the real Helm
binaries, the repository's own helm-vnp (the venv's console scripts) and a runner with a clean environment."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHARTS = HERE / "charts"
GOOD, BAD = CHARTS / "good", CHARTS / "bad"
TOOLS = REPO / ".tools" / "bin"
VENV_BIN = Path(sys.executable).parent  # helm-vnp and vnp-postrender of the venv running the tests

_SCRUB = ("HELM_", "VNP_", "PYTHON", "KUBECONFIG", "VIRTUAL_ENV", "GITHUB_", "INPUT_", "ARGOCD_", "PRE_COMMIT")


def helm_path(major: int = 4) -> Path:
    path = TOOLS / f"helm{major}"
    if not os.access(path, os.X_OK):
        pytest.skip(f"Helm {major} binary not found at {path} (run `make tools`)")
    return path


def clean_env(home: Path, helm_major: int = 4, **extra: str) -> dict:
    """The environment a user's shell would have: helm (the real one) and helm-vnp on PATH, own Helm homes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    bindir = home / "bin"
    bindir.mkdir(parents=True, exist_ok=True)
    if not (bindir / "helm").exists():
        (bindir / "helm").symlink_to(helm_path(helm_major))
    env["PATH"] = os.pathsep.join([str(bindir), str(VENV_BIN), env.get("PATH", "/usr/bin:/bin")])
    for var, sub in (("HELM_DATA_HOME", "data"), ("HELM_CONFIG_HOME", "config"), ("HELM_CACHE_HOME", "cache")):
        env[var] = str(home / "helm" / sub)
    env["HOME"] = str(home)
    env.update(extra)
    return env


def copy_chart(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def run(args, cwd: Path, env: dict, input: bytes | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, input=input, capture_output=True, text=True,
                          timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    proc = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"git {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def repo_snapshot(dest: Path) -> Path:
    """The files of this repository a clone would have (tracked and new, not ignored; symlinks kept as links)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src, out = REPO / rel, dest / rel
        if not (src.is_symlink() or src.is_file()):
            continue  # deleted in the working tree
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), out)
        else:
            shutil.copy2(src, out)
    return dest


def doc_blocks(page: Path) -> dict:
    """The fenced code blocks of a docs page marked for testing (`<!-- test: NAME -->` on the line before the fence):
    {NAME: code}; the tests run them as written."""
    blocks: dict = {}
    lines = page.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        name = line.strip().removeprefix("<!-- test:").removesuffix("-->").strip()
        if not line.strip().startswith("<!-- test:") or not lines[i + 1].startswith("```"):
            continue
        end = next(j for j in range(i + 2, len(lines)) if lines[j].startswith("```"))
        blocks[name] = "".join(lines[i + 2:end])
    return blocks
