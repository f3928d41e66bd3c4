"""Installing, repairing and removing the plugin with the real Helm 4 and Helm 3 (issue 13, item 18):
an offline install whose hook failed repairs itself, an air-gapped install from a wheelhouse, the Helm 4
post-renderer plugin never put where a Helm 3 reads, `helm plugin uninstall` leaving no dangling link,
the Helm 3 post-renderer path whatever the plugin directory is called, config warnings printed once.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.helmkit import HOOKS_CHART, REPO, Helm, copy_repo, helm_binary, install, make_helm

GENERATED = b"# Source: helm-vnp/generated.yaml"
HOOKS_VALUES = REPO / "tests" / "e2e" / "values-hooks.yaml"


# --- offline: a network namespace of our own (unshare), else pip pointed at nothing ---

def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


UNSHARE = _unshare_works()
DEAD = "http://127.0.0.1:9"  # the discard port: nothing answers
OFFLINE_ENV = {"PIP_RETRIES": "0", "PIP_TIMEOUT": "5", "PIP_INDEX_URL": f"{DEAD}/simple", "PIP_NO_CACHE_DIR": "1",
               "http_proxy": DEAD, "https_proxy": DEAD, "HTTP_PROXY": DEAD, "HTTPS_PROXY": DEAD}


def offline(helm: Helm, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    """`helm ARGS` with no network at all (pip's index and proxies dead as well, belt and braces)."""
    prefix = ["unshare", "-rn"] if UNSHARE else []
    return subprocess.run([*prefix, str(helm.binary), *map(str, args)], capture_output=True, cwd=helm.home,
                          env={**helm.env, **OFFLINE_ENV, **(env or {})}, stdin=subprocess.DEVNULL, timeout=900)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """What the README tells a connected machine to run: `python3 -m pip download -d wheelhouse . setuptools`
    (python3 is the interpreter the install hook uses, so the wheels fit it)."""
    house = tmp_path_factory.mktemp("wheelhouse")
    src = copy_repo(tmp_path_factory.mktemp("download") / "helm-vnp")
    proc = subprocess.run(["python3", "-m", "pip", "download", "-q", "--disable-pip-version-check", "-d", str(house),
                           ".", "setuptools>=77"], cwd=src, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"pip download (needs the network, as the first plugin install does) failed:\n{proc.stderr}")
    return house


def test_offline_install_whose_hook_failed_repairs_itself_on_next_use(tmp_path, wheelhouse):
    """Helm 4: the hook fails offline (the venv exists, pip installed nothing); `helm vnp` then says exactly
    what to run instead of `No module named helm_vnp`, and given the wheelhouse it repairs itself."""
    root = copy_repo(tmp_path / "src" / "helm-vnp")
    helm = make_helm(4, tmp_path / "h")
    first = offline(helm, "plugin", "install", root)
    assert first.returncode != 0, "without network the install hook must fail"
    assert (root / ".venv" / "bin" / "python").exists() and not list((root / ".venv").glob(".*installed-*"))

    broken = offline(helm, "vnp", "--version")
    err = broken.stderr.decode()
    assert broken.returncode != 0 and "No module named" not in err, err
    assert b"VNP_WHEELHOUSE=/path/to/wheels" in first.stderr, first.stderr.decode()  # the hook's own message
    assert f"run {root}/bin/install-hook (offline: VNP_WHEELHOUSE=/path/to/wheels {root}/bin/install-hook)" in err
    # the Helm 4 post-renderer, reached through its plugin, says the same (on Helm's own stderr)
    (helm.plugins / "vnp-postrender").symlink_to(helm.plugins / "helm-vnp" / "vnp-postrender")
    pr = offline(helm, "template", "app", HOOKS_CHART, "--post-renderer", "vnp-postrender")
    assert pr.returncode != 0 and f"run {root}/bin/install-hook" in pr.stderr.decode(), pr.stderr.decode()

    repaired = offline(helm, "vnp", "--version", env={"VNP_WHEELHOUSE": str(wheelhouse)})
    assert repaired.stdout == b"helm-vnp 0.1.0\n", repaired.stderr.decode()
    assert b"not installed (yet); installing it now" in repaired.stderr
    again = offline(helm, "vnp", "--version")  # installed now: no hook, no message
    assert (again.stdout, again.stderr) == (b"helm-vnp 0.1.0\n", b"")
    out = offline(helm, "template", "app", HOOKS_CHART, "--post-renderer", "vnp-postrender",
                  "--post-renderer-args=-f", f"--post-renderer-args={HOOKS_VALUES}")
    assert GENERATED in out.stdout, out.stderr.decode()


def test_air_gapped_install_from_the_plugins_own_wheelhouse(tmp_path, wheelhouse):
    """Helm 3, the README's air-gapped recipe: the wheelhouse copied into the plugin as wheelhouse/, then
    `helm plugin install` with no network is the whole installation."""
    root = copy_repo(tmp_path / "src" / "helm-vnp")
    shutil.copytree(wheelhouse, root / "wheelhouse")
    helm = make_helm(3, tmp_path / "h")
    proc = offline(helm, "plugin", "install", root)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"helm-vnp ready in" in proc.stdout
    path = offline(helm, "vnp", "postrender-path")
    assert path.returncode == 0, path.stderr.decode()
    out = offline(helm, "template", "app", HOOKS_CHART, "--post-renderer", path.stdout.decode().strip(),
                  "--post-renderer-args=-f", f"--post-renderer-args={HOOKS_VALUES}")
    assert GENERATED in out.stdout, out.stderr.decode()


def test_a_wheelhouse_that_is_not_a_directory_is_named(tmp_path, plugin_root):
    proc = subprocess.run([str(plugin_root / "bin" / "install-hook")], capture_output=True, text=True,
                          env={**os.environ, "VNP_WHEELHOUSE": str(tmp_path / "nowhere")})
    assert proc.returncode == 1
    assert f"VNP_WHEELHOUSE={tmp_path / 'nowhere'} is not a directory" in proc.stderr


# --- Helm 3 and Helm 4 on one machine ---

def _shared(tmp_path: Path, major: int, extra: dict | None = None) -> Helm:
    """Helm MAJOR as a user runs it with no HELM_* variables: its homes under XDG_*_HOME (the same for both
    versions), and a Helm 3 on PATH as `helm`, where install-postrenderer looks for one."""
    bindir = tmp_path / "bin"
    if not bindir.exists():
        bindir.mkdir()
        (bindir / "helm").symlink_to(helm_binary(3))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "VNP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg" / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg" / "config"), XDG_CACHE_HOME=str(tmp_path / "xdg" / "cache"),
               PATH=f"{bindir}{os.pathsep}{env['PATH']}", KUBECONFIG=str(tmp_path / "no-kubeconfig"), **(extra or {}))
    home = tmp_path / f"run{major}"
    home.mkdir(exist_ok=True)
    plugins = Path(env.get("HELM_DATA_HOME", tmp_path / "xdg" / "data" / "helm")) / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    return Helm(major, helm_binary(major), home, env)


