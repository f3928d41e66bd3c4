"""Fixtures for the distribution tests: one wheel and sdist built per session (`python -m build`), pipx from
PyPI in a scratch venv, a copy of the repository served as a git URL on 127.0.0.1, a throw-away GPG key.

Everything is made under pytest's tmp dirs; nothing of the developer's pipx, Helm or GnuPG set-up is read.
PyPI must be reachable (as for the first `helm plugin install`): build's isolated environment, pipx and the
package's dependencies come from it (pip's cache makes later runs fast).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.helmkit import REPO

# what the scratch runs inherit: nothing of the developer's Python, Helm, vnp or GnuPG set-up
_SCRUB = ("HELM_", "VNP_", "PYTHON", "VIRTUAL_ENV", "PIPX_", "GNUPGHOME", "KUBECONFIG")


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    env.update(extra)
    return env


def copy_tree(dest: Path) -> Path:
    """The repository as git would give it (tracked and new files, not ignored), symlinks kept as symlinks
    (helm_vnp/config/vnp.schema.json is one): what a clone, a build or `helm plugin package` starts from."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if not os.path.lexists(src):
            continue  # deleted in the worktree, not yet committed
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dest / rel)
        elif src.is_file():
            shutil.copy2(src, dest / rel)
    return dest


def run(args: list, *, env: dict | None = None, cwd: Path | None = None, timeout: int = 300,
        input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, env=env or clean_env(), cwd=cwd,
                          input=input, stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout.decode(errors='replace')[-3000:]}\n"
                             f"stderr:\n{proc.stderr.decode(errors='replace')[-3000:]}")
    return proc


@dataclass
class Dist:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """`python -m build` of a copy of the repository: the sdist, and the wheel built from that sdist (so the
    wheel also proves the sdist holds everything a build needs)."""
    src = copy_tree(tmp_path_factory.mktemp("build-src") / "helm-vnp")
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, src], env=clean_env(), timeout=600)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return Dist(wheels[0], sdists[0])


@dataclass
class Pipx:
    exe: Path
    home: Path
    bin_dir: Path
    env: dict

    def run(self, *args, timeout: int = 300) -> subprocess.CompletedProcess:
        return run([self.exe, *args], env=self.env, timeout=timeout)


@pytest.fixture(scope="session")
def pipx_venv(tmp_path_factory) -> Path:
    """pipx from PyPI, in a scratch venv of its own."""
    venv = tmp_path_factory.mktemp("pipx-venv")
    run([sys.executable, "-m", "venv", venv])
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "pipx"], timeout=300)
    return venv


@pytest.fixture
def pipx(pipx_venv, tmp_path) -> Pipx:
    """A clean pipx world per test: PIPX_HOME, PIPX_BIN_DIR and PIPX_MAN_DIR in tmp."""
    home, bin_dir = tmp_path / "pipx-home", tmp_path / "pipx-bin"
    env = clean_env(PIPX_HOME=str(home), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "pipx-man"),
                    HOME=str(tmp_path / "home"), PIP_DISABLE_PIP_VERSION_CHECK="1",
                    PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")))
    return Pipx(pipx_venv / "bin" / "pipx", home, bin_dir, env)


# --- a git URL on 127.0.0.1 ---

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"git daemon exited {proc.returncode}: {proc.stderr.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"git daemon did not listen on 127.0.0.1:{port} within {seconds} s")


@dataclass
class GitServer:
    base: Path   # --base-path: holds the bare repository helm-vnp
    url: str     # git://127.0.0.1:PORT/helm-vnp


@pytest.fixture(scope="session")
def git_server(tmp_path_factory) -> GitServer:
    """A bare repository of a copy of the working tree (uncommitted changes included), served read-only by
    `git daemon` on 127.0.0.1 as git://127.0.0.1:PORT/helm-vnp."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True).stdout.strip()
    if not os.access(os.path.join(exec_path, "git-daemon"), os.X_OK):
        pytest.skip(f"git daemon is not installed ({exec_path}/git-daemon; Debian: package git)")
    work = copy_tree(tmp_path_factory.mktemp("git-work") / "helm-vnp")
    git = ["git", "-c", "user.name=helm-vnp tests", "-c", "user.email=tests@example.invalid",
           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    run([*git, "init", "-q"], cwd=work)
    run([*git, "add", "-A"], cwd=work)
    run([*git, "commit", "-q", "-m", "helm-vnp under test"], cwd=work)
    base = tmp_path_factory.mktemp("git-serve")
    run(["git", "clone", "-q", "--bare", work, base / "helm-vnp"])
    for attempt in range(3):  # free_port races with other processes: try another port if it was taken
        port = free_port()
        proc = subprocess.Popen(["git", "daemon", "--export-all", "--reuseaddr", f"--base-path={base}",
                                 "--listen=127.0.0.1", f"--port={port}", str(base)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_for_port(port, proc)
            break
        except AssertionError:
            proc.kill()
            proc.wait()
            if attempt == 2:
                raise
    try:
        yield GitServer(base, f"git://127.0.0.1:{port}/helm-vnp")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- a throw-away GPG key ---

@dataclass
class GpgKey:
    name: str
    secret_keyring: Path  # legacy (non-keybox) format: what Helm's Go openpgp reads, for `helm plugin package`
    public_keyring: Path  # for `helm plugin install --keyring` / `helm plugin verify --keyring`


@pytest.fixture(scope="session")
def gpg_key(tmp_path_factory) -> GpgKey:
    """A fresh RSA signing key without a passphrase, in its own GNUPGHOME (its agent killed afterwards)."""
    gpg = shutil.which("gpg")
    if gpg is None:
        pytest.skip("gpg is not installed (apt-get install gnupg): cannot make a key to sign the plugin with")
    home = tmp_path_factory.mktemp("gnupg")
    home.chmod(0o700)
    out = tmp_path_factory.mktemp("keyrings")
    env = clean_env(GNUPGHOME=str(home))
    name = "helm-vnp test key <tests@example.invalid>"
    try:
        run([gpg, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", name,
             "rsa2048", "sign", "never"], env=env, timeout=120)
        public = run([gpg, "--batch", "--export", name], env=env).stdout
        secret = run([gpg, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys",
                      name], env=env).stdout
        assert public and secret
        (out / "pubring.gpg").write_bytes(public)
        (out / "secring.gpg").write_bytes(secret)
        yield GpgKey(name, out / "secring.gpg", out / "pubring.gpg")
    finally:
        if shutil.which("gpgconf"):
            subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True, timeout=30)
