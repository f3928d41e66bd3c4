"""`helm vnp install-postrenderer`: register the Helm 4 post-renderer plugin."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def install_postrenderer() -> int:
    plugin_dir = os.environ.get("HELM_PLUGIN_DIR") or str(Path(__file__).resolve().parents[2])
    source = Path(plugin_dir) / "vnp-postrender"
    if not (source / "plugin.yaml").exists():
        sys.stderr.write(f"error: {source}/plugin.yaml not found (is helm-vnp installed as a Helm plugin?)\n")
        return 2
    helm = os.environ.get("HELM_BIN") or "helm"
    proc = subprocess.run([helm, "plugin", "install", str(source)])
    return proc.returncode
