"""The CRD head reader must agree with a full parse on what scope rules read."""
from __future__ import annotations

from helm_vnp.stream import split
from helm_vnp.stream.crd import crd_light

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Cluster
  versions:
  - name: v1
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
              group: {type: string}
"""


def test_reads_group_kind_plural_scope():
    (doc,) = split(CRD.encode())
    assert crd_light(doc)["spec"] == {"group": "example.com", "names": {"kind": "Widget", "plural": "widgets"},
                                      "scope": "Cluster"}


def test_declines_what_it_cannot_read_safely():
    (flow,) = split(CRD.replace("  names:\n    kind: Widget\n    plural: widgets\n",
                                "  names: {kind: Widget, plural: widgets}\n").encode())
    assert crd_light(flow) is None
    (dup,) = split(CRD.replace("  scope: Cluster\n", "  scope: Cluster\n  group: other.com\n").encode())
    assert crd_light(dup) is None


def test_agrees_with_the_parser_on_the_corpus(corpus):
    path = corpus("kube-prometheus-stack-with-crds.yaml")
    crds = [d for d in split(path.read_bytes()) if d.kind == "CustomResourceDefinition"]
    assert len(crds) == 10
    for doc in crds:
        light, full = crd_light(doc), doc.obj
        assert light["spec"]["group"] == full["spec"]["group"]
        assert light["spec"]["scope"] == full["spec"]["scope"]
        assert light["spec"]["names"]["kind"] == full["spec"]["names"]["kind"]
        assert light["spec"]["names"]["plural"] == full["spec"]["names"]["plural"]
