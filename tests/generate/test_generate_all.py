"""generate_all as the post-renderer uses it: order, names, metadata, determinism."""
from __future__ import annotations

import copy
import json

import pytest

from helm_vnp.base.names import GENERATED_BY_LABEL, GENERATED_BY_VALUE, RELEASE_LABEL
from helm_vnp.generate import generate_all
from tests.generate.inputs import (
    CONTROL_PLANE,
    NAMESPACE,
    RELEASE,
    WORKLOADS,
    by_name,
    make_policies,
)


def full() -> dict:
    return make_policies(control_plane=CONTROL_PLANE)


def test_nothing_enabled_generates_nothing():
    policies = make_policies(network=False, quota=False, limits=False, control_plane=CONTROL_PLANE)
    assert generate_all(policies, RELEASE, NAMESPACE, WORKLOADS) == []


def test_order_and_names():
    objs = generate_all(full(), RELEASE, NAMESPACE, WORKLOADS)
    assert [(o["kind"], o["metadata"]["name"]) for o in objs] == [
        ("NetworkPolicy", "vnp-shop-workload"),
        ("NetworkPolicy", "vnp-shop-control-plane"),
        ("ResourceQuota", "vnp-shop"),
        ("LimitRange", "vnp-shop"),
    ]
    assert [list(o) for o in objs] == [["apiVersion", "kind", "metadata", "spec"]] * 4


@pytest.mark.parametrize("selection", ["podLabel", "workloadSelectors"])
def test_names_distinct_per_release(selection):
    policies = make_policies(control_plane=CONTROL_PLANE, selection=selection)
    shop = generate_all(policies, "shop", NAMESPACE, WORKLOADS)
    blog = generate_all(policies, "blog", NAMESPACE, WORKLOADS)
    by_name(shop + blog)  # asserts no kind/name pair repeats
    assert all(o["metadata"]["labels"][RELEASE_LABEL] == "blog" for o in blog)


def test_namespace_only_when_given():
    assert {o["metadata"]["namespace"] for o in generate_all(full(), RELEASE, NAMESPACE, [])} == {NAMESPACE}
    assert not any("namespace" in o["metadata"] for o in generate_all(full(), RELEASE, None, []))


def test_our_labels_win_over_user_labels():
    policies = full()
    hostile = {GENERATED_BY_LABEL: "Helm", RELEASE_LABEL: "someone-else", "team": "platform"}
    for family in ("networkPolicy", "resourceQuota", "limitRange"):
        policies[family]["labels"] = dict(hostile)
    for obj in generate_all(policies, RELEASE, NAMESPACE, []):
        assert obj["metadata"]["labels"] == {
            GENERATED_BY_LABEL: GENERATED_BY_VALUE,
            "team": "platform",
            RELEASE_LABEL: RELEASE,
        }


def test_labels_and_annotations_of_each_family_stay_in_that_family():
    policies = full()
    for family in ("networkPolicy", "resourceQuota", "limitRange"):
        policies[family]["labels"] = {"family": family}
        policies[family]["annotations"] = {"note": family}
    expected = {"NetworkPolicy": "networkPolicy", "ResourceQuota": "resourceQuota", "LimitRange": "limitRange"}
    for obj in generate_all(policies, RELEASE, NAMESPACE, []):
        family = expected[obj["kind"]]
        assert obj["metadata"]["labels"]["family"] == family
        assert obj["metadata"]["annotations"] == {"note": family}


def test_annotations_key_omitted_when_empty():
    assert not any("annotations" in o["metadata"] for o in generate_all(full(), RELEASE, NAMESPACE, []))


@pytest.mark.parametrize("selection", ["podLabel", "workloadSelectors"])
def test_deterministic_including_key_order(selection):
    """Same input, same output, byte for byte, whatever order the user wrote maps in."""
    a = make_policies(control_plane=CONTROL_PLANE, selection=selection)
    b = copy.deepcopy(a)
    for family in ("networkPolicy", "resourceQuota", "limitRange"):
        a[family]["labels"] = {"x": "1", "a": "2"}
        b[family]["labels"] = {"a": "2", "x": "1"}
    b["resourceQuota"]["quota"] = dict(reversed(list(a["resourceQuota"]["quota"].items())))
    dump = lambda objs: json.dumps(objs)  # noqa: E731 - json keeps dict order
    assert dump(generate_all(a, RELEASE, NAMESPACE, WORKLOADS)) == dump(generate_all(b, RELEASE, NAMESPACE, WORKLOADS))


def test_input_is_not_mutated_nor_shared_with_output():
    policies = make_policies(control_plane=CONTROL_PLANE, selection="workloadSelectors")
    policies["networkPolicy"]["workload"]["egress"] = [{"to": [{"podSelector": {"matchLabels": {"app": "x"}}}]}]
    workloads = copy.deepcopy(WORKLOADS)
    before = copy.deepcopy((policies, workloads))
    objs = generate_all(policies, RELEASE, NAMESPACE, workloads)
    assert (policies, workloads) == before
    # scribble over every mutable value of the output: input and sibling objects stay intact
    again = copy.deepcopy(objs)

    def scribble(node):
        if isinstance(node, dict):
            for v in node.values():
                scribble(v)
            node["scribbled"] = True
        elif isinstance(node, list):
            for v in node:
                scribble(v)
            node.append("scribbled")

    scribble(objs[0])
    assert (policies, workloads) == before
    assert objs[1:] == again[1:]
