"""The stream model's promises: byte-exact segments, cheap heads, one-label edits."""
from __future__ import annotations

import copy

import pytest

from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.base.yamlload import load
from helm_vnp.k8s.workloads import pod_template
from helm_vnp.stream import split
from helm_vnp.stream.labelling import plan
from helm_vnp.stream.labelling.edit import apply


def test_segments_concatenate_to_input():
    data = b"a: 1\n---\nb: 2\n...\n# c\n--- # x\nc: 3\n---\n"
    docs = split(data)
    assert b"".join(d.raw for d in docs) == data
    assert [d.line for d in docs] == [1, 2, 5, 6, 8]  # "# c" after "..." is a segment of its own


def test_triple_dash_inside_a_scalar_is_not_a_marker():
    data = b"kind: ConfigMap\ndata:\n  x: |\n    ---\n    y\n"
    assert len(split(data)) == 1


def test_head_of_block_document_without_parsing():
    data = b"---\n# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n" \
           b"  name: \"web\"\n  namespace: team-a # here\n  labels:\n    app: web\n  annotations:\n    {}\nspec: {}\n"
    (doc,) = split(data)
    assert (doc.kind, doc.api_version, doc.name, doc.namespace) == ("Deployment", "apps/v1", "web", "team-a")
    assert doc.labels == {"app": "web"} and doc.annotations == {}
    assert doc.source_file == "c/templates/d.yaml"
    assert doc.object_line == 3


def test_head_falls_back_to_parser_for_flow_documents():
    (doc,) = split(b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}\n')
    assert (doc.kind, doc.name) == ("Pod", "p")


def _label(text: str, kind: str, release: str = "rel") -> str:
    (doc,) = split(text.encode())
    edits = plan(doc, release)
    return apply(doc.raw, edits).decode()


def _expect_labelled(before: str, after: str, kind: str, release: str = "rel"):
    a, b = load(before), load(after)
    want = copy.deepcopy(a)
    tpl = pod_template(want, kind)
    tpl.setdefault("metadata", {}) if isinstance(tpl.get("metadata"), dict) else tpl.__setitem__("metadata", {})
    labels = tpl["metadata"].get("labels")
    # a new dict: an aliased labels map must not drag the selector along
    tpl["metadata"]["labels"] = {**(labels if isinstance(labels, dict) else {}), RELEASE_LABEL: release}
    assert b == want


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      # the pod's labels
      labels:
        app: 'web'
    spec:
      containers:
      - name: c
        image: x
"""


@pytest.mark.parametrize("text,kind", [
    (DEPLOYMENT, "Deployment"),
    (DEPLOYMENT.replace("      labels:\n        app: 'web'\n", "      annotations: {a: b}\n"), "Deployment"),
    (DEPLOYMENT.replace("    metadata:\n      # the pod's labels\n      labels:\n        app: 'web'\n", ""),
     "Deployment"),
    (DEPLOYMENT.replace("      labels:\n        app: 'web'\n", "      labels: {}\n"), "Deployment"),
    (DEPLOYMENT.replace("\n", "\r\n"), "Deployment"),
    ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"}}, "spec": {}}\n', "Pod"),
    ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}\n', "Pod"),
    ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n"
     "    spec:\n      template:\n        metadata:\n          labels: {x: y}\n        spec: {containers: []}\n",
     "CronJob"),
    ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: &l {app: d}}\n"
     "  template:\n    metadata:\n      labels: *l\n    spec: {}\n", "Deployment"),
])
def test_label_added_and_nothing_else_changes(text, kind):
    out = _label(text, kind)
    _expect_labelled(text, out, kind)
    # idempotent: a second pass changes nothing
    assert _label(out, kind) == out


def test_block_edit_keeps_comments_and_quoting():
    out = _label(DEPLOYMENT, "Deployment")
    assert "# the pod's labels" in out and "app: 'web'" in out
    assert out.replace(f'        {RELEASE_LABEL}: "rel"\n', "") == DEPLOYMENT


def test_alias_labels_do_not_change_the_selector():
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
            "  selector: {matchLabels: &l {app: d}}\n  template:\n    metadata:\n      labels: *l\n    spec: {}\n")
    out = load(_label(text, "Deployment"))
    assert out["spec"]["selector"]["matchLabels"] == {"app": "d"}


def test_workload_without_template_is_left_alone():
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 1\n"
    assert _label(text, "Deployment") == text
