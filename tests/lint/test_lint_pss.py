"""Pod Security through lint: levels, severities, exemptions, every policy version, real charts."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from helm_vnp.cli import app
from helm_vnp.k8s.podsecurity import evaluate_pod
from tests.builders import (
    container,
    cron_job,
    dump,
    obj,
    pod,
    pod_template,
    stream,
    workload,
)
from tests.lint.lint_helpers import (
    BAD_DEPLOYMENT,
    PRIVILEGED_POD,
    lint_json,
    pss_findings,
    rules_of,
    write,
)

VERSIONS = [f"v1.{minor}" for minor in range(38)]

# Restricted in every way that is stable across versions, but without a seccomp profile (a restricted
# requirement from v1.19) and with sysctls that joined the allowed list in v1.27 and v1.29.
VERSIONED_POD = dump(pod(
    "versioned",
    security_context={"runAsNonRoot": True,
                      "sysctls": [{"name": "net.ipv4.ip_local_reserved_ports", "value": "30000-30100"},
                                  {"name": "net.ipv4.tcp_keepalive_time", "value": "600"}]},
    containers=[container("app", "app", security_context={"allowPrivilegeEscalation": False,
                                                          "capabilities": {"drop": ["ALL"]}})]))


def _lint_in_process(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(app, ["lint", "--format", "json", "--fail-on", "never", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _expected(version: str) -> list[str]:
    from helm_vnp.stream import split
    obj = split(VERSIONED_POD.encode())[0].obj
    return ["pss." + v.check_id for v in evaluate_pod(obj["metadata"], obj["spec"], "restricted", version)]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_policy_version_works_with_rendered_set_and_values_file(version, tmp_path):
    manifest = write(tmp_path / "pod.yaml", VERSIONED_POD)
    values = write(tmp_path / "values.yaml",
                   f"policies:\n  podSecurityStandard: restricted\n  podSecurityVersion: {version}\n")
    by_set = _lint_in_process("--rendered", manifest, "--set", "policies.podSecurityStandard=restricted",
                              "--set", f"policies.podSecurityVersion={version}")
    by_file = _lint_in_process("--rendered", "-", "-f", values, stdin=VERSIONED_POD)
    for report in (by_set, by_file):
        assert not [f for f in report["findings"] if f["rule"].startswith("config.")], report
        assert sorted(rules_of(report)) == sorted(_expected(version))
        assert all(f"restricted:{version}" in f["message"] and f["severity"] == "error" for f in pss_findings(report))
    minor = int(version.split(".")[1])
    rules = set(rules_of(by_set))
    assert ("pss.seccompProfile_restricted" in rules) == (minor >= 19)
    assert ("pss.sysctls" in rules) == (minor < 29)  # tcp_keepalive_time allowed from v1.29
    if 27 <= minor < 29:
        sysctl = [f for f in by_set["findings"] if f["rule"] == "pss.sysctls"][0]
        assert "net.ipv4.tcp_keepalive_time" in sysctl["message"]
        assert "ip_local_reserved_ports" not in sysctl["message"]


def test_severity_follows_mode_flag_and_default(tmp_path):
    path = write(tmp_path / "d.yaml", BAD_DEPLOYMENT)

    def severities(*args):
        return {f["severity"] for f in pss_findings(lint_json("--rendered", path, *args))}

    assert severities() == {"warning"}  # nothing configured: restricted as warnings
    assert severities("--set", "policies.podSecurityStandard=restricted") == {"error"}
    assert severities("--set", "policies.podSecurityStandard=restricted",
                      "--set", "policies.podSecurity.mode=warn") == {"warning"}
    assert severities("--set", "policies.podSecurityStandard=baseline") == set()  # the pod is baseline-clean
    assert severities("--set", "policies.podSecurityStandard=privileged") == set()
    assert severities("--set", "policies.podSecurityStandard=baseline", "--pss-level", "restricted") == {"error"}


def test_baseline_is_a_subset_with_upstream_ids(tmp_path):
    path = write(tmp_path / "p.yaml", PRIVILEGED_POD)
    baseline = rules_of(lint_json("--rendered", path, "--pss-level", "baseline"))
    restricted = rules_of(lint_json("--rendered", path, "--pss-level", "restricted"))
    assert baseline == ["pss.hostNamespaces", "pss.privileged"]  # no ports: no defaulted hostPort
    assert set(baseline) <= set(restricted) and "pss.runAsNonRoot" in restricted


def test_exempted_workloads_are_reported_as_info(tmp_path):
    path = write(tmp_path / "d.yaml", BAD_DEPLOYMENT + "---\n" + PRIVILEGED_POD)
    report = lint_json("--rendered", path, "--set", "policies.podSecurityStandard=restricted",
                       "--set", "policies.podSecurity.exemptions[0].kind=Deployment",
                       "--set", "policies.podSecurity.exemptions[0].name=*")
    web = [f for f in pss_findings(report) if f["object"]["name"] == "web"]
    pod = [f for f in pss_findings(report) if f["object"]["name"] == "root-pod"]
    assert web and all(f["severity"] == "info" and "exempted" in f["message"] for f in web)
    assert pod and all(f["severity"] == "error" for f in pod)


def test_every_workload_kind_is_checked(tmp_path):
    privileged = [container("c", "x", security_context={"privileged": True})]
    docs = []
    for api, kind in [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"),
                      ("apps/v1", "ReplicaSet"), ("v1", "ReplicationController"), ("batch/v1", "Job")]:
        docs.append(workload(kind, kind.lower(), api_version=api, pod_labels={"a": "b"}, containers=privileged))
    docs.append(cron_job("cron", schedule="* * * * *", containers=privileged))
    docs.append(workload("Deployment", "not-a-workload", api_version="example.com/v1", pod_labels={"a": "b"},
                         containers=privileged))
    # a v1 PodTemplate creates no pods, but the API server checks it like a workload's template
    docs.append(obj("PodTemplate", "podtemplate", template=pod_template(labels={"a": "b"}, containers=privileged)))
    path = write(tmp_path / "kinds.yaml", stream(*docs))
    report = lint_json("--rendered", path, "--pss-level", "baseline")
    flagged = {f["object"]["name"] for f in pss_findings(report) if f["rule"] == "pss.privileged"}
    assert flagged == {"deployment", "statefulset", "daemonset", "replicaset", "replicationcontroller", "job", "cron",
                       "podtemplate"}


def test_upstream_kube_prometheus_stack_under_restricted(corpus):
    """What the default kube-prometheus-stack really violates (read from the stream, see the corpus):

    node-exporter shares the node's network and PID namespaces, mounts /proc, /sys and / by hostPath,
    gets hostPort 9100 defaulted from hostNetwork, and its container sets neither
    allowPrivilegeEscalation, capabilities nor a seccomp profile (runAsNonRoot is set);
    the Grafana test hook Pod has no securityContext at all.  Grafana, kube-state-metrics, the
    operator and the admission Jobs are restricted-clean.
    """
    stream = corpus("kube-prometheus-stack.yaml")
    report = lint_json("--rendered", str(stream), "--pss-level", "restricted", "-n", "monitoring")
    found = {(f["object"]["kind"], f["object"]["name"], f["rule"]) for f in pss_findings(report)}
    node, test = ("DaemonSet", "kps-prometheus-node-exporter"), ("Pod", "kps-grafana-test")
    assert found == {(*node, "pss.hostNamespaces"), (*node, "pss.hostPorts"), (*node, "pss.restrictedVolumes"),
                     (*node, "pss.allowPrivilegeEscalation"), (*node, "pss.capabilities_restricted"),
                     (*node, "pss.seccompProfile_restricted"),
                     (*test, "pss.allowPrivilegeEscalation"), (*test, "pss.capabilities_restricted"),
                     (*test, "pss.runAsNonRoot"), (*test, "pss.seccompProfile_restricted")}
    messages = {f["rule"]: f["message"] for f in pss_findings(report) if f["object"]["name"] == node[1]}
    assert messages["pss.hostNamespaces"].endswith("host namespaces (hostNetwork=true, hostPID=true)")
    assert messages["pss.restrictedVolumes"].endswith(
        'restricted volume types (volumes "proc", "sys", "root" use restricted volume type "hostPath")')
    assert messages["pss.hostPorts"].endswith('hostPort (container "node-exporter" uses hostPort 9100)')
    node_line = [f["source"]["line"] for f in pss_findings(report) if f["object"]["name"] == node[1]][0]
    assert stream.read_text().splitlines()[node_line - 1] == "apiVersion: apps/v1"
    baseline = lint_json("--rendered", str(stream), "--pss-level", "baseline")
    assert {(f["object"]["name"], f["rule"]) for f in pss_findings(baseline)} == {
        (node[1], "pss.hostNamespaces"), (node[1], "pss.hostPathVolumes"), (node[1], "pss.hostPorts")}


def test_crd_bodies_are_not_parsed(monkeypatch, corpus):
    """The 5 MB stream with CRDs: heads only for CRDs (a spy on the one YAML parser entry point)."""
    stream = corpus("kube-prometheus-stack-with-crds.yaml")
    from helm_vnp.base import yamlload as parse
    from helm_vnp.lint import LintOptions, run_lint
    from helm_vnp.rules.registry import all_rules

    parsed: list[str] = []
    real_load = parse.load

    def spy(text, *args, **kwargs):
        parsed.append(text)
        return real_load(text, *args, **kwargs)

    monkeypatch.setattr(parse, "load", spy)
    # the driver and the pss rules (other families may read CRDs: a CRD names its kinds' scope)
    mine = ("config.schema", "config.unsupported", "stream.yaml", "render.warning")
    others = [rule.id for rule in all_rules() if not rule.id.startswith("pss.") and rule.id not in mine]
    report = run_lint(LintOptions(rendered=[str(stream)], pss_level="restricted", disable=others))
    assert report.objects == 135
    assert parsed and not any("kind: CustomResourceDefinition" in t for t in parsed)
    assert sum(len(t) for t in parsed) < 1_000_000  # the CRDs are ~4.5 MB of the 5 MB
    assert len(report.findings) == 10


ESCAPING_ROLE = {"cert-manager.yaml": "cert-manager-cainjector", "ingress-nginx.yaml": "ingress-nginx-admission"}


@pytest.mark.parametrize("name", ["cert-manager.yaml", "ingress-nginx.yaml"])
def test_other_corpus_streams_lint_without_pod_security_errors(name, corpus):
    stream = corpus(name)
    report = lint_json("--rendered", str(stream))
    assert report["summary"]["objects"] > 10
    # the only errors: RBAC that reaches every webhook configuration of the cluster (rbac.tenantEscape: the
    # cert-manager cainjector, ingress-nginx's admission-patch hook), checked by hand
    errors = {(f["rule"], f["object"]["name"]) for f in report["findings"] if f["severity"] == "error"}
    assert errors == {("rbac.tenantEscape", ESCAPING_ROLE[name])}, report["findings"]
    assert all(f["source"]["file"] == str(stream) and f["source"]["line"] > 0 for f in pss_findings(report))


def test_postrender_input_streams_point_at_the_named_file(corpus):
    stream = corpus("postrender-input/kube-prometheus-stack.yaml")
    report = lint_json("--rendered", str(stream), "--pss-level", "baseline")
    assert {f["source"]["file"] for f in pss_findings(report)} == {str(stream)}
    assert {f["object"]["name"] for f in pss_findings(report)} == {"kps-prometheus-node-exporter"}
