"""allowPrivilegeEscalation (restricted, v1.8+; Windows exempt from v1.25): no setuid escalation.

Every container must set ``securityContext.allowPrivilegeEscalation: false``
explicitly (unset means allowed by the runtime).  From v1.25 pods with
``spec.os.name: windows`` are exempt.

Example that fails::

    containers:
    - name: app

API server:
``allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)``.
Fix::

    securityContext:
      allowPrivilegeEscalation: false
"""
from __future__ import annotations

from .fields import as_bool, containers, is_windows, join_quote, name_of, pluralize, security_context
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def allow_privilege_escalation_v1_8(metadata: dict, spec: dict) -> CheckResult:
    bad = [name_of(c) for c in containers(spec)
           if as_bool((security_context(c) or {}).get("allowPrivilegeEscalation")) is not False]
    if not bad:
        return ALLOWED
    detail = (f"{pluralize('container', 'containers', len(bad))} {join_quote(bad)} must set "
              "securityContext.allowPrivilegeEscalation=false")
    return CheckResult(False, "allowPrivilegeEscalation != false", detail, tuple(bad))


def allow_privilege_escalation_v1_25(metadata: dict, spec: dict) -> CheckResult:
    if is_windows(spec):
        return ALLOWED
    return allow_privilege_escalation_v1_8(metadata, spec)


CHECK = Check("allowPrivilegeEscalation", "restricted", (
    VersionedCheck((1, 8), allow_privilege_escalation_v1_8),
    VersionedCheck((1, 25), allow_privilege_escalation_v1_25),
), __doc__)
