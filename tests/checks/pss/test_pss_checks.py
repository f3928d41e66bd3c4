"""Each check at its version boundaries: pass and fail pods with the API server's exact text.

Cases follow upstream's fixtures (test/fixtures_*.go): start from the minimal
pod that passes restricted, change one thing, and expect exactly one
violation (or none) from the whole level.
"""
from __future__ import annotations

import pytest

from helm_vnp.k8s.podsecurity import evaluate_pod
from tests.checks.pss.pss_pods import ctx, restricted_pod


def _set(path: str, value):
    """A tweak that sets a dotted path under the pod spec ("containers.0.x" indexes lists)."""
    def tweak(spec):
        node = spec
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        node[keys[-1]] = value
    return tweak


def _ctx(key, value, container="container1"):
    return lambda spec: ctx(spec, container).__setitem__(key, value)


def _both(tweak_a, tweak_b):
    def tweak(spec):
        tweak_a(spec)
        tweak_b(spec)
    return tweak


WINDOWS = _set("os", {"name": "windows"})
USERNS = _set("hostUsers", False)
NO_HARDENING = _both(_ctx("allowPrivilegeEscalation", True), _ctx("capabilities", None))

# (id, level, version, tweak, expected (reason, detail) or None)
CASES = [
    # hostNamespaces
    ("hostNetwork", "baseline", "v1.0", _set("hostNetwork", True), ("host namespaces", "hostNetwork=true")),
    ("all host ns", "baseline", "latest",
     _both(_set("hostPID", True), _both(_set("hostIPC", True), _set("hostNetwork", False))),
     ("host namespaces", "hostPID=true, hostIPC=true")),  # upstream's order: network, PID, IPC
    ("host ns false", "restricted", "latest", _set("hostPID", False), None),
    # privileged
    ("privileged", "baseline", "v1.0", _ctx("privileged", True),
     ("privileged", 'container "container1" must not set securityContext.privileged=true')),
    ("privileged both", "baseline", "latest",
     _both(_ctx("privileged", True), _ctx("privileged", True, "initcontainer1")),
     ("privileged", 'containers "initcontainer1", "container1" must not set securityContext.privileged=true')),
    ("privileged false", "restricted", "latest", _ctx("privileged", False), None),
    # capabilities_baseline (baseline) vs capabilities_restricted (restricted)
    ("caps default set", "baseline", "latest", _ctx("capabilities", {"add": ["CHOWN", "NET_BIND_SERVICE"]}), None),
    ("caps non-default", "baseline", "v1.0", _ctx("capabilities", {"add": ["NET_RAW", "SYS_ADMIN", "CHOWN"]}),
     ("non-default capabilities",
      'container "container1" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add')),
    ("caps userns not relaxed", "baseline", "latest",
     _both(USERNS, _ctx("capabilities", {"add": ["SYS_ADMIN"]})),
     ("non-default capabilities",
      'container "container1" must not include "SYS_ADMIN" in securityContext.capabilities.add')),
    ("caps restricted before 1.22", "restricted", "v1.21", _ctx("capabilities", {"add": ["CHOWN"]}), None),
    ("caps restricted 1.21 still baseline", "restricted", "v1.21", _ctx("capabilities", {"add": ["SYS_ADMIN"]}),
     ("non-default capabilities",
      'container "container1" must not include "SYS_ADMIN" in securityContext.capabilities.add')),
    ("caps restricted 1.22", "restricted", "v1.22", _ctx("capabilities", {"drop": ["ALL"], "add": ["CHOWN"]}),
     ("unrestricted capabilities",
      'container "container1" must not include "CHOWN" in securityContext.capabilities.add')),
    ("caps restricted NBS", "restricted", "latest",
     _ctx("capabilities", {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}), None),
    ("caps restricted no drop", "restricted", "latest",
     _ctx("capabilities", {"drop": ["NET_RAW"], "add": ["SYS_ADMIN"]}),
     ("unrestricted capabilities",
      'container "container1" must set securityContext.capabilities.drop=["ALL"]; '
      'container "container1" must not include "SYS_ADMIN" in securityContext.capabilities.add')),
    ("caps restricted windows 1.24", "restricted", "v1.24", _both(WINDOWS, _ctx("capabilities", None)),
     ("unrestricted capabilities", 'container "container1" must set securityContext.capabilities.drop=["ALL"]')),
    ("caps restricted windows 1.25", "restricted", "v1.25", _both(WINDOWS, _ctx("capabilities", None)), None),
    # hostPathVolumes (baseline) / restrictedVolumes (restricted)
    ("hostPath", "baseline", "v1.0", _set("volumes", [{"name": "a", "hostPath": {"path": "/"}},
                                                      {"name": "b", "hostPath": {"path": "/b"}}]),
     ("hostPath volumes", 'volumes "a", "b"')),
    ("hostPath restricted", "restricted", "v1.0", _set("volumes", [{"name": "a", "hostPath": {"path": "/"}}]),
     ("restricted volume types", 'volume "a" uses restricted volume type "hostPath"')),
    ("nfs baseline ok", "baseline", "latest", _set("volumes", [{"name": "n", "nfs": {"server": "s", "path": "/"}}]),
     None),
    ("restricted volumes", "restricted", "latest", _set("volumes", [
        {"name": "n", "nfs": {"server": "s", "path": "/"}},
        {"name": "g", "gitRepo": {"repository": "r"}},
        {"name": "ok", "configMap": {"name": "c"}}]),
     ("restricted volume types", 'volumes "n", "g" use restricted volume types "gitRepo", "nfs"')),
    ("allowed volume types", "restricted", "v1.0", _set("volumes", [
        {"name": k, k: {}} for k in ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
                                     "persistentVolumeClaim", "projected", "secret")] + [{"name": "bare"}]), None),
    # hostPorts
    ("hostPort", "baseline", "v1.0", _set("containers.0.ports", [{"containerPort": 80, "hostPort": 8080}]),
     ("hostPort", 'container "container1" uses hostPort 8080')),
    ("hostPorts", "baseline", "latest", _both(
        _set("containers.0.ports", [{"containerPort": 80, "hostPort": 9090}, {"containerPort": 81, "hostPort": 10000}]),
        _set("initContainers.0.ports", [{"containerPort": 82, "hostPort": 9090}])),
     ("hostPort", 'containers "initcontainer1", "container1" use hostPorts 10000, 9090')),
    ("containerPort only", "restricted", "latest", _set("containers.0.ports", [{"containerPort": 12345}]), None),
    # appArmorProfile
    ("apparmor field", "baseline", "v1.0", _set("securityContext.appArmorProfile", {"type": "Unconfined"}),
     ("forbidden AppArmor profile", 'pod must not set AppArmor profile type to "Unconfined"')),
    ("apparmor ok", "restricted", "latest", _both(
        _set("securityContext.appArmorProfile", {"type": "RuntimeDefault"}),
        _ctx("appArmorProfile", {"type": "Localhost", "localhostProfile": "p"})), None),
    ("apparmor annotation ok", "restricted", "latest", None, None),
    # seLinuxOptions, boundary at 1.31
    ("selinux engine 1.30", "baseline", "v1.30", _ctx("seLinuxOptions", {"type": "container_engine_t"}),
     ("seLinuxOptions",
      'container "container1" set forbidden securityContext.seLinuxOptions: type "container_engine_t"')),
    ("selinux engine 1.31", "baseline", "v1.31", _ctx("seLinuxOptions", {"type": "container_engine_t"}), None),
    ("selinux allowed", "restricted", "v1.0", _both(_set("securityContext.seLinuxOptions", {"level": "s0:c1"}),
                                                    _ctx("seLinuxOptions", {"type": "container_kvm_t"})), None),
    ("selinux user only", "baseline", "latest", _set("securityContext.seLinuxOptions", {"user": "u"}),
     ("seLinuxOptions", "pod set forbidden securityContext.seLinuxOptions: user may not be set")),
    # procMount: baseline relaxed for user namespaces from 1.35, restricted never
    ("procMount", "baseline", "v1.0", _ctx("procMount", "Unmasked"),
     ("procMount", 'container "container1" must not set securityContext.procMount to "Unmasked"')),
    ("procMount default", "restricted", "latest", _ctx("procMount", "Default"), None),
    ("procMount userns 1.34", "baseline", "v1.34", _both(USERNS, _ctx("procMount", "Unmasked")),
     ("procMount", 'container "container1" must not set securityContext.procMount to "Unmasked"')),
    ("procMount userns 1.35", "baseline", "v1.35", _both(USERNS, _ctx("procMount", "Unmasked")), None),
    ("procMount restricted userns 1.35", "restricted", "v1.35", _both(USERNS, _ctx("procMount", "Unmasked")),
     ("procMount", 'container "container1" must not set securityContext.procMount to "Unmasked"')),
    # seccompProfile_baseline: annotations before 1.19, fields from 1.19
    ("seccomp annotation 1.18", "baseline", "v1.18", None, None),
    ("seccomp field ignored 1.18", "baseline", "v1.18", _set("securityContext.seccompProfile", {"type": "Unconfined"}),
     None),
    ("seccomp field 1.19", "baseline", "v1.19", _set("securityContext.seccompProfile", {"type": "Unconfined"}),
     ("seccompProfile", 'pod must not set securityContext.seccompProfile.type to "Unconfined"')),
    ("seccomp unset baseline", "baseline", "latest", _set("securityContext.seccompProfile", None), None),
    # seccompProfile_restricted: from 1.19, Windows exempt from 1.25
    ("seccomp restricted 1.18", "restricted", "v1.18", _set("securityContext.seccompProfile", None), None),
    ("seccomp restricted 1.19", "restricted", "v1.19", _set("securityContext.seccompProfile", None),
     ("seccompProfile", 'pod or containers "initcontainer1", "container1" must set '
                        'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"')),
    ("seccomp per container", "restricted", "latest", _both(
        _set("securityContext.seccompProfile", None),
        _both(_ctx("seccompProfile", {"type": "Localhost", "localhostProfile": "p"}),
              _ctx("seccompProfile", {"type": "RuntimeDefault"}, "initcontainer1"))), None),
    ("seccomp explicit bad", "restricted", "latest", _both(
        _set("securityContext.seccompProfile", {"type": "Unconfined"}), _ctx("seccompProfile", {"type": "Bogus"})),
     ("seccompProfile",
      'pod and container "container1" must not set securityContext.seccompProfile.type to "Bogus", "Unconfined"')),
    ("seccomp windows 1.24", "restricted", "v1.24", _both(WINDOWS, _set("securityContext.seccompProfile", None)),
     ("seccompProfile", 'pod or containers "initcontainer1", "container1" must set '
                        'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"')),
    ("seccomp windows 1.25", "restricted", "v1.25", _both(WINDOWS, _set("securityContext.seccompProfile", None)),
     None),
    # sysctls: 1.0, 1.27, 1.29, 1.32, 1.37
    ("sysctl other", "baseline", "v1.0", _set("securityContext.sysctls", [{"name": "othersysctl", "value": "x"}]),
     ("forbidden sysctls", "othersysctl")),
    ("sysctl 1.0 set", "restricted", "v1.0", _set("securityContext.sysctls", [
        {"name": n, "value": "0"} for n in ("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                                            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
                                            "net.ipv4.ip_unprivileged_port_start")]), None),
    ("sysctl reserved 1.26", "baseline", "v1.26",
     _set("securityContext.sysctls", [{"name": "net.ipv4.ip_local_reserved_ports", "value": "1024-4999"}]),
     ("forbidden sysctls", "net.ipv4.ip_local_reserved_ports")),
    ("sysctl reserved 1.27", "baseline", "v1.27",
     _set("securityContext.sysctls", [{"name": "net.ipv4.ip_local_reserved_ports", "value": "1024-4999"}]), None),
    ("sysctl keepalive 1.28", "baseline", "v1.28", _set("securityContext.sysctls", [
        {"name": "net.ipv4.tcp_keepalive_time", "value": "7200"}, {"name": "net.ipv4.tcp_fin_timeout", "value": "60"}]),
     ("forbidden sysctls", "net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout")),
    ("sysctl keepalive 1.29", "baseline", "v1.29", _set("securityContext.sysctls", [
        {"name": n, "value": "9"} for n in ("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                                            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes")]), None),
    ("sysctl rmem 1.31", "baseline", "v1.31", _set("securityContext.sysctls", [
        {"name": "net.ipv4.tcp_rmem", "value": "4096 87380 16777216"}]), ("forbidden sysctls", "net.ipv4.tcp_rmem")),
    ("sysctl rmem 1.32", "baseline", "v1.32", _set("securityContext.sysctls", [
        {"name": "net.ipv4.tcp_rmem", "value": "4096"}, {"name": "net.ipv4.tcp_wmem", "value": "4096"}]), None),
    ("sysctl lowat 1.36", "baseline", "v1.36", _set("securityContext.sysctls", [
        {"name": "net.ipv4.tcp_slow_start_after_idle", "value": "0"},
        {"name": "net.ipv4.tcp_notsent_lowat", "value": "16384"}]),
     ("forbidden sysctls", "net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat")),
    ("sysctl lowat 1.37", "baseline", "v1.37", _set("securityContext.sysctls", [
        {"name": "net.ipv4.tcp_slow_start_after_idle", "value": "0"},
        {"name": "net.ipv4.tcp_notsent_lowat", "value": "16384"}]), None),
    # windowsHostProcess
    ("hostProcess", "baseline", "v1.0", _both(_set("securityContext.windowsOptions", {"hostProcess": True}),
                                              _ctx("windowsOptions", {"hostProcess": True})),
     ("hostProcess", 'pod and container "container1" must not set securityContext.windowsOptions.hostProcess=true')),
    ("hostProcess false", "restricted", "latest", _ctx("windowsOptions", {"hostProcess": False}), None),
    # hostProbesAndHostLifecycle from 1.34
    ("probe host 1.33", "baseline", "v1.33",
     _set("containers.0.livenessProbe", {"httpGet": {"host": "1.2.3.4", "port": 80}}),
     None),
    ("probe host 1.34", "baseline", "v1.34",
     _set("containers.0.livenessProbe", {"httpGet": {"host": "1.2.3.4", "port": 80}}),
     ("probe or lifecycle host", 'container "container1" uses probe or lifecycle host "1.2.3.4"')),
    ("lifecycle hosts", "restricted", "latest", _both(
        _set("containers.0.lifecycle", {"preStop": {"tcpSocket": {"host": "b.example", "port": 1}},
                                        "postStart": {"httpGet": {"host": "a.example", "port": 1}}}),
        _set("initContainers.0.readinessProbe", {"tcpSocket": {"host": "a.example", "port": 1}})),
     ("probe or lifecycle host",
      'containers "container1", "initcontainer1" use probe or lifecycle hosts "a.example", "b.example"')),
    ("probe empty host", "restricted", "latest",
     _set("containers.0.startupProbe", {"httpGet": {"host": "", "port": 80}}),
     None),
    # allowPrivilegeEscalation: from 1.8, Windows exempt from 1.25
    ("ape 1.7", "restricted", "v1.7", _ctx("allowPrivilegeEscalation", None), None),
    ("ape 1.8", "restricted", "v1.8", _ctx("allowPrivilegeEscalation", None),
     ("allowPrivilegeEscalation != false",
      'container "container1" must set securityContext.allowPrivilegeEscalation=false')),
    ("ape true both", "restricted", "latest", _both(_ctx("allowPrivilegeEscalation", True),
                                                    _ctx("allowPrivilegeEscalation", True, "initcontainer1")),
     ("allowPrivilegeEscalation != false",
      'containers "initcontainer1", "container1" must set securityContext.allowPrivilegeEscalation=false')),
    ("ape windows 1.25", "restricted", "v1.25", _both(WINDOWS, _ctx("allowPrivilegeEscalation", True)), None),
    ("all windows exemptions 1.25", "restricted", "v1.25", _both(
        WINDOWS, _both(NO_HARDENING, _set("securityContext.seccompProfile", None))), None),
    # runAsNonRoot: from 1.0, user namespaces exempt from 1.35
    ("nonroot unset", "restricted", "v1.0", _set("securityContext.runAsNonRoot", None),
     ("runAsNonRoot != true",
      'pod or containers "initcontainer1", "container1" must set securityContext.runAsNonRoot=true')),
    ("nonroot per container", "restricted", "latest", _both(
        _set("securityContext.runAsNonRoot", None),
        _both(_ctx("runAsNonRoot", True), _ctx("runAsNonRoot", True, "initcontainer1"))), None),
    ("nonroot explicit false", "restricted", "latest", _both(
        _set("securityContext.runAsNonRoot", False), _ctx("runAsNonRoot", False)),
     ("runAsNonRoot != true", 'pod and container "container1" must not set securityContext.runAsNonRoot=false')),
    ("nonroot userns 1.34", "restricted", "v1.34", _both(USERNS, _set("securityContext.runAsNonRoot", False)),
     ("runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false")),
    ("nonroot userns 1.35", "restricted", "v1.35", _both(USERNS, _set("securityContext.runAsNonRoot", False)), None),
    ("nonroot hostUsers true", "restricted", "latest", _both(
        _set("hostUsers", True), _set("securityContext.runAsNonRoot", False)),
     ("runAsNonRoot != true", "pod must not set securityContext.runAsNonRoot=false")),
    # runAsUser: from 1.23, user namespaces exempt from 1.35
    ("uid0 1.22", "restricted", "v1.22", _set("securityContext.runAsUser", 0), None),
    ("uid0 1.23", "restricted", "v1.23", _both(_set("securityContext.runAsUser", 0), _ctx("runAsUser", 0)),
     ("runAsUser=0", 'pod and container "container1" must not set runAsUser=0')),
    ("uid nonzero", "restricted", "latest", _ctx("runAsUser", 1000), None),
    ("uid0 userns 1.34", "restricted", "v1.34", _both(USERNS, _ctx("runAsUser", 0)),
     ("runAsUser=0", 'container "container1" must not set runAsUser=0')),
    ("uid0 userns 1.35", "restricted", "v1.35", _both(USERNS, _ctx("runAsUser", 0)), None),
]

ANNOTATIONS = {
    "apparmor annotation ok": {"container.apparmor.security.beta.kubernetes.io/container1": "localhost/p",
                               "container.apparmor.security.beta.kubernetes.io/initcontainer1": "runtime/default"},
    "seccomp annotation 1.18": {"seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
                                "container.seccomp.security.alpha.kubernetes.io/container1": "localhost/x"},
}


@pytest.mark.parametrize("name,level,version,tweak,expected", CASES, ids=[c[0] for c in CASES])
def test_single_change_from_restricted_pod(name, level, version, tweak, expected):
    spec = restricted_pod()
    if tweak:
        tweak(spec)
    violations = evaluate_pod({"annotations": ANNOTATIONS.get(name, {})}, spec, level, version)
    got = [(v.reason, v.detail) for v in violations]
    assert got == ([expected] if expected else [])
