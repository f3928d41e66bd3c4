"""Every generated object is accepted by the real Kubernetes OpenAPI schemas.

Strict schemas (no unknown fields) of the oldest and newest Kubernetes versions
vnp supports; plus the name and label rules the schemas do not encode.
"""
from __future__ import annotations

import re

import pytest

from helm_vnp.generate import generate_all
from tests.generate.inputs import (
    CONTROL_PLANE,
    NAMESPACE,
    RELEASE,
    WORKLOADS,
    make_policies,
)

kubernetes_validate = pytest.importorskip("kubernetes_validate")

VERSIONS = ["1.30", "1.37"]
SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def _scenarios() -> dict[str, list[dict]]:
    """Every shape of output: both selection modes, control plane, user rules, labels, IPv6."""
    full = make_policies(control_plane=CONTROL_PLANE)
    net = full["networkPolicy"]
    net["labels"] = {"team": "platform"}
    net["annotations"] = {"description": "isolation for shop"}
    net["fallbackDns"] = "2001:4860:4860::8888"
    net["dns"]["ports"] = [53, 1053, 5353]
    net["workload"]["ingress"] = [
        {"from": [{"namespaceSelector": {"matchLabels": {"name": "ingress"}}}], "ports": [{"port": 8080}]}
    ]
    net["workload"]["egress"] = [
        {"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}], "ports": [{"port": 5432, "endPort": 5433}]}
    ]
    net["controlPlane"]["ingress"] = [{"ports": [{"port": 8443, "protocol": "TCP"}]}]
    net["controlPlane"]["egress"] = [{"to": [{"podSelector": {"matchLabels": {"app": "etcd"}}}]}]
    full["resourceQuota"]["scopes"] = ["NotBestEffort"]
    full["resourceQuota"]["scopeSelector"] = {
        "matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]
    }
    full["limitRange"]["min"] = {"cpu": "10m"}
    full["limitRange"]["max"] = {"cpu": "4", "memory": "8Gi"}

    no_dns_peers = make_policies()
    no_dns_peers["networkPolicy"]["dns"]["peers"] = []
    return {
        "defaults": generate_all(make_policies(), RELEASE, NAMESPACE, WORKLOADS),
        "everything": generate_all(full, RELEASE, None, WORKLOADS),
        "workloadSelectors": generate_all(
            make_policies(control_plane=CONTROL_PLANE, selection="workloadSelectors"), RELEASE, NAMESPACE, WORKLOADS
        ),
        "dns-anywhere": generate_all(no_dns_peers, RELEASE, NAMESPACE, WORKLOADS),
    }


SCENARIOS = _scenarios()
CASES = [
    pytest.param(obj, version, id=f"{scenario}-{obj['kind']}-{obj['metadata']['name']}-{version}")
    for scenario, objects in SCENARIOS.items()
    for obj in objects
    for version in VERSIONS
]


def test_versions_are_shipped():
    """The schemas we validate against exist in the installed kubernetes-validate."""
    shipped = {kubernetes_validate.utils.major_minor(v) for v in kubernetes_validate.utils.all_versions()}
    assert set(VERSIONS) <= shipped


def test_every_object_kind_is_covered():
    kinds = {o["kind"] for objects in SCENARIOS.values() for o in objects}
    assert kinds == {"NetworkPolicy", "ResourceQuota", "LimitRange"}


@pytest.mark.parametrize("obj, version", CASES)
def test_validates_strictly(obj, version):
    assert kubernetes_validate.validate(obj, version, strict=True) == version


@pytest.mark.parametrize("obj, version", CASES[::len(VERSIONS)])
def test_names_and_labels_are_valid(obj, version):
    meta = obj["metadata"]
    assert len(meta["name"]) <= 253 and SUBDOMAIN.fullmatch(meta["name"])
    for value in meta["labels"].values():
        assert len(value) <= 63 and LABEL_VALUE.fullmatch(value)


@pytest.mark.parametrize("version", VERSIONS)
def test_strict_validation_can_fail(version):
    """Guards the test above: a misspelt field must be rejected, else strict mode is not on."""
    obj = SCENARIOS["defaults"][0]
    bad = {**obj, "spec": {**obj["spec"], "policyType": ["Ingress"]}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, version, strict=True)
