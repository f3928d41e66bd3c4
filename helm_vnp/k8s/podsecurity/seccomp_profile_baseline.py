"""seccompProfile_baseline (baseline, v1.0+; fields from v1.19): seccomp may not be disabled.

From policy v1.19: ``securityContext.seccompProfile.type`` (pod and every
container) must be unset, ``RuntimeDefault`` or ``Localhost``.  Before v1.19
the alpha annotations ``seccomp.security.alpha.kubernetes.io/pod`` and
``container.seccomp.security.alpha.kubernetes.io/<container>`` must be
``runtime/default``, ``docker/default`` or ``localhost/<profile>`` if present.
Restricted replaces this check with seccompProfile_restricted from v1.19.

Example that fails::

    securityContext:
      seccompProfile: {type: Unconfined}

API server: ``seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")``.
Fix: remove the profile or use ``RuntimeDefault``.
"""
from __future__ import annotations

from .fields import (
    as_map,
    as_str,
    containers,
    get_map,
    go_quote,
    join_quote,
    name_of,
    pluralize,
    security_context,
    setters_phrase,
    sorted_set,
)
from .model import ALLOWED, Check, CheckResult, VersionedCheck

POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
VALID_TYPES = ("RuntimeDefault", "Localhost")


def valid_annotation(value: str) -> bool:
    return value in ("runtime/default", "docker/default") or value.startswith("localhost/")


def seccomp_profile_baseline_v1_0(metadata: dict, spec: dict) -> CheckResult:
    annotations = {as_str(k): as_str(v) for k, v in as_map(as_map(metadata).get("annotations")).items()}
    forbidden = []
    bad_containers = []
    if POD_ANNOTATION in annotations and not valid_annotation(annotations[POD_ANNOTATION]):
        forbidden.append(f"{POD_ANNOTATION}={go_quote(annotations[POD_ANNOTATION])}")
    for c in containers(spec):
        key = CONTAINER_ANNOTATION_PREFIX + name_of(c)
        if key in annotations and not valid_annotation(annotations[key]):
            forbidden.append(f"{key}={go_quote(annotations[key])}")
            bad_containers.append(name_of(c))
    if not forbidden:
        return ALLOWED
    unique = sorted_set(forbidden)
    detail = f"forbidden {pluralize('annotation', 'annotations', len(unique))} {', '.join(unique)}"
    return CheckResult(False, "seccompProfile", detail, tuple(bad_containers))


def bad_seccomp_type(context: dict | None) -> str | None:
    """The profile type if ``context`` sets one that is not allowed, else None."""
    profile = get_map(context, "seccompProfile")
    if profile is None:
        return None
    kind = as_str(profile.get("type"))
    return None if kind in VALID_TYPES else kind


def explicit_violation(spec: dict) -> tuple[bool, list[str], list[str]]:
    """(pod sets a bad type, containers setting a bad type, the bad types)."""
    values = []
    pod_value = bad_seccomp_type(get_map(spec, "securityContext"))
    if pod_value is not None:
        values.append(pod_value)
    bad_containers = []
    for c in containers(spec):
        value = bad_seccomp_type(security_context(c))
        if value is not None:
            bad_containers.append(name_of(c))
            values.append(value)
    return pod_value is not None, bad_containers, values


def explicit_result(pod_bad: bool, bad_containers: list[str], values: list[str]) -> CheckResult:
    setters = setters_phrase(pod_bad, bad_containers)
    detail = (f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to "
              f"{join_quote(sorted_set(values))}")
    return CheckResult(False, "seccompProfile", detail, tuple(bad_containers))


def seccomp_profile_baseline_v1_19(metadata: dict, spec: dict) -> CheckResult:
    pod_bad, bad_containers, values = explicit_violation(spec)
    if not pod_bad and not bad_containers:
        return ALLOWED
    return explicit_result(pod_bad, bad_containers, values)


ID = "seccompProfile_baseline"
CHECK = Check(ID, "baseline", (
    VersionedCheck((1, 0), seccomp_profile_baseline_v1_0),
    VersionedCheck((1, 19), seccomp_profile_baseline_v1_19),
), __doc__)
