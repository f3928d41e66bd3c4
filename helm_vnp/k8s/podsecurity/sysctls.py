"""sysctls (baseline, v1.0+; list grown at v1.27, v1.29, v1.32, v1.37): only safe sysctls.

``spec.securityContext.sysctls[*].name`` must be in the safe set, namespaced
per pod and isolated from the node:

* v1.0: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
  net.ipv4.tcp_syncookies, net.ipv4.ping_group_range,
  net.ipv4.ip_unprivileged_port_start
* v1.27: + net.ipv4.ip_local_reserved_ports
* v1.29: + net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout,
  net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes
* v1.32: + net.ipv4.tcp_rmem, net.ipv4.tcp_wmem
* v1.37: + net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat

Example that fails::

    securityContext:
      sysctls: [{name: net.core.somaxconn, value: "1024"}]

API server: ``forbidden sysctls (net.core.somaxconn)``.
Fix: drop the sysctl, or set it on the node.
"""
from __future__ import annotations

from .fields import as_list, as_str, get_map
from .model import ALLOWED, Check, CheckResult, VersionedCheck

SAFE_V1_0 = frozenset({
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
})
SAFE_V1_27 = SAFE_V1_0 | {"net.ipv4.ip_local_reserved_ports"}
SAFE_V1_29 = SAFE_V1_27 | {
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
}
SAFE_V1_32 = SAFE_V1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
SAFE_V1_37 = SAFE_V1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _checker(safe: frozenset):
    def check(metadata: dict, spec: dict) -> CheckResult:
        names = [as_str(s.get("name")) for s in as_list((get_map(spec, "securityContext") or {}).get("sysctls"))
                 if isinstance(s, dict)]
        forbidden = [name for name in names if name not in safe]
        if not forbidden:
            return ALLOWED
        return CheckResult(False, "forbidden sysctls", ", ".join(forbidden))
    return check


sysctls_v1_0 = _checker(SAFE_V1_0)
sysctls_v1_27 = _checker(SAFE_V1_27)
sysctls_v1_29 = _checker(SAFE_V1_29)
sysctls_v1_32 = _checker(SAFE_V1_32)
sysctls_v1_37 = _checker(SAFE_V1_37)

CHECK = Check("sysctls", "baseline", (
    VersionedCheck((1, 0), sysctls_v1_0),
    VersionedCheck((1, 27), sysctls_v1_27),
    VersionedCheck((1, 29), sysctls_v1_29),
    VersionedCheck((1, 32), sysctls_v1_32),
    VersionedCheck((1, 37), sysctls_v1_37),
), __doc__)
