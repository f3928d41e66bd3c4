"""procMount (baseline, v1.0+; v1.35 relaxed for user namespaces): /proc must stay masked.

``securityContext.procMount`` of every container must be unset or
``Default``; ``Unmasked`` exposes the host's /proc paths.  From policy v1.35,
baseline allows any value when the pod runs in a user namespace
(``spec.hostUsers: false``).  Restricted replaces this check from v1.35 with
procMount_restricted, which keeps the unconditional rule.

Example that fails::

    securityContext:
      procMount: Unmasked

API server: ``procMount (container "app" must not set securityContext.procMount to "Unmasked")``.
Fix: remove ``procMount``, or (baseline, v1.35+) set ``hostUsers: false``.
"""
from __future__ import annotations

from .fields import (
    containers,
    join_quote,
    name_of,
    pluralize,
    relaxed_for_user_namespace,
    security_context,
    sorted_set,
    str_or_none,
)
from .model import ALLOWED, Check, CheckResult, VersionedCheck

ID = "procMount"


def proc_mount_v1_0(metadata: dict, spec: dict) -> CheckResult:
    """Unconditional: only unset or ``Default``."""
    bad: list[str] = []
    kinds: list[str] = []
    for c in containers(spec):
        kind = str_or_none((security_context(c) or {}).get("procMount"))
        if kind is not None and kind != "Default":
            bad.append(name_of(c))
            kinds.append(kind)
    if not bad:
        return ALLOWED
    detail = (f"{pluralize('container', 'containers', len(bad))} {join_quote(bad)} must not set "
              f"securityContext.procMount to {join_quote(sorted_set(kinds))}")
    return CheckResult(False, "procMount", detail, tuple(bad))


def proc_mount_v1_35_baseline(metadata: dict, spec: dict) -> CheckResult:
    if relaxed_for_user_namespace(spec):
        return ALLOWED
    return proc_mount_v1_0(metadata, spec)


CHECK = Check(ID, "baseline", (
    VersionedCheck((1, 0), proc_mount_v1_0),
    VersionedCheck((1, 35), proc_mount_v1_35_baseline),
), __doc__)
