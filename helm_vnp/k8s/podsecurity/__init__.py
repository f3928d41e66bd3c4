"""Pod Security Standards, evaluated exactly as the API server's PodSecurity admission.

Every check of upstream's pod-security-admission library is one module here
(its docstring is the rule's documentation); ``CHECKS`` lists them
explicitly.  ``evaluate_pod`` picks, per check, the implementation in force at
the requested policy version (as ``pod-security.kubernetes.io/enforce-version``
does), composes restricted = baseline minus overridden checks plus restricted
checks, and reports violations in upstream's order: baseline check IDs sorted,
then restricted check IDs sorted.  ``forbidden_message`` renders the API
server's rejection text.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.base.record import record

from . import (
    allow_privilege_escalation,
    app_armor_profile,
    capabilities_baseline,
    capabilities_restricted,
    host_namespaces,
    host_path_volumes,
    host_ports,
    host_probes_and_host_lifecycle,
    privileged,
    proc_mount,
    proc_mount_restricted,
    restricted_volumes,
    run_as_non_root,
    run_as_user,
    se_linux_options,
    seccomp_profile_baseline,
    seccomp_profile_restricted,
    sysctls,
    windows_host_process,
)
from .fields import as_map, go_quote
from .model import Check, CheckResult, Version, VersionedCheck
from .versions import NEWEST, format_version, parse_version

__all__ = ["CHECKS", "LEVELS", "Check", "CheckResult", "VersionedCheck", "Violation",
           "evaluate_pod", "forbidden_message", "parse_version", "warning_message"]

LEVELS = ("privileged", "baseline", "restricted")
UNKNOWN_REASON = "unknown forbidden reason"

_MODULES = (
    allow_privilege_escalation, app_armor_profile, capabilities_baseline, capabilities_restricted,
    host_namespaces, host_path_volumes, host_ports, host_probes_and_host_lifecycle, privileged,
    proc_mount, proc_mount_restricted, restricted_volumes, run_as_non_root, run_as_user,
    se_linux_options, seccomp_profile_baseline, seccomp_profile_restricted, sysctls, windows_host_process,
)

# Upstream evaluation order: baseline IDs sorted, then restricted IDs sorted (byte order).
CHECKS: list[Check] = sorted((m.CHECK for m in _MODULES), key=lambda c: (c.level != "baseline", c.id))


@record(frozen=True)
class Violation:
    """One failed check, with the API server's reason and detail text."""

    check_id: str
    level: str
    reason: str
    detail: str
    containers: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``reason (detail)``, or the reason alone: how the API server lists one violation."""
        return f"{self.reason} ({self.detail})" if self.detail else self.reason


def _checks_in_force(level: str, version: Version) -> list[tuple[Check, VersionedCheck]]:
    chosen = [(c, v) for c in CHECKS if (v := c.for_version(version)) is not None]
    if level == "baseline":
        return [(c, v) for c, v in chosen if c.level == "baseline"]
    overridden = {o for c, v in chosen if c.level == "restricted" for o in v.overrides}
    return [(c, v) for c, v in chosen if c.id not in overridden]


def evaluate_pod(metadata: dict, spec: dict, level: str, version: str = "latest") -> list[Violation]:
    """The violations of ``level`` at policy ``version`` for a pod, in upstream's order.

    ``metadata``/``spec`` are the pod's (or pod template's) ``metadata`` and
    ``spec`` as loaded from YAML; malformed parts never raise (see ``fields``).
    Raises ValueError for an unknown level or an invalid version.
    """
    if level not in LEVELS:
        raise ValueError(f"invalid Pod Security level {level!r}: expected one of {', '.join(LEVELS)}")
    resolved = parse_version(version) or NEWEST
    if level == "privileged":
        return []
    metadata, spec = as_map(metadata), as_map(spec)
    violations = []
    for check, versioned in _checks_in_force(level, resolved):
        result = versioned.check_pod(metadata, spec)
        if not result.allowed:
            violations.append(Violation(check.id, check.level, result.forbidden_reason or UNKNOWN_REASON,
                                        result.forbidden_detail, result.containers))
    return violations


def forbidden_message(name: str, level: str, version: str, violations: Iterable[Violation]) -> str:
    """The API server's rejection, e.g. ``pods "web" is forbidden: violates PodSecurity "restricted:latest": …``.

    ``version`` is echoed as given after validation (``latest`` or ``v1.N``);
    a pod without a name (generateName) reads ``pods is forbidden: …``.
    """
    policy = f"{level}:{format_version(parse_version(version))}"
    subject = f"pods {go_quote(name)}" if name else "pods"
    return f"{subject} is forbidden: violates PodSecurity {go_quote(policy)}: {_listed(violations)}"


def warning_message(level: str, version: str, violations: Iterable[Violation]) -> str:
    """The API server's warning for a workload, e.g. ``would violate PodSecurity "restricted:latest": …``
    (``version`` as configured)."""
    return f"would violate PodSecurity {go_quote(f'{level}:{version}')}: {_listed(violations)}"


def _listed(violations: Iterable[Violation]) -> str:
    return ", ".join(v.text for v in violations)
