"""Inputs the fuzzer (fuzz/postrender_target.py) found crashing, minimised, with their expected outcome.

Each case runs through the same oracle as the fuzz target: "ok" means the
guarantees hold, otherwise the text is a fragment of the VnpError's message.
"""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.config import ValuesInput, load_config
from tests.property.postrender_oracle import check_post_render

SELECTORS = "policies:\n  selection: workloadSelectors\n  networkPolicy:\n    enabled: true\n"
LABEL = "policies:\n  networkPolicy:\n    enabled: true\n"

CASES = [
    # workloadSelectors mode named a policy after a workload without metadata.name: TypeError
    pytest.param(SELECTORS, b"apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    metadata:\n"
                 b"      labels:\n        app: d\n", "without metadata.name", id="selectors-nameless-workload"),
    pytest.param(LABEL, b"apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    metadata:\n"
                 b"      labels:\n        app: d\n", "ok", id="label-nameless-workload"),
    # the parser planner replaced an anchored null `labels: &l` with a flow mapping: the anchor went, *l dangled
    pytest.param(LABEL, b"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n"
                 b"    metadata:\n      labels: &l\n      x: *l\n", "YAML anchor", id="anchored-null-labels"),
    pytest.param(LABEL, b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: &n\n"
                 b"  labels: *n\n", "YAML anchor", id="labels-alias-of-null"),
    # the fast path inserted a label line before a multi-line plain scalar `labels:\n  text`: invalid YAML
    pytest.param(LABEL, b"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n"
                 b"    metadata:\n      labels:\n        app.kub data\n      spec: {}\n", "not a mapping",
                 id="labels-multiline-scalar"),
    # a lone CR is a YAML line break the line reader did not split on: it added a second `metadata:`
    pytest.param(LABEL, b"apiVersion: v1\r\nkind: Pod\r\nmetadata:\riners: []\r\n", "ok", id="lone-cr-line-break"),
    pytest.param(LABEL, "apiVersion: v1\nkind: Pod\nmetadata:\u2028  name: p\n".encode(),
                 "does not start its line", id="u2028-line-break"),
    pytest.param(LABEL, b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    'a': b\n    \"c\": d\n",
                 "ok", id="quoted-label-keys"),
    # the fast path took the shallower `labels:` after an empty `metadata:` (only a comment below it) for the
    # pod template's labels: the label landed in spec.labels and the pods ran unlabelled
    pytest.param(LABEL, b"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  template:\n"
                 b"    metadata:\n      # nothing here\n  labels:\n    app: d\n", "ok",
                 id="empty-metadata-then-shallower-labels"),
    # a decoy `metadata:` with a hook annotation inside a multi-line quoted scalar (the real key is misspelt):
    # the stream was taken for hooks only, nothing generated, and a second pass generated the objects
    pytest.param(LABEL,
                 b'---\n# Source: vnp-hooks/templates/test-pod.yaml\napiVersion: v1\nkind: P'
                 b'od\nmetadada:\n  name: "app-testv1\nkind: ServiceMonitor\nmetadata:\n  name'
                 b': kps-prometheus-node-exporter\n  namostrenderer.helm.sh/postrender-fil'
                 b'ename: \'kube-prometheus-stack/charts/prometheus-node-exp"\n  annotation'
                 b's:\n    "helm.sh/hook": test\nspec:\n  restartPolicy: Never\n  containers:'
                 b'\n    - name: test\n      image: registry.k8s.io/pause:3.10\n\n',
                 "ok", id="decoy-hook-annotation-in-a-quoted-scalar"),
]


@pytest.mark.parametrize("values, stream, expected", CASES)
def test_fuzzer_finding(tmp_path, values, stream, expected):
    path = tmp_path / "values.yaml"
    path.write_text(values)
    policies = load_config(ValuesInput([str(path)]), use_cache=False).policies
    if expected == "ok":
        check_post_render(stream, policies)
        return
    with pytest.raises(VnpError) as info:
        check_post_render(stream, policies)
    assert expected in str(info.value)
    assert info.value.problems[0].line is not None, "the message names the line"


def test_values_file_with_a_mapping_as_key_fails_cleanly(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text("policies:\n? a:\n    b: 1\n")
    with pytest.raises(VnpError) as info:
        load_config(ValuesInput([str(path)]), use_cache=False)
    assert "a mapping key must be a plain scalar" in str(info.value)
