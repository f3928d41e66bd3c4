"""hostPorts (baseline, v1.0+): host ports are forbidden.

``ports[*].hostPort`` of every container, init container and ephemeral
container must be unset or 0; a host port binds the node's own address.

The API server defaults ``hostPort`` to ``containerPort`` for the containers
and init containers of a ``hostNetwork: true`` Pod before admission, so such a
pod also fails this check (next to hostNamespaces); this module applies the
same default.

Example that fails::

    ports:
    - containerPort: 8080
      hostPort: 8080

API server: ``hostPort (container "app" uses hostPort 8080)``.
Fix: remove ``hostPort`` and reach the pod through a Service (NodePort or
LoadBalancer if it must be reachable from outside).
"""
from __future__ import annotations

from .fields import as_int, as_list, as_map, containers, is_true, join_quote, name_of, pluralize, sorted_set
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def _host_ports(container: dict, host_network: bool) -> list[int]:
    found = []
    for port in as_list(container.get("ports")):
        if not isinstance(port, dict):
            continue
        host_port = as_int(port.get("hostPort")) or 0
        if host_port == 0 and host_network:
            host_port = as_int(port.get("containerPort")) or 0
        if host_port != 0:
            found.append(host_port)
    return found


def host_ports_v1_0(metadata: dict, spec: dict) -> CheckResult:
    # the API defaults hostPort for containers and init containers only, not ephemeral ones
    defaulted = ({id(c) for c in containers(spec, ephemeral=False)}
                 if is_true(as_map(spec).get("hostNetwork")) else set())
    bad: list[str] = []
    ports: list[str] = []
    for c in containers(spec):
        found = _host_ports(c, id(c) in defaulted)
        if found:
            bad.append(name_of(c))
            ports.extend(str(p) for p in found)
    if not bad:
        return ALLOWED
    unique = sorted_set(ports)
    detail = (f"{pluralize('container', 'containers', len(bad))} {join_quote(bad)} "
              f"{pluralize('uses', 'use', len(bad))} "
              f"{pluralize('hostPort', 'hostPorts', len(unique))} {', '.join(unique)}")
    return CheckResult(False, "hostPort", detail, tuple(bad))


CHECK = Check("hostPorts", "baseline", (VersionedCheck((1, 0), host_ports_v1_0),), __doc__)
