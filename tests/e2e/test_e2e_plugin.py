"""`helm plugin install` of the repository on Helm 4 and Helm 3, and the plugin's own commands."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.e2e_helpers import kube_validate, load_all
from tests.e2e.helmkit import REPO, install, make_helm


def test_first_install_creates_the_plugin_venv_with_the_real_hook(plugin_source):
    root, first = plugin_source
    assert not first.venv_before, "the copied repository must not carry a venv"
    assert b"helm-vnp ready in" in first.proc.stdout, first.proc.stdout
    python = root / ".venv" / "bin" / "python"
    where = subprocess.run([str(python), "-I", "-c", "import helm_vnp; print(helm_vnp.__file__)"],
                           capture_output=True, text=True, check=True, cwd="/").stdout.strip()
    assert where == str(root / "helm_vnp" / "__init__.py"), "the venv must run the installed plugin's own code"
    assert list((root / ".venv").glob(".plugin-installed-*")), "the hook stamps what it installed"


def test_a_second_install_reuses_the_venv(helm, plugin_root):
    """The `helm` fixture installed the same copy again in a fresh Helm home: no new venv, no pip."""
    venv = plugin_root / ".venv"
    stamp = next(venv.glob(".plugin-installed-*"))
    before = (os.stat(venv / "bin" / "python", follow_symlinks=False).st_mtime_ns, stamp.stat().st_mtime_ns)
    install(make_helm(helm.major, helm.home.parent / "again"), plugin_root, postrenderer=False)
    assert (os.stat(venv / "bin" / "python", follow_symlinks=False).st_mtime_ns, stamp.stat().st_mtime_ns) == before


def test_plugin_files_load_without_warnings(helm):
    proc = helm.run("plugin", "list")
    assert proc.stderr == b"", proc.stderr.decode()
    rows = {line.split()[0]: line.split() for line in proc.stdout.decode().splitlines()[1:] if line.strip()}
    assert rows["vnp"][1] == "0.1.0"
    if helm.major >= 4:
        assert rows["vnp"][2:4] == ["cli/v1", "legacy"]
        assert rows["vnp-postrender"][1:4] == ["0.1.0", "postrenderer/v1", "v1"]
    else:
        assert "vnp-postrender" not in rows


def test_help_and_version_through_helm(helm):
    proc = helm.run("vnp", "--help")
    text = proc.stdout.decode()
    for command in ("template", "install", "upgrade", "generate", "install-postrenderer"):
        assert command in text
    assert helm.run("vnp", "--version").stdout == b"helm-vnp 0.1.0\n"
    # Helm's own help page for the plugin comes from plugin.yaml
    assert b"helm vnp template|install|upgrade" in helm.run("help", "vnp").stdout


def test_generate_through_helm_takes_namespace_from_helm(helm):
    """`-n` is consumed by Helm and reaches the plugin as HELM_NAMESPACE."""
    proc = helm.run("vnp", "generate", "-f", REPO / "examples" / "values.yaml", "--release", "app", "-n", "team-a")
    objs = load_all(proc.stdout)
    assert [o["kind"] for o in objs] == ["NetworkPolicy", "ResourceQuota", "LimitRange"]
    for obj in objs:
        assert obj["metadata"]["namespace"] == "team-a"
        assert obj["metadata"]["labels"]["vnp.helm-plugin.io/release"] == "app"
        kube_validate(obj)


def test_install_postrenderer_is_idempotent_on_helm4(helm4):
    again = helm4.run("vnp", "install-postrenderer")
    assert b"already installed" in again.stdout
    link = helm4.plugins / "vnp-postrender"
    assert link.is_symlink() and (link / "plugin.yaml").is_file()


def test_install_postrenderer_after_uninstall_replaces_the_dangling_link(tmp_path, plugin_root):
    """A link left dangling (by a vnp older than its delete hook, or a directory removed by hand) is replaced."""
    helm = install(make_helm(4, tmp_path / "h"), plugin_root)
    helm.run("plugin", "uninstall", "vnp")
    (helm.plugins / "vnp-postrender").symlink_to(helm.plugins / "helm-vnp" / "vnp-postrender")
    assert not (helm.plugins / "vnp-postrender").exists()
    install(helm, plugin_root)
    assert helm.run("plugin", "list").stderr == b""
    assert (helm.plugins / "vnp-postrender" / "plugin.yaml").is_file()


def test_install_postrenderer_refuses_on_helm3_and_keeps_its_plugins_working(helm3):
    proc = helm3.run("vnp", "install-postrenderer", check=False)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    # the path a Helm 3 user passes: $(helm env HELM_PLUGINS)/helm-vnp/bin/vnp-postrender
    assert f"--post-renderer {helm3.plugins / 'helm-vnp' / 'bin' / 'vnp-postrender'} " in err
    assert not (helm3.plugins / "vnp-postrender").exists()
    assert helm3.run("vnp", "--version").returncode == 0


@pytest.mark.parametrize("name", ["vnp", "vnp-postrender", "install-hook"])
def test_bin_scripts_are_executable_with_lf_endings(name):
    path = REPO / "bin" / name
    data = path.read_bytes()
    assert data.startswith(b"#!/bin/sh\n") and b"\r" not in data
    assert os.access(path, os.X_OK)
    staged = subprocess.run(["git", "ls-files", "-s", "--", f"bin/{name}"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout
    if staged:  # a new, not yet committed script has no index entry to check
        assert staged.startswith("100755 "), f"bin/{name} is not executable in git: {staged}"


def test_gitattributes_keeps_lf_for_the_scripts():
    proc = subprocess.run(["git", "check-attr", "eol", "--", "bin/vnp", "bin/vnp-postrender", "bin/install-hook"],
                          cwd=REPO, capture_output=True, text=True, check=True)
    assert proc.stdout.count("eol: lf") == 3, proc.stdout


def test_root_plugin_yaml_stays_in_the_legacy_format():
    """Helm 3 reads only legacy plugin.yaml (a v1 file hides all of its plugins)."""
    from ruamel.yaml import YAML

    meta = YAML(typ="safe").load((REPO / "plugin.yaml").read_text())
    assert "apiVersion" not in meta and "runtime" not in meta
    assert meta["name"] == "vnp" and meta["ignoreFlags"] is False
    assert all("args" not in c for c in meta["platformCommand"]), "Helm <= 3.17 rejects platformCommand args"
    pr = YAML(typ="safe").load((REPO / "vnp-postrender" / "plugin.yaml").read_text())
    assert pr["apiVersion"] == "v1" and pr["type"] == "postrenderer/v1" and pr["name"] == "vnp-postrender"


def test_files_in_the_working_directory_never_shadow_the_plugin(helm, tmp_path):
    """Helm runs plugins in the user's directory; a stray typer.py or helm_vnp/ there must not matter."""
    work = tmp_path / "work"
    (work / "helm_vnp").mkdir(parents=True)
    (work / "helm_vnp" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    (work / "typer.py").write_text("raise SystemExit('shadowed')\n")
    assert helm.run("vnp", "--version", cwd=work).stdout == b"helm-vnp 0.1.0\n"
    proc = helm.run("vnp", "template", "app", REPO / "tests" / "charts" / "vnp-hooks",
                    "-f", REPO / "tests" / "e2e" / "values-hooks.yaml", cwd=work)
    assert b"# Source: helm-vnp/generated.yaml" in proc.stdout  # the post-renderer ran there too


def test_helm3_finds_vnp_postrender_on_path_through_a_symlink(helm3, tmp_path):
    """`--post-renderer vnp-postrender` on Helm 3 is a $PATH lookup; a symlink to the plugin's script works."""
    bindir = tmp_path / "userbin"
    bindir.mkdir()
    (bindir / "vnp-postrender").symlink_to(helm3.plugins / "helm-vnp" / "bin" / "vnp-postrender")
    values = REPO / "tests" / "e2e" / "values-hooks.yaml"
    proc = helm3.run("template", "app", REPO / "tests" / "charts" / "vnp-hooks", "--post-renderer", "vnp-postrender",
                     "--post-renderer-args=-f", f"--post-renderer-args={values}", "--post-renderer-args=--release=app",
                     env={"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"})
    assert b"# Source: helm-vnp/generated.yaml" in proc.stdout


def test_postrenderer_without_its_venv_says_so_on_helm4(tmp_path):
    """A broken installation (no .venv) must not be Helm 4's silent 'exited with error'."""
    import shutil

    root = tmp_path / "helm-vnp"
    shutil.copytree(REPO / "bin", root / "bin")
    shutil.copytree(REPO / "vnp-postrender", root / "vnp-postrender")
    helm = make_helm(4, tmp_path / "h")
    helm.run("plugin", "install", root / "vnp-postrender")
    proc = helm.run("template", "app", REPO / "tests" / "charts" / "vnp-hooks", "--post-renderer", "vnp-postrender",
                    check=False)
    assert proc.returncode != 0
    assert f"vnp-postrender: error: helm-vnp's environment {root}/.venv is missing" in proc.stderr.decode()
