"""crd_conversion: the conversion webhook of a CRD, read without parsing its schemas."""
from __future__ import annotations

from helm_vnp.stream import split
from helm_vnp.stream.crd import crd_conversion

CRD = b"""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: conv, namespace: team, port: 8443}
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      schema: {openAPIV3Schema: {type: object, description: "conversion: not this one"}}
"""


def _doc(raw: bytes):
    [doc] = split(raw, "crd.yaml")
    return doc


def test_reads_the_conversion_block_only():
    crd = crd_conversion(_doc(CRD))
    assert crd["metadata"] == {"name": "widgets.example.com"}
    assert crd["spec"] == {"conversion": {"strategy": "Webhook", "webhook": {
        "conversionReviewVersions": ["v1"], "clientConfig": {"service": {"name": "conv", "namespace": "team",
                                                                         "port": 8443}}}}}


def test_no_conversion_and_unusual_layouts():
    assert crd_conversion(_doc(CRD.replace(b"  conversion:\n    strategy: Webhook\n", b"  x:\n    strategy: W\n"))) \
        ["spec"] == {}
    assert crd_conversion(_doc(CRD.replace(b"  conversion:\n", b"  conversion: {strategy: None}\n  y:\n"))) is None
    assert crd_conversion(_doc(b'{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"}')) \
        is None
