"""Checks JSON Schema cannot express, run as custom schema keywords (``x-vnp-check``).

Each returns ``(path, message, hint)`` tuples relative to the checked value, so they are
reported exactly like schema errors. Only ``ipaddress`` is imported: cheap.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Iterator

ValueProblem = tuple  # (path relative to the checked value, message, hint or None)


def parse_cidr(text: str):
    """ip_network for a CIDR with an explicit prefix, or None."""
    if not isinstance(text, str) or "/" not in text or "%" in text:
        return None
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None


def _v4_mapped(addr) -> bool:
    return addr.version == 6 and addr.ipv4_mapped is not None


def _V4_MAPPED(value: str, v4: str) -> tuple[str, str]:  # noqa: N802 - a message template
    return (f'"{value}" is an IPv4-mapped IPv6 address: the API server refuses it (Kubernetes 1.33+ '
            "validates IPs strictly); such traffic is IPv4 on the wire", f'write the IPv4 form, "{v4}"')


def check_cidr(value: Any) -> Iterator[ValueProblem]:
    if not isinstance(value, str) or value == "":
        return
    if "/" not in value:
        try:
            addr = ipaddress.ip_address(value)
        except ValueError:
            yield [], f'"{value}" is not a valid CIDR', "expected e.g. 10.0.0.0/8 or 2001:db8::/32"
            return
        yield [], f'"{value}" is not a CIDR: the /prefix length is missing', \
            f'did you mean "{value}/{addr.max_prefixlen}"?'
        return
    net = parse_cidr(value)
    if net is not None:
        if _v4_mapped(net.network_address):
            yield [], *_V4_MAPPED(value, f"{net.network_address.ipv4_mapped}/{max(net.prefixlen - 96, 0)}")
        return
    try:
        loose = ipaddress.ip_network(value, strict=False)
    except ValueError:
        yield [], f'"{value}" is not a valid CIDR', "expected e.g. 10.0.0.0/8 or 2001:db8::/32"
        return
    yield [], f'"{value}" is not a valid CIDR: host bits must be zero', f'did you mean "{loose}"?'


def check_ip_block(value: Any) -> Iterator[ValueProblem]:
    if not isinstance(value, dict):
        return
    outer = parse_cidr(value.get("cidr"))
    excepts = value.get("except")
    if outer is None or not isinstance(excepts, list):
        return
    for i, item in enumerate(excepts):
        inner = parse_cidr(item)
        if inner is None:
            continue
        if inner.version != outer.version:
            yield ["except", i], f'"{item}" is IPv{inner.version} but cidr {outer} is IPv{outer.version}', None
        elif inner == outer or not inner.subnet_of(outer):
            yield ["except", i], f'"{item}" is not strictly inside cidr {outer}', \
                "each except entry must be a smaller range within cidr"


def check_port_range(value: Any) -> Iterator[ValueProblem]:
    if not isinstance(value, dict):
        return
    port, end = value.get("port"), value.get("endPort")
    if isinstance(port, int) and isinstance(end, int) and not isinstance(end, bool) and end < port:
        yield ["endPort"], f"endPort {end} is smaller than port {port}", "endPort must be >= port"


def check_ip_address(value: Any) -> Iterator[ValueProblem]:
    if not isinstance(value, str) or value == "":
        return
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        yield [], f'"{value}" is not a valid IP address', None
        return
    if _v4_mapped(addr):
        yield [], *_V4_MAPPED(value, str(addr.ipv4_mapped))


def check_workload_kind(value: Any) -> Iterator[ValueProblem]:
    """A ``policies.workloadKinds`` entry must not name a core workload (those keep their own handling)."""
    if not isinstance(value, dict) or not isinstance(value.get("apiVersion"), str):
        return
    from helm_vnp.k8s.workloads import WORKLOAD_GROUPS
    group = value["apiVersion"].rsplit("/", 1)[0]
    versions = WORKLOAD_GROUPS.get(str(value.get("kind")), ())
    if any(v.rsplit("/", 1)[0] == group for v in versions if "/" in v):
        yield ["kind"], f"{value.get('kind')} in {group} is a core workload: vnp labels it already", \
            "remove this entry"


def check_class_list(value: Any) -> Iterator[ValueProblem]:
    from helm_vnp.config.allowlist import check_class_list as check
    yield from check(value)


def check_node_isolation_classes(value: Any) -> Iterator[ValueProblem]:
    from helm_vnp.config.allowlist import check_node_isolation_classes as check
    yield from check(value)


def check_regex(value: Any) -> Iterator[ValueProblem]:
    """A tenant rule's regular expression: one both Python and Go's RE2 (what Capsule runs) read the same."""
    from helm_vnp.config.allowlist import regex_problem
    why = regex_problem(value)
    if why:
        yield [], why, "write a Go (RE2) regular expression; escape special characters with \\ (\\. for a dot)"


CHECKS = {"cidr": check_cidr, "ipBlock": check_ip_block, "portRange": check_port_range,
          "ipAddress": check_ip_address, "workloadKind": check_workload_kind, "regex": check_regex,
          "classList": check_class_list, "nodeIsolationClasses": check_node_isolation_classes}
