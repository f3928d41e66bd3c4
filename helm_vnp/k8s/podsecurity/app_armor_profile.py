"""appArmorProfile (baseline, v1.0+): AppArmor may not be disabled or overridden.

``securityContext.appArmorProfile.type`` (pod and every container) must be
``RuntimeDefault`` or ``Localhost``; the deprecated annotations
``container.apparmor.security.beta.kubernetes.io/<container>`` must be empty,
``runtime/default`` or ``localhost/<profile>``.  Upstream patched the field
check into its only (v1.0) implementation, so it applies at every pinned
version.

Example that fails::

    securityContext:
      appArmorProfile: {type: Unconfined}

API server: ``forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")``.
Fix: remove the profile (the runtime default applies) or use ``RuntimeDefault``.
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

ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
_ALLOWED_TYPES = ("RuntimeDefault", "Localhost")


def _bad_type(context: dict | None) -> str | None:
    profile = get_map(context, "appArmorProfile")
    if profile is None:
        return None
    kind = as_str(profile.get("type"))
    return None if kind in _ALLOWED_TYPES else kind


def _allowed_annotation(value: str) -> bool:
    return value == "" or value == "runtime/default" or value.startswith("localhost/")


def app_armor_profile_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad_values: list[str] = []
    pod_value = _bad_type(get_map(spec, "securityContext"))
    if pod_value is not None:
        bad_values.append(pod_value)
    bad_containers = []
    for c in containers(spec):
        value = _bad_type(security_context(c))
        if value is not None:
            bad_containers.append(name_of(c))
            bad_values.append(value)
    setters = setters_phrase(pod_value is not None, bad_containers)
    annotations = sorted(
        f"{key}={go_quote(value)}"
        for key, value in ((as_str(k), as_str(v)) for k, v in as_map(as_map(metadata).get("annotations")).items())
        if key.startswith(ANNOTATION_PREFIX) and not _allowed_annotation(value)
    )
    values = sorted_set(bad_values) + annotations
    if annotations:
        setters.append(pluralize("annotation", "annotations", len(annotations)))
    if not setters:
        return ALLOWED
    return CheckResult(
        False,
        pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", len(values)),
        f"{' and '.join(setters)} must not set AppArmor profile type to {join_quote(values)}",
        tuple(bad_containers),
    )


CHECK = Check("appArmorProfile", "baseline", (VersionedCheck((1, 0), app_armor_profile_v1_0),), __doc__)
