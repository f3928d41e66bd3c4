"""runAsUser (restricted, v1.23+; user namespaces exempt from v1.35): no explicit UID 0.

Neither the pod nor any container may set ``securityContext.runAsUser: 0``
(unset is fine; runAsNonRoot covers the image's default user).  From policy
v1.35 a pod with ``spec.hostUsers: false`` is exempt.

Example that fails::

    securityContext:
      runAsUser: 0

API server: ``runAsUser=0 (pod must not set runAsUser=0)``.
Fix: run as a non-zero UID, e.g. ``runAsUser: 10001``.
"""
from __future__ import annotations

from .fields import as_int, containers, get_map, name_of, relaxed_for_user_namespace, security_context, setters_phrase
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def _is_root(context: dict | None) -> bool:
    return as_int((context or {}).get("runAsUser")) == 0


def run_as_user_v1_23(metadata: dict, spec: dict) -> CheckResult:
    bad = [name_of(c) for c in containers(spec) if _is_root(security_context(c))]
    setters = setters_phrase(_is_root(get_map(spec, "securityContext")), bad)
    if not setters:
        return ALLOWED
    return CheckResult(False, "runAsUser=0", f"{' and '.join(setters)} must not set runAsUser=0", tuple(bad))


def run_as_user_v1_35(metadata: dict, spec: dict) -> CheckResult:
    if relaxed_for_user_namespace(spec):
        return ALLOWED
    return run_as_user_v1_23(metadata, spec)


CHECK = Check("runAsUser", "restricted", (
    VersionedCheck((1, 23), run_as_user_v1_23),
    VersionedCheck((1, 35), run_as_user_v1_35),
), __doc__)
