"""policies.nodeIsolation: node placement merged into every pod spec; a contradiction is an error unless override."""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from tests.mutations.kit import chart_output, objects, render

NODES = """policies:
  nodeIsolation:
    nodeSelector: {pool: tenants}
    tolerations: [{key: tenants, operator: Exists, effect: NoSchedule}]
    runtimeClassName: gvisor
    priorityClassName: tenant-low
"""

STS = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      nodeSelector:
        disk: ssd  # the chart's
      tolerations:
      - key: dedicated
        operator: Equal
        value: db
      containers:
      - name: db
        image: postgres
"""


def test_merged_with_what_the_chart_sets(tmp_path):
    out = chart_output(render(tmp_path, STS, NODES)).decode()
    assert out == """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      runtimeClassName: gvisor
      priorityClassName: tenant-low
      nodeSelector:
        pool: tenants
        disk: ssd  # the chart's
      tolerations:
      - key: tenants
        operator: Exists
        effect: NoSchedule
      - key: dedicated
        operator: Equal
        value: db
      containers:
      - name: db
        image: postgres
"""
    assert chart_output(render(tmp_path, out, NODES)).decode() == out


CONTRADICTING = STS.replace("disk: ssd", "pool: shared").replace("tolerations:",
                                                                "runtimeClassName: kata\n      tolerations:")


def test_a_contradiction_names_both_values(tmp_path):
    stream = CONTRADICTING
    with pytest.raises(VnpError) as err:
        render(tmp_path, stream, NODES)
    text = str(err.value)
    assert '"shared"' in text and '"tenants"' in text and "nodeSelector.pool" in text
    assert '"kata"' in text and '"gvisor"' in text and "override: true" in text


def test_override_replaces_the_chart_value(tmp_path):
    stream = CONTRADICTING
    (sts,) = objects(chart_output(render(tmp_path, stream, NODES + "    override: true\n")))
    spec = sts["spec"]["template"]["spec"]
    assert spec["nodeSelector"] == {"pool": "tenants"} and spec["runtimeClassName"] == "gvisor"


def test_every_pod_creating_kind(tmp_path):
    stream = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n"
              "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n"
              "      template:\n        spec:\n          containers: [{name: a, image: x}]\n"
              "---\napiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: ray}\nspec:\n  headGroupSpec:\n"
              "    template:\n      spec: {containers: [{name: h, image: x}]}\n  workerGroupSpecs:\n"
              "  - template:\n      spec: {containers: [{name: w, image: x}]}\n"
              "---\napiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: vm}\nspec:\n  template:\n"
              "    spec:\n      domain: {devices: {}}\n")
    result = render(tmp_path, stream, NODES)
    pod, cron, ray, vm = objects(chart_output(result))
    specs = [pod["spec"], cron["spec"]["jobTemplate"]["spec"]["template"]["spec"],
             ray["spec"]["headGroupSpec"]["template"]["spec"], ray["spec"]["workerGroupSpecs"][0]["template"]["spec"]]
    for spec in specs:
        assert spec["nodeSelector"] == {"pool": "tenants"} and spec["runtimeClassName"] == "gvisor"
        assert spec["tolerations"][0]["key"] == "tenants" and spec["priorityClassName"] == "tenant-low"
    vmi = vm["spec"]["template"]["spec"]
    assert vmi["nodeSelector"] == {"pool": "tenants"} and "runtimeClassName" not in vmi
    assert [n.path for n in result.notes] == ["spec.template.spec.runtimeClassName"]


def test_an_identical_toleration_is_not_repeated(tmp_path):
    stream = STS.replace("key: dedicated\n        operator: Equal\n        value: db",
                         "key: tenants\n        operator: Exists\n        effect: NoSchedule")
    (sts,) = objects(chart_output(render(tmp_path, stream, NODES)))
    assert len(sts["spec"]["template"]["spec"]["tolerations"]) == 1
