"""lint and graph see the pods of custom resources: workload.unknownKind, render.warning in warn mode,
graph nodes for registered kinds, Pod Security findings on their pod specs."""
from __future__ import annotations

from helm_vnp.graph.analysis import analyse
from helm_vnp.rules import pod_security, render_warning, workload_unknown_kind
from tests.rules.rulekit import NETPOL_ON, check, context, run
from tests.workloads.test_custom_kinds_postrender import DECKHOUSE_VM, DEPLOYMENT, ROLLOUT, UNKNOWN


def test_unknown_kind_is_an_error_finding_naming_the_object_and_the_fix():
    findings = run(workload_unknown_kind, DEPLOYMENT + UNKNOWN, NETPOL_ON)
    assert [(f.severity, f.object.kind, f.object.name) for f in findings] == [("error", "Worker", "crunch")]
    assert "policies.workloadKinds" in findings[0].message and "podTemplatePath: spec.pool.template" in \
        findings[0].message


def test_declared_warned_ignored_or_not_isolated_it_is_not_reported():
    declared = NETPOL_ON + "  workloadKinds:\n    - {apiVersion: example.com/v1, kind: Worker, " \
                           "podTemplatePath: spec.pool.template}\n"
    assert run(workload_unknown_kind, DEPLOYMENT + UNKNOWN, declared) == []
    assert run(workload_unknown_kind, DEPLOYMENT + UNKNOWN, "policies:\n  resourceQuota:\n    enabled: true\n") == []
    warn = context(DEPLOYMENT + UNKNOWN, NETPOL_ON + "  unknownWorkloads: warn\n")
    assert check(workload_unknown_kind, warn) == []
    assert [f.object.name for f in check(render_warning, warn)] == ["crunch"]
    assert check(render_warning, context(DEPLOYMENT + UNKNOWN, NETPOL_ON + "  unknownWorkloads: ignore\n")) == []


def test_graph_draws_custom_pods_as_workloads_isolated_like_the_rest():
    graph = analyse(context(DEPLOYMENT + ROLLOUT + DECKHOUSE_VM, NETPOL_ON))
    ids = {n["id"] for n in graph["nodes"] if not n["probe"]}
    assert ids == {"Deployment/web", "Rollout/canary (spec.template)", "VirtualMachine/db (metadata.labels)"}
    edges = {(e["from"], e["to"]): e["allowed"] for e in graph["edges"]}
    assert edges[("VirtualMachine/db (metadata.labels)", "Deployment/web")]
    assert edges[("Rollout/canary (spec.template)", "VirtualMachine/db (metadata.labels)")]
    assert not edges[("other-namespace", "Rollout/canary (spec.template)")]


def test_pod_security_lints_a_rollouts_pod_spec():
    privileged = ROLLOUT.replace("          image: app:1\n",
                                 "          image: app:1\n          securityContext: {privileged: true}\n")
    rule = next(r for r in pod_security.RULES if r.id == "pss.privileged")
    findings = list(rule.check(context(privileged, "policies:\n  podSecurityStandard: baseline\n"),
                               {"level": ""}))
    assert [(f.object.kind, f.severity) for f in findings] == [("Rollout", "error")]
