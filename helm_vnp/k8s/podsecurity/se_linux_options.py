"""seLinuxOptions (baseline, v1.0+; v1.31 widened): custom SELinux labels are forbidden.

``seLinuxOptions.type`` (pod and every container) must be empty or one of
``container_t``, ``container_init_t``, ``container_kvm_t`` — and, from policy
v1.31, ``container_engine_t``; ``seLinuxOptions.user`` and ``.role`` must be
empty.

Example that fails::

    securityContext:
      seLinuxOptions: {type: spc_t}

API server: ``seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t")``.
Fix: remove ``seLinuxOptions`` (the runtime assigns ``container_t``) or keep
only ``level``.
"""
from __future__ import annotations

from .fields import (
    as_str,
    containers,
    get_map,
    join_quote,
    name_of,
    pluralize,
    security_context,
    setters_phrase,
    sorted_set,
)
from .model import ALLOWED, Check, CheckResult, VersionedCheck

TYPES_V1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
TYPES_V1_31 = TYPES_V1_0 | {"container_engine_t"}


def _evaluate(spec: dict, allowed_types: frozenset) -> CheckResult:
    bad_types: list[str] = []
    flags = {"user": False, "role": False}

    def invalid(context: dict | None) -> bool:
        options = get_map(context, "seLinuxOptions")
        if options is None:
            return False
        bad = False
        kind = as_str(options.get("type"))
        if kind not in allowed_types:
            bad_types.append(kind)
            bad = True
        for key in flags:
            if as_str(options.get(key)):
                flags[key] = True
                bad = True
        return bad

    pod_bad = invalid(get_map(spec, "securityContext"))
    bad_containers = [name_of(c) for c in containers(spec) if invalid(security_context(c))]
    setters = setters_phrase(pod_bad, bad_containers)
    if not setters:
        return ALLOWED
    data = []
    types = sorted_set(bad_types)
    if types:
        data.append(f"{pluralize('type', 'types', len(types))} {join_quote(types)}")
    data += [f"{key} may not be set" for key, was_set in flags.items() if was_set]
    detail = f"{' and '.join(setters)} set forbidden securityContext.seLinuxOptions: {'; '.join(data)}"
    return CheckResult(False, "seLinuxOptions", detail, tuple(bad_containers))


def se_linux_options_v1_0(metadata: dict, spec: dict) -> CheckResult:
    return _evaluate(spec, TYPES_V1_0)


def se_linux_options_v1_31(metadata: dict, spec: dict) -> CheckResult:
    return _evaluate(spec, TYPES_V1_31)


CHECK = Check("seLinuxOptions", "baseline", (
    VersionedCheck((1, 0), se_linux_options_v1_0),
    VersionedCheck((1, 31), se_linux_options_v1_31),
), __doc__)
