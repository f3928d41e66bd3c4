"""Pods made by custom resources are the release's pods: labelled, isolated, reachable by the release.

Each test runs the real ``vnp-postrender`` and judges connectivity with the NetworkPolicy
semantics of ``helm_vnp.k8s.netpol``.
"""
from __future__ import annotations

import textwrap

import pytest

from helm_vnp.k8s import netpol
from tests.workloads.kit import NETPOL_ON, RELEASE_LABEL, outside_pods, pod_labels, postrender

NS = "team"

DEPLOYMENT = """\
---
# Source: chart/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080}]
"""

ROLLOUT = """\
---
# Source: chart/templates/rollout.yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  replicas: 3
  selector:
    matchLabels: {app: canary}
  template:
    metadata:
      labels:
        app: canary
    spec:
      containers:
        - name: app
          image: app:1
  strategy:
    canary: {steps: [{setWeight: 20}]}
"""

KUBEVIRT_VM = """\
---
# Source: chart/templates/kubevirt.yaml
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: legacy
  labels: {vm-object: legacy}
spec:
  runStrategy: Always
  template:
    metadata:
      labels:
        kubevirt.io/domain: legacy
    spec:
      domain:
        devices: {}
        resources:
          requests: {memory: 2Gi, cpu: "1"}
"""

DECKHOUSE_VM = """\
---
# Source: chart/templates/dvp.yaml
apiVersion: virtualization.deckhouse.io/v1alpha2
kind: VirtualMachine
metadata:
  name: db
  labels:
    vm: db
spec:
  virtualMachineClassName: generic
  runPolicy: AlwaysOn
  cpu: {cores: 2, coreFraction: 50%}
  memory: {size: 4Gi}
"""

UNKNOWN = """\
---
# Source: chart/templates/worker.yaml
apiVersion: example.com/v1
kind: Worker
metadata:
  name: crunch
spec:
  pool:
    template:
      metadata:
        labels: {app: crunch}
      spec:
        containers: [{name: w, image: "w:1"}]
"""

DECLARE = NETPOL_ON + textwrap.indent(textwrap.dedent("""\
    workloadKinds:
      - apiVersion: example.com/*
        kind: Worker
        podTemplatePath: spec.pool.template
    """), "  ")


def _isolated_and_connected(run, kind: str, name: str) -> None:
    policies = run.policies(NS)
    web = run.pod("Deployment", "web", NS)
    for pod_labels_ in pod_labels(run.object(kind, name)):
        pod = netpol.Pod(NS, pod_labels_)
        assert pod_labels_[RELEASE_LABEL] == "rel"
        assert netpol.allowed(policies, pod, web, 8080), f"{kind} {name} cannot reach the release's Deployment"
        assert netpol.allowed(policies, web, pod, 8080), f"the release's Deployment cannot reach {kind} {name}"
        for what, outsider in outside_pods(NS).items():
            assert not netpol.allowed(policies, outsider, pod, 8080), f"a pod in {what} reaches {kind} {name}"


@pytest.mark.parametrize("doc,kind,name", [(ROLLOUT, "Rollout", "canary"), (KUBEVIRT_VM, "VirtualMachine", "legacy"),
                                           (DECKHOUSE_VM, "VirtualMachine", "db")],
                         ids=["argo-rollout", "kubevirt-vm", "deckhouse-vm"])
def test_custom_kind_is_labelled_and_isolated(tmp_path, doc, kind, name):
    run = postrender(tmp_path, DEPLOYMENT + doc)
    assert run.code == 0, run.stderr
    _isolated_and_connected(run, kind, name)
    # one line added, nothing else touched (the selector, the object's own labels: as written)
    chart_part = run.stdout.decode().split("---\n# Source: helm-vnp/generated.yaml")[0]
    added = [line for line in chart_part.splitlines() if RELEASE_LABEL in line]
    assert len(added) == 2, added  # the Deployment's and the custom object's
    assert [line for line in chart_part.splitlines() if RELEASE_LABEL not in line] == (DEPLOYMENT + doc).splitlines()


def test_labelled_where_the_pods_get_their_labels(tmp_path):
    run = postrender(tmp_path, DEPLOYMENT + ROLLOUT + KUBEVIRT_VM + DECKHOUSE_VM)
    assert run.code == 0, run.stderr
    rollout = run.object("Rollout", "canary")
    assert rollout["spec"]["selector"] == {"matchLabels": {"app": "canary"}}, "the selector is not vnp's to touch"
    assert RELEASE_LABEL not in rollout["metadata"].get("labels", {})
    vm = [o for o in run.objects if o.get("apiVersion") == "kubevirt.io/v1"][0]
    assert vm["spec"]["template"]["metadata"]["labels"][RELEASE_LABEL] == "rel"
    assert RELEASE_LABEL not in vm["metadata"]["labels"], "a KubeVirt VM's own labels do not reach its pod"
    dvm = [o for o in run.objects if o.get("apiVersion", "").startswith("virtualization.deckhouse.io/")][0]
    assert dvm["metadata"]["labels"] == {RELEASE_LABEL: "rel", "vm": "db"}, "a Deckhouse VM's labels are its pod's"
    again = postrender(tmp_path, run.stdout.decode())
    assert again.stdout == run.stdout, "not idempotent"


