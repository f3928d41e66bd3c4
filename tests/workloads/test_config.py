"""policies.workloadKinds and policies.unknownWorkloads: validated with located messages, normalised."""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from tests.rules.rulekit import policies_from

HEAD = "policies:\n  workloadKinds:\n    - "


def _errors(values: str) -> str:
    with pytest.raises(VnpError) as info:
        policies_from(values)
    return str(info.value)


def test_normalised_with_defaults():
    policies, _ = policies_from(HEAD + "{apiVersion: example.com/*, kind: Worker, labelsPath: spec.pod.labels}\n")
    assert policies["workloadKinds"] == [{"apiVersion": "example.com/*", "kind": "Worker", "podTemplatePath": "",
                                          "labelsPath": "spec.pod.labels"}]
    assert policies["unknownWorkloads"] == "error"
    assert policies_from("policies: {}\n")[0]["workloadKinds"] == []


@pytest.mark.parametrize("entry,message", [
    ("{apiVersion: example.com/v1, kind: W}", "exactly one of podTemplatePath and labelsPath"),
    ("{apiVersion: example.com/v1, kind: W, podTemplatePath: spec.t, labelsPath: a.labels}", "exactly one of"),
    ("{apiVersion: v1, kind: W, podTemplatePath: spec.t}", "group/version"),
    ("{apiVersion: example.com/v1, kind: w, podTemplatePath: spec.t}", "a kind such as"),
    ("{apiVersion: example.com/v1, kind: W, podTemplatePath: 'spec..t'}", "a dotted path"),
    ("{apiVersion: example.com/v1, kind: W, labelsPath: spec.podLabels}", "ending in .labels"),
    ("{apiVersion: apps/*, kind: Deployment, podTemplatePath: spec.template}", "core workload"),
    ("{apiVersion: example.com/v1, kind: W, podTemplatePath: spec.t, replicas: 3}", 'unknown key "replicas"'),
], ids=["no-path", "both-paths", "no-group", "kind-case", "empty-segment", "labels-path", "core-kind", "unknown-key"])
def test_invalid_entries_are_located_errors(entry, message):
    text = _errors(HEAD + entry + "\n")
    assert message in text and "policies.workloadKinds[0]" in text, text


def test_unknown_workloads_enum():
    assert '"error", "warn", "ignore"' in _errors("policies:\n  unknownWorkloads: allow\n")
