"""Chart documents are read as Kubernetes reads them: go-yaml v2's YAML 1.1 booleans and numbers.

The spellings are go-yaml v2's resolveMap (sigs.k8s.io/yaml goyaml.v2/resolve.go); the expected values
were checked against sigs.k8s.io/yaml v1.4.0's YAMLToJSON.
"""
from __future__ import annotations

import pytest

from helm_vnp.base.yamlload import load
from helm_vnp.k8s.podsecurity import fields
from helm_vnp.stream import Document
from helm_vnp.stream.scalars import ASK_PARSER, scalar

TRUE = "y Y yes Yes YES true True TRUE on On ON".split()
FALSE = "n N no No NO false False FALSE off Off OFF".split()


@pytest.mark.parametrize("spelling", TRUE + FALSE)
def test_every_yaml11_boolean_is_a_boolean(spelling):
    obj = load(f"spec:\n  hostNetwork: {spelling}\n")
    assert obj["spec"]["hostNetwork"] is (spelling in TRUE)
    assert scalar(spelling) is ASK_PARSER  # the line scanner never hands it on as a string


@pytest.mark.parametrize("text", ['"yes"', "'on'", "tRue", "!!str y"])
def test_quoted_or_odd_spellings_stay_strings(text):
    value = load(f"a: {text}\n")["a"]
    assert isinstance(value, str)
    assert fields.as_bool(value) in (None, True)  # only the tolerant "true" spelling reads as true


@pytest.mark.parametrize("text,expected", [
    ("017", 15), ("0o17", 15), ("0x1F", 31), ("0b101", 5), ("1_000", 1000), ("09", 9.0), ("+.5", 0.5),
    ("1e3", 1000.0), ("1:20", "1:20"), ("1e400", "1e400"), ("2001-01-01", "2001-01-01"), ("~", None),
    ("Null", None), ("=", "="),
])
def test_numbers_as_go_yaml_reads_them(text, expected):
    assert load(f"a: {text}\n")["a"] == expected
    assert type(load(f"a: {text}\n")["a"]) is type(expected)


def test_keys_become_the_strings_kubernetes_makes_of_them():
    assert load("yes: a\nn: b\n0x1F: c\n") == {"true": "a", "false": "b", "31": "c"}


def test_merge_keys_still_merge():
    assert load("a: &x {m: 1}\nb:\n  <<: *x\n  k: 2\n")["b"] == {"m": 1, "k": 2}


def test_scanner_defers_yaml11_label_keys_and_values_to_the_parser():
    doc = Document(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ~\n  labels:\n    yes: a\n", 1)
    assert doc.namespace is None
    assert doc.labels == {"true": "a"}
