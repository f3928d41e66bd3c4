"""Shared by the lint tests: manifests to lint, the real CLI, the real Helm binaries."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.builders import container, deployment, dump, pod

REPO = Path(__file__).resolve().parents[2]
CHARTS = Path(__file__).resolve().parent / "charts"
HELM4 = REPO / ".tools" / "bin" / "helm4"
HELM3 = REPO / ".tools" / "bin" / "helm3"
CLI = [sys.executable, "-m", "helm_vnp"]
POSTRENDER = REPO / ".venv" / "bin" / "vnp-postrender"



def bad_deployment(namespace: str | None = "shop", labels: dict | None = None) -> dict:
    """Baseline-clean, restricted-bad: no securityContext anywhere."""
    return deployment("web", namespace=namespace, labels=labels)


def good_deployment(seccomp: bool = True) -> dict:
    """Restricted-clean (without ``seccomp``: clean only before v1.19, when restricted began to ask for one)."""
    pod_context = {"runAsNonRoot": True, **({"seccompProfile": {"type": "RuntimeDefault"}} if seccomp else {})}
    hardened = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    return deployment("api", security_context=pod_context,
                      containers=[container("app", "api", security_context=hardened)])


def privileged_pod(name: str = "root-pod", annotations: dict | None = None) -> dict:
    """Baseline-bad twice: the host's network, a privileged container."""
    return pod(name, annotations=annotations, host_network=True,
               containers=[container("box", "busybox", security_context={"privileged": True})])


BAD_DEPLOYMENT = dump(bad_deployment())
GOOD_DEPLOYMENT = dump(good_deployment())
PRIVILEGED_POD = dump(privileged_pod())


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: str | None = None):
    """The real command line in a subprocess: (exit code, stdout, stderr)."""
    full_env = dict(os.environ, NO_COLOR="1")
    full_env.pop("HELM_NAMESPACE", None)
    full_env.update(env or {})
    proc = subprocess.run([*CLI, *args], input=stdin if stdin is not None else b"", capture_output=True,
                          env=full_env, cwd=cwd, timeout=300)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def lint_json(*args: str, stdin: bytes | None = None, env: dict | None = None, expect: int | None = None):
    code, out, err = run_cli("lint", "--format", "json", "--fail-on", "never", *args, stdin=stdin, env=env)
    assert code == (0 if expect is None else expect), err
    return json.loads(out)


def rules_of(report: dict, obj: str | None = None, prefix: str = "pss.") -> list[str]:
    """Rule IDs of the findings of a family (on the object named ``obj``, if given), in report order.

    Other rule families (issue 6) report on the same manifests; each test looks at its own.
    """
    return [f["rule"] for f in report["findings"]
            if (obj is None or f["object"]["name"] == obj) and f["rule"].startswith(prefix)]


def pss_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["rule"].startswith("pss.")]


def need(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.skip(f"{what} not available at {path}")
    return path


def only(prefix: str = "pss.") -> list[str]:
    """``--disable`` flags for every rule outside ``prefix``: tests of exit codes and counts see one family."""
    from helm_vnp.rules.registry import all_rules
    return [arg for rule in all_rules() if not rule.id.startswith(prefix) for arg in ("--disable", rule.id)]
