"""`helm vnp install-postrenderer`: register the Helm 4 post-renderer plugin.

Helm 4's ``--post-renderer`` takes only the name of an installed ``postrenderer/v1``
plugin, and one plugin directory cannot be both a CLI plugin and a post-renderer, so
the post-renderer ships as a second plugin (``vnp-postrender/``) registered here.
Helm 3 takes a path instead, and cannot even read a v1 ``plugin.yaml`` (one in its
plugin directory hides every Helm 3 plugin), so on Helm 3 this command refuses.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helm_vnp.helm import helm_binary, helm_major, plugin_dirs

POSTRENDERER = "vnp-postrender"


def _existing(source: Path) -> tuple[Path | None, bool]:
    """(an installed vnp-postrender entry, whether it is this plugin's own)."""
    for d in plugin_dirs():
        entry = d / POSTRENDERER
        if entry.is_symlink() and not entry.exists():
            entry.unlink()  # left dangling by an uninstalled vnp (Helm leaves it behind)
            continue
        if entry.exists():
            return entry, entry.resolve() == source.resolve()
    return None, False


def install_postrenderer() -> int:
    from helm_vnp.base.errors import VnpError

    plugin_dir = os.environ.get("HELM_PLUGIN_DIR") or str(Path(__file__).resolve().parents[2])
    source = Path(plugin_dir) / POSTRENDERER
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
            f"  helm template|install|upgrade ... --post-renderer {Path(plugin_dir) / 'bin' / POSTRENDERER} "
            "--post-renderer-args=-f --post-renderer-args=values.yaml --post-renderer-args=--release=NAME\n"
            "or let `helm vnp template|install|upgrade` wire it.\n")
        return 2
    entry, ours = _existing(source)
    if entry is not None:
        if ours:
            sys.stdout.write(f"{POSTRENDERER} is already installed ({entry})\n")
            return 0
        sys.stderr.write(f"error: another {POSTRENDERER} plugin is installed at {entry}; "
                         f"remove it first: helm plugin uninstall {POSTRENDERER}\n")
        return 2
    proc = subprocess.run([helm, "plugin", "install", str(source)])
    if proc.returncode == 0:
        sys.stderr.write(
            f"note: {POSTRENDERER} is a Helm 4 plugin; Helm 3 must not share this plugin directory "
            f"({os.pathsep.join(map(str, plugin_dirs()))}): give Helm 3 its own HELM_DATA_HOME or HELM_PLUGINS.\n")
    return proc.returncode
