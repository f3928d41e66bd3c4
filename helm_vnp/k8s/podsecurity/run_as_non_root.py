"""runAsNonRoot (restricted, v1.0+; user namespaces exempt from v1.35): containers must not run as root.

``runAsNonRoot: true`` must be set on the pod's ``securityContext`` or on
every container's, and no container may set it to false.  From policy v1.35 a
pod with ``spec.hostUsers: false`` (a user namespace, where root is not the
node's root) is exempt.

Example that fails::

    containers:
    - name: app

API server: ``runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)``.
Fix::

    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001   # if the image's user is root or numeric-less
"""
from __future__ import annotations

from .fields import (
    as_bool,
    containers,
    get_map,
    join_quote,
    name_of,
    pluralize,
    relaxed_for_user_namespace,
    security_context,
    setters_phrase,
)
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def run_as_non_root_v1_0(metadata: dict, spec: dict) -> CheckResult:
    pod_value = as_bool((get_map(spec, "securityContext") or {}).get("runAsNonRoot"))
    explicit_bad: list[str] = []
    implicit_bad: list[str] = []
    for c in containers(spec):
        value = as_bool((security_context(c) or {}).get("runAsNonRoot"))
        if value is False:
            explicit_bad.append(name_of(c))
        elif value is None and pod_value is not True:
            implicit_bad.append(name_of(c))
    setters = setters_phrase(pod_value is False, explicit_bad)
    if setters:
        detail = f"{' and '.join(setters)} must not set securityContext.runAsNonRoot=false"
        return CheckResult(False, "runAsNonRoot != true", detail, tuple(explicit_bad))
    if implicit_bad:
        detail = (f"pod or {pluralize('container', 'containers', len(implicit_bad))} {join_quote(implicit_bad)} "
                  "must set securityContext.runAsNonRoot=true")
        return CheckResult(False, "runAsNonRoot != true", detail, tuple(implicit_bad))
    return ALLOWED


def run_as_non_root_v1_35(metadata: dict, spec: dict) -> CheckResult:
    if relaxed_for_user_namespace(spec):
        return ALLOWED
    return run_as_non_root_v1_0(metadata, spec)


CHECK = Check("runAsNonRoot", "restricted", (
    VersionedCheck((1, 0), run_as_non_root_v1_0),
    VersionedCheck((1, 35), run_as_non_root_v1_35),
), __doc__)
