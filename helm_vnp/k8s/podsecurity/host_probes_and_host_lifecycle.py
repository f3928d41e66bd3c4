"""hostProbesAndHostLifecycle (baseline, v1.34+): probes and lifecycle hooks may not name a host.

``httpGet.host`` and ``tcpSocket.host`` of ``livenessProbe``,
``readinessProbe``, ``startupProbe`` and ``lifecycle.postStart``/``preStop``
must be empty in every container: the kubelet would otherwise connect to an
arbitrary address (the node's own services included) on the pod's behalf.

Example that fails::

    livenessProbe:
      httpGet: {host: 10.0.0.1, path: /healthz, port: 8080}

API server: ``probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1")``.
Fix: remove ``host``; the kubelet then probes the pod's own IP.
"""
from __future__ import annotations

from .fields import as_str, containers, get_map, join_quote, name_of, pluralize, sorted_set
from .model import ALLOWED, Check, CheckResult, VersionedCheck

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


def _hosts(handler: dict | None) -> list[str]:
    found = []
    for action in ("httpGet", "tcpSocket"):
        host = as_str((get_map(handler, action) or {}).get("host"))
        if host:
            found.append(host)
    return found


def host_probes_and_host_lifecycle_v1_34(metadata: dict, spec: dict) -> CheckResult:
    bad: list[str] = []
    hosts: list[str] = []
    for c in containers(spec):
        lifecycle = get_map(c, "lifecycle")
        found = [h for key in _PROBES for h in _hosts(get_map(c, key))]
        found += [h for key in _HOOKS for h in _hosts(get_map(lifecycle, key))]
        if found:
            bad.append(name_of(c))
            hosts.extend(found)
    if not bad:
        return ALLOWED
    names, unique = sorted_set(bad), sorted_set(hosts)
    detail = (f"{pluralize('container', 'containers', len(names))} {join_quote(names)} "
              f"{pluralize('uses', 'use', len(names))} "
              f"{pluralize('probe or lifecycle host', 'probe or lifecycle hosts', len(unique))} {join_quote(unique)}")
    return CheckResult(False, "probe or lifecycle host", detail, tuple(names))


CHECK = Check("hostProbesAndHostLifecycle", "baseline", (
    VersionedCheck((1, 34), host_probes_and_host_lifecycle_v1_34),
), __doc__)
