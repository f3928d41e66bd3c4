"""seccompProfile_restricted (restricted, v1.19+; Windows exempt from v1.25): a seccomp profile is required.

Every container must run under ``RuntimeDefault`` or ``Localhost`` seccomp:
set ``spec.securityContext.seccompProfile.type`` once for the pod, or on each
container.  No value may be ``Unconfined``.  From v1.25 pods with
``spec.os.name: windows`` are exempt.  Replaces seccompProfile_baseline.

Example that fails::

    containers:
    - name: app          # no seccompProfile anywhere

API server::

    seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")

Fix::

    spec:
      securityContext:
        seccompProfile: {type: RuntimeDefault}
"""
from __future__ import annotations

from . import seccomp_profile_baseline as baseline
from .fields import containers, get_map, is_windows, join_quote, name_of, pluralize, security_context
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def seccomp_profile_restricted_v1_19(metadata: dict, spec: dict) -> CheckResult:
    pod_bad, bad_containers, values = baseline.explicit_violation(spec)
    if pod_bad or bad_containers:
        return baseline.explicit_result(pod_bad, bad_containers, values)
    if get_map(get_map(spec, "securityContext"), "seccompProfile") is not None:
        return ALLOWED  # a valid pod-level profile covers every container that sets none
    unset = [name_of(c) for c in containers(spec) if get_map(security_context(c), "seccompProfile") is None]
    if not unset:
        return ALLOWED
    detail = (f"pod or {pluralize('container', 'containers', len(unset))} {join_quote(unset)} must set "
              'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"')
    return CheckResult(False, "seccompProfile", detail, tuple(unset))


def seccomp_profile_restricted_v1_25(metadata: dict, spec: dict) -> CheckResult:
    if is_windows(spec):
        return ALLOWED
    return seccomp_profile_restricted_v1_19(metadata, spec)


CHECK = Check("seccompProfile_restricted", "restricted", (
    VersionedCheck((1, 19), seccomp_profile_restricted_v1_19, overrides=(baseline.ID,)),
    VersionedCheck((1, 25), seccomp_profile_restricted_v1_25, overrides=(baseline.ID,)),
), __doc__)
