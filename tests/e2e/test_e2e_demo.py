"""`make demo`: examples/demo.py renders the example chart through the real Helm 4 with vnp attached."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.e2e.e2e_helpers import kube_validate, load_all, pod_metadata
from tests.e2e.helmkit import RELEASE_LABEL, REPO, helm_binary


def test_demo_prints_the_isolated_stream(tmp_path):
    helm_binary(4)  # skips without it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "VNP_"))}
    env["VNP_DEMO_HOME"] = str(tmp_path / "helm")
    proc = subprocess.run([sys.executable, str(REPO / "examples" / "demo.py")], capture_output=True, env=env,
                          cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().startswith("# helm-vnp demo with Helm v4.")
    objs = load_all(proc.stdout)
    kinds = [o["kind"] for o in objs]
    for kind in ("ConfigMap", "Service", "Deployment", "CronJob", "NetworkPolicy", "ResourceQuota", "LimitRange"):
        assert kind in kinds
    for obj in objs:
        kube_validate(obj)
        meta = pod_metadata(obj)
        if meta is not None:
            assert meta["labels"][RELEASE_LABEL] == "shop"
        if obj["kind"] in ("NetworkPolicy", "ResourceQuota", "LimitRange"):
            assert obj["metadata"]["namespace"] == "shop"
    assert (tmp_path / "helm" / "data" / "plugins" / "vnp-postrender").exists()
    # a second run finds the plugins installed and prints the same bytes
    again = subprocess.run([sys.executable, str(REPO / "examples" / "demo.py")], capture_output=True, env=env,
                           cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=600)
    assert again.returncode == 0 and again.stdout == proc.stdout
