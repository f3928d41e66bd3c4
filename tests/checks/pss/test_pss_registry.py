"""Registry behaviour: version parsing, level composition, ordering, messages, messy input."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helm_vnp.k8s.podsecurity import CHECKS, evaluate_pod, forbidden_message, parse_version
from tests.checks.pss.pss_pods import ctx, restricted_pod

EXPECTED_VERSIONS = {
    "appArmorProfile": [(1, 0)], "capabilities_baseline": [(1, 0)], "hostNamespaces": [(1, 0)],
    "hostPathVolumes": [(1, 0)], "hostPorts": [(1, 0)], "hostProbesAndHostLifecycle": [(1, 34)],
    "privileged": [(1, 0)], "procMount": [(1, 0), (1, 35)], "seLinuxOptions": [(1, 0), (1, 31)],
    "seccompProfile_baseline": [(1, 0), (1, 19)], "sysctls": [(1, 0), (1, 27), (1, 29), (1, 32), (1, 37)],
    "windowsHostProcess": [(1, 0)],
    "allowPrivilegeEscalation": [(1, 8), (1, 25)], "capabilities_restricted": [(1, 22), (1, 25)],
    "procMount_restricted": [(1, 35)], "restrictedVolumes": [(1, 0)], "runAsNonRoot": [(1, 0), (1, 35)],
    "runAsUser": [(1, 23), (1, 35)], "seccompProfile_restricted": [(1, 19), (1, 25)],
}


def test_checks_are_upstreams_in_evaluation_order():
    assert [c.id for c in CHECKS] == list(EXPECTED_VERSIONS)
    assert {c.id: [v.min_version for v in c.versions] for c in CHECKS} == EXPECTED_VERSIONS
    assert all(c.doc.strip().startswith(c.id) for c in CHECKS)


@pytest.mark.parametrize("text,expected", [("latest", None), ("v1.0", (1, 0)), ("v1.25", (1, 25)), ("v1.37", (1, 37))])
def test_parse_version(text, expected):
    assert parse_version(text) == expected


@pytest.mark.parametrize("text", ["", "1.25", "v1.025", "v2.0", "v1.38", "v1.", "Latest", "v1.25.0", None, 1.25])
def test_parse_version_rejects(text):
    with pytest.raises(ValueError):
        parse_version(text)


def _worst_pod():
    spec = restricted_pod()
    spec["hostNetwork"] = True
    spec["securityContext"] = {"runAsUser": 0, "sysctls": [{"name": "kernel.msgmax", "value": "1"}]}
    spec["volumes"] = [{"name": "root", "hostPath": {"path": "/"}}]
    c = ctx(spec)
    c.update(privileged=True, allowPrivilegeEscalation=True, capabilities={"add": ["SYS_ADMIN"]})
    spec["containers"][0]["ports"] = [{"containerPort": 80}]
    return spec


def test_restricted_includes_baseline_minus_overridden_in_upstream_order():
    spec = _worst_pod()
    baseline = [v.check_id for v in evaluate_pod({}, spec, "baseline")]
    restricted = [v.check_id for v in evaluate_pod({}, spec, "restricted")]
    assert baseline == ["capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts",
                        "privileged", "sysctls"]
    assert restricted == ["hostNamespaces", "hostPorts", "privileged", "sysctls", "allowPrivilegeEscalation",
                          "capabilities_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser",
                          "seccompProfile_restricted"]


def test_privileged_level_allows_everything():
    assert evaluate_pod({}, _worst_pod(), "privileged", "v1.0") == []


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError):
        evaluate_pod({}, {}, "strict")


def test_forbidden_message_matches_api_server():
    spec = restricted_pod()
    ctx(spec)["allowPrivilegeEscalation"] = True
    spec["securityContext"]["runAsNonRoot"] = None
    violations = evaluate_pod({}, spec, "restricted", "v1.25")
    assert forbidden_message("web", "restricted", "v1.25", violations) == (
        'pods "web" is forbidden: violates PodSecurity "restricted:v1.25": '
        'allowPrivilegeEscalation != false (container "container1" must set '
        'securityContext.allowPrivilegeEscalation=false), '
        'runAsNonRoot != true (pod or containers "initcontainer1", "container1" must set '
        'securityContext.runAsNonRoot=true)'
    )
    assert violations[0].containers == ("container1",)
    assert forbidden_message("", "baseline", "latest", evaluate_pod({}, {"hostPID": True}, "baseline")) == (
        'pods is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostPID=true)')


def test_latest_is_the_newest_version():
    spec = restricted_pod()
    spec["securityContext"]["sysctls"] = [{"name": "net.ipv4.tcp_notsent_lowat", "value": "1"}]
    assert evaluate_pod({}, spec, "baseline", "latest") == evaluate_pod({}, spec, "baseline", "v1.37") == []
    assert evaluate_pod({}, spec, "baseline", "v1.36")


def test_annotation_checks():
    meta = {"annotations": {
        "container.apparmor.security.beta.kubernetes.io/container1": "unconfined",
        "container.apparmor.security.beta.kubernetes.io/x": "localhost/ok",
        "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/initcontainer1": "",
        "container.seccomp.security.alpha.kubernetes.io/not-a-container": "unconfined",
    }}
    spec = restricted_pod()
    spec["securityContext"]["appArmorProfile"] = {"type": "Unconfined"}
    got = {v.check_id: (v.reason, v.detail) for v in evaluate_pod(meta, spec, "baseline", "v1.18")}
    assert got == {
        "appArmorProfile": ("forbidden AppArmor profiles",
                            'pod and annotation must not set AppArmor profile type to "Unconfined", '
                            '"container.apparmor.security.beta.kubernetes.io/container1="unconfined""'),
        "seccompProfile_baseline": ("seccompProfile",
                                    'forbidden annotations container.seccomp.security.alpha.kubernetes.io/'
                                    'initcontainer1="", seccomp.security.alpha.kubernetes.io/pod="unconfined"'),
    }
    assert [v.check_id for v in evaluate_pod(meta, spec, "baseline", "v1.19")] == ["appArmorProfile"]


def test_host_network_defaults_host_ports_like_the_api_server():
    spec = restricted_pod()
    spec["hostNetwork"] = True
    spec["containers"][0]["ports"] = [{"containerPort": 8080}]
    spec["ephemeralContainers"] = [{"name": "debug", "ports": [{"containerPort": 9}]}]
    hostports = [v for v in evaluate_pod({}, spec, "baseline") if v.check_id == "hostPorts"]
    assert [(v.detail, v.containers) for v in hostports] == [
        ('container "container1" uses hostPort 8080', ("container1",))]


def test_messy_scalars_read_as_meant():
    spec = restricted_pod()
    spec["hostPID"] = "true"
    ctx(spec)["runAsUser"] = "0"
    ctx(spec)["allowPrivilegeEscalation"] = "False"
    got = [(v.check_id, v.detail) for v in evaluate_pod({}, spec, "restricted")]
    assert got == [("hostNamespaces", "hostPID=true"), ("runAsUser", 'container "container1" must not set runAsUser=0')]


def test_inputs_are_not_mutated():
    spec, meta = _worst_pod(), {"annotations": {"a": "b"}}
    before = copy.deepcopy((meta, spec))
    evaluate_pod(meta, spec, "restricted")
    assert (meta, spec) == before


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 70000) | st.sampled_from(
        ["", "ALL", "true", "0", "Unmasked", "windows", "Unconfined", "hostPath", "x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([
        "name", "containers", "initContainers", "ephemeralContainers", "securityContext", "capabilities", "add",
        "drop", "volumes", "hostPath", "ports", "hostPort", "containerPort", "sysctls", "seccompProfile", "type",
        "seLinuxOptions", "user", "procMount", "hostUsers", "os", "livenessProbe", "httpGet", "host", "lifecycle",
        "preStop", "annotations", "runAsUser", "runAsNonRoot", "privileged", "hostNetwork", "appArmorProfile",
        "windowsOptions", "hostProcess", "allowPrivilegeEscalation"]), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(metadata=_json, spec=_json, version=st.sampled_from(["latest", "v1.0", "v1.19", "v1.25", "v1.35"]))
def test_never_raises_on_messy_input(metadata, spec, version):
    for level in ("baseline", "restricted"):
        for v in evaluate_pod(metadata, spec, level, version):
            assert v.reason and isinstance(v.detail, str)
            assert forbidden_message("p", level, version, [v])
