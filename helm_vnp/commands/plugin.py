"""`helm vnp install-postrenderer` and `helm vnp postrender-path`: the post-renderer as each Helm takes it.

Helm 4's ``--post-renderer`` takes only the name of an installed ``postrenderer/v1``
plugin, and one plugin directory cannot be both a CLI plugin and a post-renderer, so
the post-renderer ships as a second plugin (``vnp-postrender/``) registered here.
Helm 3 takes a path instead (``postrender-path`` prints it, whatever the plugin's
directory is called), and cannot even read a v1 ``plugin.yaml``: one in a directory
Helm 3 reads hides every Helm 3 plugin, so ``install-postrenderer`` refuses on Helm 3,
and on Helm 4 when a Helm 3 on PATH reads the directory Helm 4 would install into.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helm_vnp.helm import helm_binary, helm_major, plugin_dirs

POSTRENDERER = "vnp-postrender"
# executables on PATH taken for a Helm 3: helm, helm3, helm-3.19, helm-v3 ...
_HELM3_NAMES = re.compile(r"helm(3|-?v?3[.\d]*)?")


def plugin_root() -> Path:
    """The installed plugin's directory as Helm names it ($HELM_PLUGIN_DIR), else this checkout's."""
    return Path(os.environ.get("HELM_PLUGIN_DIR") or Path(__file__).resolve().parents[2])


def postrender_path() -> int:
    """Print the executable Helm 3's ``--post-renderer`` takes (any directory name, any HELM_PLUGINS)."""
    path = plugin_root() / "bin" / POSTRENDERER
    if not os.access(path, os.X_OK):
        sys.stderr.write(f"error: {path} is not an executable file (is helm-vnp installed as a Helm plugin?)\n")
        return 2
    sys.stdout.write(f"{path}\n")
    return 0


def _existing(source: Path) -> tuple[Path | None, bool]:
    """(an installed vnp-postrender entry, whether it is this plugin's own)."""
    for d in plugin_dirs():
        entry = d / POSTRENDERER
        if entry.is_symlink() and not entry.exists():
            entry.unlink()  # left dangling by an uninstalled vnp (a Helm older than our delete hook)
            continue
        if entry.exists():
            return entry, entry.resolve() == source.resolve()
    return None, False


def helm4_install_dir() -> Path:
    """Where Helm 4 puts what `helm plugin install` installs: ``$HELM_DATA_HOME/plugins``, whatever
    ``HELM_PLUGINS`` says (verified on Helm 4.3.1; Helm loads plugins from ``HELM_PLUGINS`` only)."""
    data = os.environ.get("HELM_DATA_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.environ.get("HOME", ""), ".local", "share"), "helm")
    return Path(data) / "plugins"


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def helm3_readers(target: Path, helm: str) -> list[tuple[str, str]]:
    """[(a Helm 3 on PATH, its plugin path)] for each Helm 3 that reads ``target``.

    A Helm 3 is asked as the user would start it: without the HELM_* variables Helm 4 set for this
    plugin (a Helm 4 given its own HELM_DATA_HOME is the separation the README advises), with the
    rest of the environment (HOME, XDG_DATA_HOME) as it is.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    seen = {os.path.realpath(helm)}
    found = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder or ".", name)
            if not _HELM3_NAMES.fullmatch(name) or os.path.realpath(path) in seen or not os.access(path, os.X_OK):
                continue
            seen.add(os.path.realpath(path))
            try:
                version = subprocess.run([path, "version", "--short"], env=env, capture_output=True, text=True,
                                         timeout=30).stdout.strip()
                if not version.startswith("v3."):
                    continue
                listed = subprocess.run([path, "env", "HELM_PLUGINS"], env=env, capture_output=True, text=True,
                                        timeout=30).stdout.strip()
            except (OSError, subprocess.TimeoutExpired):
                continue
            if any(_same(Path(p), target) for p in listed.split(os.pathsep) if p):
                found.append((f"{path} ({version})", listed))
    return found


def install_postrenderer(force: bool = False) -> int:
    from helm_vnp.base.errors import VnpError

    plugin_dir = plugin_root()
    source = plugin_dir / POSTRENDERER
    if not (source / "plugin.yaml").exists():
        sys.stderr.write(f"error: {source}/plugin.yaml not found (is helm-vnp installed as a Helm plugin?)\n")
        return 2
    try:
        helm = helm_binary()
        major = helm_major(helm)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        return 2
    if major < 4:
        sys.stderr.write(
            f"error: Helm {major} needs no post-renderer plugin (and cannot read one: a Helm 4 plugin.yaml in its "
            "plugin directory hides every Helm 3 plugin).\nUse the executable instead:\n"
            f"  helm template|install|upgrade ... --post-renderer {plugin_dir / 'bin' / POSTRENDERER} "
            "--post-renderer-args=-f --post-renderer-args=values.yaml --post-renderer-args=--release=NAME\n"
            "(`helm vnp postrender-path` prints that path), or let `helm vnp template|install|upgrade` wire it.\n")
        return 2
    entry, ours = _existing(source)
    if entry is not None:
        if ours:
            sys.stdout.write(f"{POSTRENDERER} is already installed ({entry})\n")
            return 0
        sys.stderr.write(f"error: another {POSTRENDERER} plugin is installed at {entry}; "
                         f"remove it first: helm plugin uninstall {POSTRENDERER}\n")
        return 2
    target = helm4_install_dir()
    if not any(_same(d, target) for d in plugin_dirs()):
        sys.stderr.write(
            f"error: Helm 4 installs plugins into $HELM_DATA_HOME/plugins ({target}) but loads them from "
            f"HELM_PLUGINS ({os.pathsep.join(map(str, plugin_dirs()))}), so --post-renderer {POSTRENDERER} would "
            "not be found.\nTo give Helm 4 its own plugins, set HELM_DATA_HOME for it and leave HELM_PLUGINS "
            "unset; or use `helm vnp template|install|upgrade`, which install nothing.\n")
        return 2
    readers = [] if force else helm3_readers(target, helm)
    if readers:
        who = "; ".join(f"{h} reads {p}" for h, p in readers)
        sys.stderr.write(
            f"error: not installing {POSTRENDERER} into {target}: Helm 3 reads that directory too ({who}), and a "
            "Helm 4 plugin.yaml there makes every Helm 3 plugin disappear (`failed to load plugins`).\nInstead:\n"
            "  - use `helm vnp template|install|upgrade ...`: they attach the post-renderer for the one call and "
            "install nothing (both Helm versions);\n"
            "  - or give Helm 4 its own data home, e.g. alias helm4='HELM_DATA_HOME=$HOME/.local/share/helm4 helm4' "
            "(HELM_PLUGINS unset), install helm-vnp there and run this command again;\n"
            "  - under Helm 3, pass the executable: --post-renderer \"$(helm vnp postrender-path)\".\n"
            "(--force installs anyway, for a Helm 3 that never runs with this directory.)\n")
        return 2
    proc = subprocess.run([helm, "plugin", "install", str(source)])
    if proc.returncode == 0:
        sys.stderr.write(
            f"note: {POSTRENDERER} is a Helm 4 plugin; a Helm 3 must not read {target}: give Helm 4 its own "
            "HELM_DATA_HOME on a machine that also runs Helm 3. `helm plugin uninstall vnp` removes it too.\n")
    return proc.returncode
