"""windowsHostProcess (baseline, v1.0+): Windows HostProcess containers are forbidden.

``securityContext.windowsOptions.hostProcess`` (pod and every container) must
be unset or false; a HostProcess container runs directly on the Windows host.

Example that fails::

    securityContext:
      windowsOptions: {hostProcess: true}

API server: ``hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)``.
Fix: remove ``hostProcess``.
"""
from __future__ import annotations

from .fields import containers, get_map, is_true, name_of, security_context, setters_phrase
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def _host_process(context: dict | None) -> bool:
    return is_true((get_map(context, "windowsOptions") or {}).get("hostProcess"))


def windows_host_process_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad = [name_of(c) for c in containers(spec) if _host_process(security_context(c))]
    setters = setters_phrase(_host_process(get_map(spec, "securityContext")), bad)
    if not setters:
        return ALLOWED
    detail = f"{' and '.join(setters)} must not set securityContext.windowsOptions.hostProcess=true"
    return CheckResult(False, "hostProcess", detail, tuple(bad))


CHECK = Check("windowsHostProcess", "baseline", (VersionedCheck((1, 0), windows_host_process_v1_0),), __doc__)
