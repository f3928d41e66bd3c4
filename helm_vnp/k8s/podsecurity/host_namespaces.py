"""hostNamespaces (baseline, v1.0+): sharing the host's namespaces is forbidden.

``spec.hostNetwork``, ``spec.hostPID`` and ``spec.hostIPC`` must be unset or
false: a pod in the node's network, PID or IPC namespace can see and reach
everything else on the node.

Example that fails::

    spec:
      hostNetwork: true

API server: ``host namespaces (hostNetwork=true)``.
Fix: remove the field (or set it to false); expose the workload through a
Service instead of the node's network.
"""
from __future__ import annotations

from .fields import as_map, is_true
from .model import ALLOWED, Check, CheckResult, VersionedCheck

_FIELDS = ("hostNetwork", "hostPID", "hostIPC")


def host_namespaces_v1_0(metadata: dict, spec: dict) -> CheckResult:
    spec = as_map(spec)
    shared = [f"{key}=true" for key in _FIELDS if is_true(spec.get(key))]  # upstream's fixed order
    if not shared:
        return ALLOWED
    return CheckResult(False, "host namespaces", ", ".join(shared))


CHECK = Check("hostNamespaces", "baseline", (VersionedCheck((1, 0), host_namespaces_v1_0),), __doc__)
