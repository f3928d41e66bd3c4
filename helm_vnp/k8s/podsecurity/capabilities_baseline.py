"""capabilities_baseline (baseline, v1.0+): only the default capabilities may be added.

``securityContext.capabilities.add`` may list only AUDIT_WRITE, CHOWN,
DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID,
SETPCAP, SETUID and SYS_CHROOT (the container runtime's default set; NET_RAW is
not in it).  Restricted replaces this check with capabilities_restricted.

Example that fails::

    securityContext:
      capabilities: {add: [NET_ADMIN]}

API server:
``non-default capabilities (container "app" must not include "NET_ADMIN" in securityContext.capabilities.add)``.
Fix: remove the capability, or run the workload in a namespace with the
privileged level.
"""
from __future__ import annotations

from .fields import as_list, as_str, containers, get_map, join_quote, name_of, pluralize, security_context, sorted_set
from .model import ALLOWED, Check, CheckResult, VersionedCheck

ALLOWED_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})


def capabilities_baseline_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad: list[str] = []
    added: list[str] = []
    for c in containers(spec):
        caps = get_map(security_context(c), "capabilities")
        extra = [as_str(cap) for cap in as_list((caps or {}).get("add")) if as_str(cap) not in ALLOWED_CAPABILITIES]
        if extra:
            bad.append(name_of(c))
            added.extend(extra)
    if not bad:
        return ALLOWED
    detail = (f"{pluralize('container', 'containers', len(bad))} {join_quote(bad)} must not include "
              f"{join_quote(sorted_set(added))} in securityContext.capabilities.add")
    return CheckResult(False, "non-default capabilities", detail, tuple(bad))


CHECK = Check("capabilities_baseline", "baseline", (VersionedCheck((1, 0), capabilities_baseline_v1_0),), __doc__)