def test_unknown_kind_with_a_pod_template_is_refused_then_accepted_once_declared(tmp_path):
    refused = postrender(tmp_path, DEPLOYMENT + UNKNOWN)
    assert refused.code == 2 and refused.stdout == b""
    assert "Worker crunch (chart/templates/worker.yaml)" in refused.stderr
    assert "spec.pool.template.spec.containers" in refused.stderr
    assert "policies.workloadKinds" in refused.stderr and "policies.unknownWorkloads: warn" in refused.stderr
    assert "podTemplatePath: spec.pool.template" in refused.stderr, "the hint suggests the path"
    assert "Traceback" not in refused.stderr

    declared = postrender(tmp_path, DEPLOYMENT + UNKNOWN, DECLARE)
    assert declared.code == 0, declared.stderr
    worker = declared.object("Worker", "crunch")
    assert worker["spec"]["pool"]["template"]["metadata"]["labels"] == {RELEASE_LABEL: "rel", "app": "crunch"}
    policies = declared.policies(NS)
    labels = worker["spec"]["pool"]["template"]["metadata"]["labels"]
    pod, web = netpol.Pod(NS, labels), declared.pod("Deployment", "web", NS)
    assert netpol.allowed(policies, pod, web, 8080) and netpol.allowed(policies, web, pod, 8080)
    assert not netpol.allowed(policies, netpol.Pod("elsewhere", {}), pod, 8080)


def test_unknown_workloads_warn_and_ignore_pass_it_untouched(tmp_path):
    stream = DEPLOYMENT + UNKNOWN
    warn = postrender(tmp_path, stream, NETPOL_ON + "  unknownWorkloads: warn\n")
    assert warn.code == 0, warn.stderr
    assert "Worker crunch" in warn.stderr and "unknownWorkloads: warn" in warn.stderr
    assert UNKNOWN in warn.stdout.decode(), "the unknown object is passed on byte for byte"
    ignore = postrender(tmp_path, stream, NETPOL_ON + "  unknownWorkloads: ignore\n")
    assert ignore.code == 0 and "Worker" not in ignore.stderr
    assert ignore.stdout == warn.stdout


def test_nothing_is_refused_when_vnp_neither_isolates_nor_checks_pods(tmp_path):
    run = postrender(tmp_path, DEPLOYMENT + UNKNOWN, "policies:\n  resourceQuota:\n    enabled: true\n")
    assert run.code == 0, run.stderr


def test_pod_security_is_refused_on_an_unknown_kind_too(tmp_path):
    run = postrender(tmp_path, DEPLOYMENT + UNKNOWN, "policies:\n  podSecurityStandard: baseline\n")
    assert run.code == 2 and "Worker crunch" in run.stderr


def test_pod_security_checks_a_rollouts_pod_spec(tmp_path):
    privileged = ROLLOUT.replace("          image: app:1\n",
                                 "          image: app:1\n          securityContext: {privileged: true}\n")
    run = postrender(tmp_path, privileged, "policies:\n  podSecurityStandard: baseline\n")
    assert run.code == 2 and run.stdout == b""
    assert "Rollout canary" in run.stderr and "privileged" in run.stderr


@pytest.mark.parametrize("where", ["spec.pool.template is a list", "spec.pool.template is the scalar 7"],
                         ids=["list", "scalar"])
def test_a_declared_path_that_is_not_a_mapping_is_a_located_error(tmp_path, where):
    stream = UNKNOWN.replace("    template:\n      metadata:", "    template:\n    - metadata:") if "list" in where \
        else UNKNOWN.replace("    template:\n      metadata:", "    template: 7\n    x:\n      metadata:")
    run = postrender(tmp_path, DEPLOYMENT + stream, DECLARE)
    assert run.code == 2 and run.stdout == b"", run.stderr
    assert where in run.stderr and "<stdin>:" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("old,new", [("  pool:\n", "  other:\n"),
                                     ("  pool:\n    template:\n", "  pool:\n  - template:\n")],
                         ids=["missing", "parent-is-a-list"])
def test_a_declared_path_that_is_missing_leaves_the_object_untouched(tmp_path, old, new):
    stream = UNKNOWN.replace(old, new)
    run = postrender(tmp_path, DEPLOYMENT + stream, DECLARE)
    assert run.code == 0, run.stderr
    assert stream in run.stdout.decode()


def test_a_rollout_of_a_deployment_outside_the_release_is_refused(tmp_path):
    ref = ROLLOUT.replace("  template:\n    metadata:\n      labels:\n        app: canary\n    spec:\n"
                          "      containers:\n        - name: app\n          image: app:1\n",
                          "  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: elsewhere}\n")
    run = postrender(tmp_path, DEPLOYMENT + ref)
    assert run.code == 2 and "Deployment elsewhere" in run.stderr
    ok = postrender(tmp_path, DEPLOYMENT + ref.replace("name: elsewhere", "name: web"))
    assert ok.code == 0, ok.stderr


def test_a_policy_engine_pattern_is_not_taken_for_pods(tmp_path):
    kyverno = ("---\napiVersion: kyverno.io/v1\nkind: Policy\nmetadata:\n  name: no-latest\nspec:\n  rules:\n"
               "  - name: tag\n    validate:\n      pattern:\n        spec:\n          containers:\n"
               "          - image: \"!*:latest\"\n")
    run = postrender(tmp_path, DEPLOYMENT + kyverno)
    assert run.code == 0, run.stderr
    assert kyverno in run.stdout.decode()
