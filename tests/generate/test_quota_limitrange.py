"""ResourceQuota and LimitRange: vCluster's values render exactly as vCluster renders them."""
from __future__ import annotations

import pytest

from helm_vnp.generate import generate_all
from tests.generate.inputs import NAMESPACE, RELEASE, make_policies


def _one(policies: dict, kind: str) -> dict:
    (obj,) = [o for o in generate_all(policies, RELEASE, NAMESPACE, []) if o["kind"] == kind]
    return obj


@pytest.fixture(scope="module")
def reference(vcluster_reference) -> dict[str, dict]:
    """kind -> object, from vCluster's own render of its defaults."""
    path = vcluster_reference("quota-limitrange.yaml")
    from ruamel.yaml import YAML

    return {doc["kind"]: doc for doc in YAML(typ="safe").load_all(path.read_text()) if doc}


@pytest.mark.parametrize("kind", ["ResourceQuota", "LimitRange"])
def test_vcluster_defaults_render_vclusters_spec(reference, kind):
    """Same values in -> the very spec vCluster renders (strings, no empty min/max)."""
    assert _one(make_policies(), kind)["spec"] == reference[kind]["spec"]


def test_quota_keys_sorted_and_values_strings():
    policies = make_policies()
    policies["resourceQuota"]["quota"] = {"requests.cpu": 10, "count/pods": "20", "limits.memory": "4Gi"}
    hard = _one(policies, "ResourceQuota")["spec"]["hard"]
    assert list(hard.items()) == [("count/pods", "20"), ("limits.memory", "4Gi"), ("requests.cpu", "10")]


def test_quota_scopes_only_when_set():
    policies = make_policies()
    assert set(_one(policies, "ResourceQuota")["spec"]) == {"hard"}
    selector = {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}
    policies["resourceQuota"].update(scopes=["NotBestEffort"], scopeSelector=selector)
    spec = _one(policies, "ResourceQuota")["spec"]
    assert spec["scopes"] == ["NotBestEffort"] and spec["scopeSelector"] == selector


def test_limit_range_min_max_when_set():
    policies = make_policies()
    policies["limitRange"].update(min={"memory": "16Mi", "cpu": "10m"}, max={"cpu": "4"}, default={})
    (limit,) = _one(policies, "LimitRange")["spec"]["limits"]
    assert limit == {
        "type": "Container",
        "defaultRequest": {"cpu": "100m", "ephemeral-storage": "3Gi", "memory": "128Mi"},
        "min": {"cpu": "10m", "memory": "16Mi"},
        "max": {"cpu": "4"},
    }


@pytest.mark.parametrize("quota, limits", [(True, False), (False, True)])
def test_each_is_generated_only_when_enabled(quota, limits):
    objs = generate_all(make_policies(network=False, quota=quota, limits=limits), RELEASE, NAMESPACE, [])
    assert [o["kind"] for o in objs] == (["ResourceQuota"] if quota else ["LimitRange"])
