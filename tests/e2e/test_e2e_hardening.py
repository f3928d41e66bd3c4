"""Issue 16 (001): hardening, node isolation and service account tokens through the real Helm 4 and Helm 3,
on `helm create`'s chart: the wrappers, the bare post-renderer and lint see the same result."""
from __future__ import annotations

import json
import subprocess

from helm_vnp.k8s.podsecurity import evaluate_pod
from tests.e2e.e2e_helpers import key, kube_validate, load_all
from tests.e2e.helmkit import REPO

VALUES = """policies:
  podSecurityStandard: restricted
  hardening:
    enabled: true
  networkPolicy:
    enabled: true
  nodeIsolation:
    nodeSelector: {pool: tenants}
    tolerations: [{key: tenants, operator: Exists, effect: NoSchedule}]
    runtimeClassName: gvisor
  serviceAccountTokens:
    disableAutomount: true
"""


def _setup(helm, tmp_path):
    helm.run("create", "mychart", cwd=tmp_path)
    values = tmp_path / "values.yaml"
    values.write_text(VALUES)
    return tmp_path / "mychart", values


def test_helm_create_passes_restricted_with_hardening_alone(helm, tmp_path):
    chart, values = _setup(helm, tmp_path)
    out = helm.run("vnp", "template", "r1", chart, "-f", values, "-n", "team").stdout
    objs = {key(o): o for o in load_all(out)}
    dep = objs[("Deployment", "r1-mychart")]
    spec = dep["spec"]["template"]["spec"]
    assert evaluate_pod(dep["spec"]["template"]["metadata"], spec, "restricted", "latest") == []
    assert spec["securityContext"] == {"runAsNonRoot": True, "runAsUser": 12345, "runAsGroup": 12345,
                                       "fsGroup": 12345, "seccompProfile": {"type": "RuntimeDefault"}}
    assert spec["nodeSelector"] == {"pool": "tenants"} and spec["runtimeClassName"] == "gvisor"
    assert spec["tolerations"] == [{"key": "tenants", "operator": "Exists", "effect": "NoSchedule"}]
    # helm create's ServiceAccount has no RBAC binding: its token is not mounted
    assert spec["automountServiceAccountToken"] is False
    sa = objs[("ServiceAccount", "r1-mychart")]
    assert sa["automountServiceAccountToken"] is True  # helm create sets it explicitly: kept (lint says so)
    for obj in objs.values():
        kube_validate(obj)
    test_pod = objs[("Pod", "r1-mychart-test-connection")]
    if helm.major >= 4:
        assert evaluate_pod(test_pod["metadata"], test_pod["spec"], "restricted", "latest") == []
    else:  # Helm 3 never hands hooks to a post-renderer
        assert "securityContext" not in test_pod["spec"]

    # post-rendering vnp's own output again changes nothing (on Helm 3, what it was handed: hooks were not)
    again = subprocess.run([str(REPO / ".venv" / "bin" / "vnp-postrender"), "-f", str(values), "--release", "r1",
                            "-n", "team"], input=out, capture_output=True, check=True).stdout

    def seen(data: bytes) -> list:
        return [o for o in load_all(data) if o["kind"] != "NetworkPolicy"
                and (helm.major >= 4 or "helm.sh/hook" not in (o["metadata"].get("annotations") or {}))]
    assert seen(again) == seen(out)

    # lint renders through the same post-render: no pss.* finding where hardening reached
    proc = helm.run("vnp", "lint", chart, "-f", values, "-n", "team", "--release", "r1", "--format", "json",
                    "--fail-on", "never")
    findings = json.loads(proc.stdout)["findings"]
    pss = [f for f in findings if f["rule"].startswith("pss.")]
    notes = [f for f in findings if f["rule"] == "mutation.notApplied"]
    assert any("automountServiceAccountToken: true" in f["message"] for f in notes)
    if helm.major >= 4:
        assert pss == []
    else:
        assert {f["object"]["name"] for f in pss} == {"r1-mychart-test-connection"}
        assert any("Helm 3" in f["message"] and f["object"]["name"] == "r1-mychart-test-connection" for f in notes)


def test_a_contradiction_fails_the_render(helm, tmp_path):
    chart, values = _setup(helm, tmp_path)
    proc = helm.run("vnp", "template", "r1", chart, "-f", values, "-n", "team", "--set", "nodeSelector.pool=shared",
                    check=False)
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert '"shared"' in err and '"tenants"' in err and "override" in err and "Traceback" not in err
