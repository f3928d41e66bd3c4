"""Shared by the tenant tests: the real post-renderer (subprocess or in process), lint, the test chart."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from helm_vnp.config import ValuesInput, load_config
from helm_vnp.release.pipeline import post_render
from tests.lint.lint_helpers import HELM3, HELM4, POSTRENDER, need, run_cli

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHART = HERE / "charts" / "shop"
EXAMPLE = REPO / "examples" / "tenant" / "values.yaml"
TENANT = "policies:\n  tenant:\n"

__all__ = ["CHART", "EXAMPLE", "HELM3", "HELM4", "POSTRENDER_ARGS", "TENANT", "helm_template", "in_process",
           "lint_json", "need", "policies", "postrender", "run_cli", "values_file"]


def values_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "values.yaml"
    path.write_text(text)
    return path


def policies(tmp_path: Path, text: str) -> dict:
    return load_config(ValuesInput([str(values_file(tmp_path, text))]), use_cache=False).policies


def in_process(tmp_path: Path, stream: str, values: str, namespace: str = "team-a"):
    """post_render in this process: the ``Result`` (raises VnpError when the render is refused)."""
    return post_render(stream.encode(), policies(tmp_path, values), "shop", namespace)


def postrender(stream: bytes, *args: str) -> tuple[int, bytes, str]:
    """The installed ``vnp-postrender`` console script: (exit code, stdout, stderr)."""
    exe = need(POSTRENDER, "the vnp-postrender console script")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNP_", "HELM_"))}
    env["VNP_NO_CACHE"] = "1"
    proc = subprocess.run([str(exe), "--release", "shop", "-n", "team-a", *args], input=stream, capture_output=True,
                          env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode()


def helm_template(helm: Path, *args: str) -> subprocess.CompletedProcess:
    """Plain ``helm template`` of the test chart (no post-renderer)."""
    return subprocess.run([str(need(helm, helm.name)), "template", "shop", str(CHART), "-n", "team-a", *args],
                          capture_output=True, timeout=120, env={**os.environ, "HELM_NAMESPACE": ""})


def lint_json(*args: str) -> tuple[int, list[dict], str]:
    code, out, err = run_cli("lint", "--format", "json", "--fail-on", "never", "--disable", "pss", *args)
    report = json.loads(out) if out.strip() else {}
    return code, report.get("findings", []), err


POSTRENDER_ARGS = (str(POSTRENDER),)  # what Helm 3's --post-renderer takes: the executable