def _plugins(helm: Helm) -> Path:
    return Path(helm.env.get("HELM_DATA_HOME", Path(helm.env["XDG_DATA_HOME"]) / "helm")) / "plugins"


def test_install_postrenderer_refuses_a_plugin_directory_helm3_reads(tmp_path, plugin_root):
    helm4, helm3 = _shared(tmp_path, 4), _shared(tmp_path, 3)
    helm4.run("plugin", "install", plugin_root)
    assert helm3.run("vnp", "--version").stdout == b"helm-vnp 0.1.0\n"  # the legacy plugin serves both
    proc = helm4.run("vnp", "install-postrenderer", check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert f"not installing vnp-postrender into {_plugins(helm4)}: Helm 3 reads that directory too" in err
    assert "helm vnp template|install|upgrade" in err and "HELM_DATA_HOME=" in err
    assert '--post-renderer "$(helm vnp postrender-path)"' in err
    assert not (_plugins(helm4) / "vnp-postrender").exists()
    listed = helm3.run("plugin", "list")
    assert listed.stderr == b"" and b"vnp" in listed.stdout  # every Helm 3 plugin still loads
    assert helm3.run("vnp", "--version").stdout == b"helm-vnp 0.1.0\n"


def test_helm4_with_its_own_data_home_beside_helm3_as_the_readme_advises(tmp_path, plugin_root):
    """README: give Helm 4 its own HELM_DATA_HOME (HELM_PLUGINS unset); both then work side by side."""
    helm3 = _shared(tmp_path, 3)
    helm4 = _shared(tmp_path, 4, {"HELM_DATA_HOME": str(tmp_path / "helm4-data")})
    install(helm3, plugin_root)
    install(helm4, plugin_root)  # helm plugin install + helm vnp install-postrenderer: not refused
    assert (tmp_path / "helm4-data" / "plugins" / "vnp-postrender" / "plugin.yaml").is_file()
    out = helm4.run("template", "app", HOOKS_CHART, "--post-renderer", "vnp-postrender",
                    "--post-renderer-args=-f", f"--post-renderer-args={HOOKS_VALUES}")
    assert GENERATED in out.stdout
    assert helm3.run("plugin", "list").stderr == b""
    path = helm3.run("vnp", "postrender-path").stdout.decode().strip()
    assert GENERATED in helm3.run("template", "app", HOOKS_CHART, "--post-renderer", path,
                                  "--post-renderer-args=-f", f"--post-renderer-args={HOOKS_VALUES}").stdout


def test_install_postrenderer_refuses_when_helm4_would_install_where_it_does_not_load(tmp_path, plugin_root):
    """Helm 4.3.1 installs under $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says (so the README no longer
    advises an own HELM_PLUGINS): a post-renderer installed there would not be found."""
    own = tmp_path / "own-plugins"
    own.mkdir()
    (own / "helm-vnp").symlink_to(plugin_root)
    helm = make_helm(4, tmp_path / "h")
    helm.env["HELM_PLUGINS"] = str(own)
    proc = helm.run("vnp", "install-postrenderer", check=False)
    assert proc.returncode == 2
    assert "Helm 4 installs plugins into $HELM_DATA_HOME/plugins" in proc.stderr.decode()
    assert not (helm.home / "data" / "plugins" / "vnp-postrender").exists()


def test_readme_no_longer_advises_an_own_helm_plugins_for_helm4():
    text = " ".join((REPO / "README.md").read_text().split())
    assert "give Helm 4 its own `HELM_PLUGINS`" not in text
    assert "give Helm 4 its own `HELM_DATA_HOME`" in text


# --- uninstall ---

def test_uninstall_on_helm4_removes_the_postrenderer_link(tmp_path, plugin_root):
    helm = install(make_helm(4, tmp_path / "h"), plugin_root)
    assert (helm.plugins / "vnp-postrender").is_symlink()
    proc = helm.run("plugin", "uninstall", "vnp")
    assert proc.stderr == b"", proc.stderr.decode()
    assert not os.path.lexists(helm.plugins / "vnp-postrender")
    assert os.listdir(helm.plugins) == []
    listed = helm.run("plugin", "list")
    assert listed.stderr == b"" and b"vnp-postrender" not in listed.stdout


def test_uninstall_keeps_a_vnp_postrender_link_that_is_not_ours(tmp_path, plugin_root):
    helm = install(make_helm(3, tmp_path / "h"), plugin_root)
    foreign = helm.plugins / "vnp-postrender"
    foreign.symlink_to(tmp_path / "elsewhere" / "vnp-postrender")  # dangling, but someone else's
    assert helm.run("plugin", "uninstall", "vnp").returncode == 0
    assert foreign.is_symlink()


# --- the Helm 3 post-renderer path, whatever the plugin directory is called ---

def _readme_helm3_command() -> str:
    block = (REPO / "README.md").read_text().split("# bare post-renderer, Helm 3", 1)[1]
    lines = block.split("\n")[1:]
    command = []
    for line in lines:
        if not line.strip() or line.startswith("```"):
            break
        command.append(line)
    return "\n".join(command)


def test_readme_helm3_postrenderer_command_works_when_the_directory_is_named_after_the_git_url(tmp_path,
                                                                                              plugin_root):
    """`helm plugin install https://.../helm-vnp.git` names the directory helm-vnp.git; the README's command
    must not depend on the name. Run it as written (install -> template: no cluster here)."""
    named = tmp_path / "helm-vnp.git"
    named.symlink_to(plugin_root)
    helm = make_helm(3, tmp_path / "h")
    helm.run("plugin", "install", named)
    assert (helm.plugins / "helm-vnp.git").is_symlink()
    command = _readme_helm3_command()
    assert command.startswith("helm install app ./chart"), command
    work = tmp_path / "work"
    shutil.copytree(HOOKS_CHART, work / "chart")
    shutil.copy(HOOKS_VALUES, work / "values.yaml")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "helm").symlink_to(helm.binary)
    proc = subprocess.run(["sh", "-c", command.replace("helm install", "helm template", 1)], cwd=work,
                          capture_output=True, env={**helm.env, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"},
                          timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    assert GENERATED in proc.stdout
    assert helm.run("vnp", "postrender-path").stdout.decode() == \
        f"{helm.plugins / 'helm-vnp.git' / 'bin' / 'vnp-postrender'}\n"


# --- warnings through the wrappers ---

@pytest.mark.parametrize("command", ["template", "install"])
def test_deprecated_isolation_warnings_are_printed_once_through_the_wrappers(helm, command, fake_cluster,
                                                                            tmp_path):
    from tests.e2e.helmkit import memory_driver_env

    values = tmp_path / "legacy.yaml"
    values.write_text("isolation:\n  enabled: true\n  podSecurityStandard: baseline\n")
    extra = ["--dry-run=client"] if command == "install" else []
    env = memory_driver_env(fake_cluster, tmp_path, []) if command == "install" else None
    proc = helm.run("vnp", command, "app", HOOKS_CHART, "-f", values, *extra, env=env)
    err = proc.stderr.decode()
    assert GENERATED in proc.stdout
    assert len(re.findall(r"isolation\.enabled: deprecated", err)) == 1, err
    assert len(re.findall(r"isolation\.podSecurityStandard: deprecated", err)) == 1, err


def test_the_bare_postrenderer_still_warns_about_deprecated_isolation(tmp_path):
    values = tmp_path / "legacy.yaml"
    values.write_text("isolation:\n  enabled: true\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNP_")}
    proc = subprocess.run([sys.executable, "-m", "helm_vnp.postrender", "-f", str(values), "--release", "app"],
                          input=b"", capture_output=True, env=env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().count("isolation.enabled: deprecated") == 1
