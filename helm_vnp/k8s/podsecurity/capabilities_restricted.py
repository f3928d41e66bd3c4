"""capabilities_restricted (restricted, v1.22+; Windows exempt from v1.25): drop ALL, add at most NET_BIND_SERVICE.

Every container must set ``securityContext.capabilities.drop`` including
``ALL`` and may add back only ``NET_BIND_SERVICE``.  From v1.25 pods with
``spec.os.name: windows`` are exempt.  Replaces capabilities_baseline.

Example that fails::

    containers:
    - name: app

API server: ``unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])``.
Fix::

    securityContext:
      capabilities: {drop: [ALL]}
"""
from __future__ import annotations

from . import capabilities_baseline
from .fields import (
    as_list,
    as_str,
    containers,
    get_map,
    is_windows,
    join_quote,
    name_of,
    pluralize,
    security_context,
    sorted_set,
)
from .model import ALLOWED, Check, CheckResult, VersionedCheck

_OVERRIDES = (capabilities_baseline.CHECK.id,)


def capabilities_restricted_v1_22(metadata: dict, spec: dict) -> CheckResult:
    missing_drop: list[str] = []
    adding: list[str] = []
    forbidden: list[str] = []
    for c in containers(spec):
        caps = get_map(security_context(c), "capabilities")
        if caps is None:
            missing_drop.append(name_of(c))
            continue
        if "ALL" not in [as_str(x) for x in as_list(caps.get("drop"))]:
            missing_drop.append(name_of(c))
        extra = [as_str(x) for x in as_list(caps.get("add")) if as_str(x) != "NET_BIND_SERVICE"]
        if extra:
            adding.append(name_of(c))
            forbidden.extend(extra)
    details = []
    if missing_drop:
        details.append(f"{pluralize('container', 'containers', len(missing_drop))} {join_quote(missing_drop)} "
                       'must set securityContext.capabilities.drop=["ALL"]')
    if adding:
        details.append(f"{pluralize('container', 'containers', len(adding))} {join_quote(adding)} must not include "
                       f"{join_quote(sorted_set(forbidden))} in securityContext.capabilities.add")
    if not details:
        return ALLOWED
    offenders = tuple(dict.fromkeys(missing_drop + adding))
    return CheckResult(False, "unrestricted capabilities", "; ".join(details), offenders)


def capabilities_restricted_v1_25(metadata: dict, spec: dict) -> CheckResult:
    if is_windows(spec):
        return ALLOWED
    return capabilities_restricted_v1_22(metadata, spec)


CHECK = Check("capabilities_restricted", "restricted", (
    VersionedCheck((1, 22), capabilities_restricted_v1_22, overrides=_OVERRIDES),
    VersionedCheck((1, 25), capabilities_restricted_v1_25, overrides=_OVERRIDES),
), __doc__)
