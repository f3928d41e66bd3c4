"""Property test: any values file either loads or fails with a VnpError, never another exception."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helm_vnp.base.errors import VnpError
from helm_vnp.config import ValuesInput, load_config

# key tree of the schema (policies and the legacy isolation block), leaves None
_TREE = {
    "policies": {
        "selection": None, "podSecurityStandard": None, "podSecurityVersion": None,
        "podSecurity": {"mode": None, "exemptions": None},
        "networkPolicy": {
            "enabled": None, "fallbackDns": None, "labels": None, "annotations": None,
            "dns": {"preset": None, "ports": None, "namespaceSelector": {"matchLabels": None,
                                                                        "matchExpressions": None},
                    "podSelector": {"matchLabels": None, "matchExpressions": None}},
            "controlPlane": {"selector": {"matchLabels": None, "matchExpressions": None}, "platform": None,
                             "ingress": None, "egress": None},
            "workload": {"publicEgress": {"enabled": None, "cidr": None, "except": None, "extraIpBlocks": None},
                         "ingress": None, "egress": None},
            "outgoingConnections": {"ipBlock": {"cidr": None, "except": None}, "platform": None,
                                    "extraIpBlocks": None},
            "extraControlPlaneRules": None, "extraWorkloadRules": None,
        },
        "resourceQuota": {"enabled": None, "quota": None, "scopes": None,
                          "scopeSelector": {"matchExpressions": None}, "labels": None, "annotations": None},
        "limitRange": {"enabled": None, "default": None, "defaultRequest": None, "min": None, "max": None,
                       "labels": None, "annotations": None},
        "centralAdmission": {"validatingWebhooks": None, "mutatingWebhooks": None},
    },
    "isolation": {
        "enabled": None, "podSecurityStandard": None, "namespace": None, "nodeProxyPermission": {"enabled": None},
        "resourceQuota": {"enabled": None, "quota": None, "scopeSelector": None, "scopes": None},
        "limitRange": {"enabled": None, "default": None, "defaultRequest": None},
        "networkPolicy": {"enabled": None, "outgoingConnections": {"ipBlock": {"cidr": None, "except": None},
                                                                   "platform": None, "extraIpBlocks": None}},
    },
}

# values a user might plausibly write, right and wrong
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "auto", "true", "restricted", "baseline", "podLabel", "workloadSelectors", "kube-dns",
                     "openshift", "vcluster", "enforce", "warn", "latest", "v1.30", "v9", "10.0.0.0/8",
                     "0.0.0.0/0", "::/0", "300.1.1.1/8", "10.0.0.0/33", "8.8.8.8", "1Gi", "500m", "-1", "1e3",
                     "a b", "*", "TCP", "k8s-app=kube-dns"]),
    st.text(max_size=8),
)
_ANY = st.recursive(_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=8)
_RULE = st.fixed_dictionaries({}, optional={
    "ports": st.lists(st.fixed_dictionaries({}, optional={"port": _LEAF, "protocol": _LEAF, "endPort": _LEAF}),
                      max_size=2),
    "to": st.lists(st.fixed_dictionaries({}, optional={"ipBlock": st.fixed_dictionaries(
        {"cidr": _LEAF}, optional={"except": st.lists(_LEAF, max_size=2)}), "podSelector": _ANY}), max_size=2),
    "from": st.lists(_ANY, max_size=2),
})


@st.composite
def values(draw, tree=_TREE):
    out = {}
    for key, sub in tree.items():
        if not draw(st.booleans()):
            continue
        if sub is None:
            out[key] = draw(st.one_of(_LEAF, _ANY, st.lists(_RULE, max_size=2)))
        elif draw(st.integers(0, 9)) == 0:
            out[key] = draw(_LEAF)  # a scalar where a mapping belongs
        else:
            out[key] = draw(values(sub))
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.text(max_size=6))] = draw(_ANY)  # unknown key
    return out


def _as_yaml(data) -> str:
    """JSON is YAML; NaN/Infinity are not JSON, write them as YAML does."""
    return json.dumps(data, allow_nan=True).replace("NaN", ".nan").replace("-Infinity", "-.inf") \
        .replace("Infinity", ".inf")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(values(), st.lists(st.sampled_from([
    "policies.networkPolicy.enabled=true", "policies.networkPolicy.enabled=maybe",
    "policies.resourceQuota.quota.cpu=1", "policies.limitRange.default.cpu=x", "policies.selection=other",
    "policies.networkPolicy.dns.ports={53,1053}", "policies.networkPolicy.dns.ports[0]=x",
    "policies.networkPolicy.workload.egress[3].to[0].ipBlock.cidr=10.0.0.0/8", "a=b=c", "policies=",
    "policies.networkPolicy.labels.a\\.b=c",
]), max_size=2))
def test_any_values_file_loads_or_fails_cleanly(tmp_path, data, sets):
    path = tmp_path / "values.yaml"
    path.write_text(_as_yaml(data))
    try:
        config = load_config(ValuesInput([str(path)], sets=sets), use_cache=False)
    except VnpError as exc:
        assert exc.problems, "a VnpError names at least one problem"
        return
    assert set(config.policies) >= {"selection", "networkPolicy", "resourceQuota", "limitRange"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_as_a_values_file_load_or_fail_cleanly(tmp_path, raw):
    path = tmp_path / "values.yaml"
    path.write_bytes(raw)
    try:
        load_config(ValuesInput([str(path)]), use_cache=False)
    except VnpError as exc:
        assert exc.problems
