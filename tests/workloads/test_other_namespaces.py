"""Issue 13 item 7: pod-creating objects rendered into another namespace than the release's.

The release's NetworkPolicies live in the release namespace and select nothing elsewhere, so with
isolation on such objects fail the post-render (every one listed, exit 2) unless
``policies.networkPolicy.otherNamespaces`` opts in: ``isolate`` (the release's NetworkPolicies are
generated in each such namespace too, identical but for the namespace) or ``allow`` (a warning
naming them)."""
from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from helm_vnp.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / ".venv" / "bin" / "vnp-postrender"
ON = "policies:\n  networkPolicy:\n    enabled: true\n"


def workload(kind: str, name: str, namespace: str | None, template: str) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    pod = ("    metadata:\n      labels: {app: %s}\n    spec:\n      containers: [{name: a, image: nginx}]\n" % name)
    if kind == "CronJob":
        return (f"---\n# Source: c/templates/{template}\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n"
                f"  name: {name}\n{ns}spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                "        spec:\n          restartPolicy: Never\n          containers: [{name: a, image: nginx}]\n")
    return (f"---\n# Source: c/templates/{template}\napiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {name}\n"
            f"{ns}spec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n{pod}")


STREAM = (workload("Deployment", "web", None, "web.yaml") + workload("Deployment", "home", "team-a", "home.yaml")
          + workload("CronJob", "sneaky", "kube-system", "cron.yaml")
          + workload("DaemonSet", "agent", "monitoring", "agent.yaml"))


def render(stream: str, *args: str, values: str = ON, tmp: Path):
    path = tmp / "values.yaml"
    path.write_text(values)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNP_", "HELM_"))}
    env["VNP_NO_CACHE"] = "1"
    return subprocess.run([str(EXE), "-f", str(path), "--release", "r", *args], input=stream.encode(), env=env,
                          capture_output=True)


def test_refused_by_default_with_every_object_located(tmp_path):
    proc = render(STREAM, "-n", "team-a", tmp=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and proc.stdout == b"", err
    lines = [ln for ln in err.splitlines() if ln.startswith("  - ")]
    assert err.startswith("error: 2 problems:") and len(lines) == 2, err
    cron_line = STREAM.splitlines().index("apiVersion: batch/v1") + 1  # the object's first line
    assert lines[0].startswith(f"  - <stdin>:{cron_line}: metadata.namespace: CronJob sneaky is rendered into "
                               "namespace kube-system (template c/templates/cron.yaml), not the release namespace "
                               "team-a")
    assert "DaemonSet agent is rendered into namespace monitoring (template c/templates/agent.yaml)" in lines[1]
    assert "otherNamespaces: isolate" in err and "{{ .Release.Namespace }}" in err
    assert "Deployment home" not in err  # in the release namespace, named explicitly: fine


def test_without_the_release_namespace_an_ambiguous_stream_is_refused(tmp_path):
    proc = render(STREAM, tmp=tmp_path)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "cannot tell the release namespace" in proc.stderr.decode()
    assert "--namespace" in proc.stderr.decode()


def test_a_chart_naming_its_namespace_on_every_workload_passes_without_n(tmp_path):
    """{{ .Release.Namespace }} on the workloads only: the one namespace they all name is the release's."""
    stream = workload("Deployment", "a", "team-a", "a.yaml") + workload("Deployment", "b", "team-a", "b.yaml")
    stream += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n" * 3
    assert render(stream, tmp=tmp_path).returncode == 0


def test_isolation_off_changes_nothing(tmp_path):
    proc = render(STREAM, "-n", "team-a", values="policies:\n  resourceQuota: {enabled: true}\n", tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()


def policies_of(out: bytes) -> list[dict]:
    return [o for o in yaml.safe_load_all(out) if o and o.get("kind") == "NetworkPolicy"]


@pytest.mark.parametrize("selection", ["podLabel", "workloadSelectors"])
def test_isolate_generates_the_release_policies_in_each_namespace(tmp_path, selection):
    values = ON + "    otherNamespaces: isolate\n" + f"  selection: {selection}\n"
    proc = render(STREAM, "-n", "team-a", values=values, tmp=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    found = policies_of(proc.stdout)
    by_ns: dict = {}
    for p in found:
        by_ns.setdefault(p["metadata"]["namespace"], []).append(p)
    assert sorted(by_ns) == ["kube-system", "monitoring", "team-a"]
    for ns in ("kube-system", "monitoring"):
        copies = [copy.deepcopy(p) for p in by_ns[ns]]
        for p in copies:
            p["metadata"]["namespace"] = "team-a"
        assert copies == by_ns["team-a"]  # same names and content, only the namespace differs
    # each foreign pod is selected by a policy in its own namespace
    docs = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(proc.stdout) if o and "kind" in o}
    from helm_vnp.k8s.netpol import selects
    agent = docs[("DaemonSet", "agent")]["spec"]["template"]["metadata"]["labels"]
    assert any(selects(p["spec"]["podSelector"], agent) for p in by_ns["monitoring"])
    again = render(proc.stdout.decode(), "-n", "team-a", values=values, tmp=tmp_path)
    assert again.returncode == 0 and again.stdout == proc.stdout  # a second pass replaces, never duplicates


def test_allow_passes_with_a_warning_naming_them(tmp_path):
    proc = render(STREAM, "-n", "team-a", values=ON + "    otherNamespaces: allow\n", tmp=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "CronJob sneaky: rendered into namespace kube-system, not the release namespace" in err
    assert "DaemonSet agent: rendered into namespace monitoring" in err
    assert "unisolated" in err
    assert {p["metadata"].get("namespace") for p in policies_of(proc.stdout)} == {"team-a"}


@pytest.mark.parametrize("mode,severity", [("refuse", "error"), ("isolate", "warning"), ("allow", "warning")])
def test_lint_says_what_the_post_renderer_does(tmp_path, mode, severity):
    (tmp_path / "rendered.yaml").write_text(STREAM)
    (tmp_path / "values.yaml").write_text(ON + f"    otherNamespaces: {mode}\n")
    (tmp_path / "lint.yaml").write_text("{}\n")
    result = CliRunner().invoke(app, ["lint", "--rendered", str(tmp_path / "rendered.yaml"), "-n", "team-a",
                                      "--release", "r", "--format", "json", "--fail-on", "never", "--lint-config",
                                      str(tmp_path / "lint.yaml"), "-f", str(tmp_path / "values.yaml")])
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "scope.namespace"]
    assert sorted(f["object"]["name"] for f in found) == ["agent", "sneaky"]
    assert {f["severity"] for f in found} == {severity}
    text = found[0]["message"]
    assert {"refuse": "refuses the render", "isolate": "generated there too", "allow": "unisolated"}[mode] in text


def test_a_hooks_only_pass_with_hooks_elsewhere_fails_closed_under_isolate(tmp_path):
    """Helm 4.2's `separate` strategy: the hooks' pass generates nothing, and the other pass never sees these
    hooks, so nobody would generate the release's NetworkPolicies in their namespace."""
    hook = workload("CronJob", "pre", "kube-system", "hook.yaml").replace(
        "  namespace: kube-system\n", "  namespace: kube-system\n  annotations: {helm.sh/hook: pre-install}\n")
    proc = render(hook, "-n", "team-a", values=ON + "    otherNamespaces: isolate\n", tmp=tmp_path)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "only Helm hooks, and pod-creating hooks in kube-system (CronJob pre)" in proc.stderr.decode()
    assert render(hook, "-n", "team-a", values=ON + "    otherNamespaces: allow\n", tmp=tmp_path).returncode == 0
