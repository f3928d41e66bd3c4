#!/usr/bin/env python3
"""`make demo`: render examples/demo-chart through the real Helm 4 with helm-vnp attached.

Installs nothing globally: Helm's homes live under .tools/helm/ (or $VNP_DEMO_HOME), where
this repository is installed as the `vnp` plugin, exactly as a user would
(`helm plugin install`, then `helm vnp install-postrenderer`).  The rendered stream goes
to stdout; a short header (what ran, what vnp added) goes to stderr.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHART = REPO / "examples" / "demo-chart"
VALUES = REPO / "examples" / "values.yaml"
RELEASE, NAMESPACE = "shop", "shop"


def helm_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "VNP_"))}
    env.update(HELM_DATA_HOME=str(home / "data"), HELM_CONFIG_HOME=str(home / "config"),
               HELM_CACHE_HOME=str(home / "cache"), HELM_PLUGINS=str(home / "data" / "plugins"))
    return env


def run(helm: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(helm), *args], env=env, capture_output=True, stdin=subprocess.DEVNULL, cwd=REPO)
    if proc.returncode != 0:
        sys.stderr.write(f"demo: `helm {' '.join(args)}` failed (exit {proc.returncode}):\n"
                         + proc.stderr.decode(errors="replace"))
        raise SystemExit(proc.returncode)
    return proc


def ensure_plugin(helm: Path, env: dict) -> None:
    """The repository installed as Helm plugin `vnp` (a symlink), and vnp-postrender registered."""
    listed = run(helm, env, "plugin", "list").stdout.decode()
    if not re.search(r"^vnp\s", listed, flags=re.M):
        run(helm, env, "plugin", "install", str(REPO))
    if not re.search(r"^vnp-postrender\s", listed, flags=re.M):
        run(helm, env, "vnp", "install-postrenderer")


def main() -> int:
    helm = Path(os.environ.get("VNP_DEMO_HELM") or REPO / ".tools" / "bin" / "helm4")
    if not os.access(helm, os.X_OK):
        sys.stderr.write(f"demo: Helm 4 not found at {helm} (run `make tools`)\n")
        return 2
    home = Path(os.environ.get("VNP_DEMO_HOME") or REPO / ".tools" / "helm")
    env = helm_env(home)
    ensure_plugin(helm, env)
    version = run(helm, env, "version", "--short").stdout.decode().strip()
    args = ["vnp", "template", RELEASE, str(CHART.relative_to(REPO)), "-f", str(VALUES.relative_to(REPO)),
            "-n", NAMESPACE]
    out = run(helm, env, *args)
    stream = out.stdout.decode()
    sources = re.findall(r"^# Source: (.+)\n(?:.*\n)*?kind: (\w+)", stream, re.M)
    generated = [kind for source, kind in sources if source == "helm-vnp/generated.yaml"]
    sys.stderr.write(
        f"# helm-vnp demo with Helm {version}: helm {' '.join(args)}\n"
        f"# {len(sources) - len(generated)} chart documents (pod templates labelled "
        f"vnp.helm-plugin.io/release={RELEASE}), {len(generated)} generated: {', '.join(generated)}\n"
        f"# (Helm homes under {home}; nothing installed elsewhere)\n")
    sys.stderr.write(out.stderr.decode(errors="replace"))
    sys.stdout.write(stream)
    return 0


if __name__ == "__main__":
    sys.exit(main())
