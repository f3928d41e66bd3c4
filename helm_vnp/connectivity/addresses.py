"""Addresses outside the cluster: IPv4 and IPv6 as integer interval sets, and the ranges the output names.

An ``ipBlock`` is its ``cidr`` minus every ``except`` block, in one address family.  Like netpol-analyzer
and network-config-analyzer, the engine lets ipBlocks match addresses outside the cluster only (pods are
matched by selectors; their addresses are not known before install).  The output cuts the whole address
space of both families into the disjoint ranges every policy's blocks agree on, as netpol-analyzer does
(``0.0.0.0-9.255.255.255``), so each line is exact for every address of its range.
"""
from __future__ import annotations

import ipaddress

from helm_vnp.base.record import record
from helm_vnp.connectivity.intervals import EMPTY, IntervalSet

V4_ALL = IntervalSet([(0, 2 ** 32 - 1)])
V6_ALL = IntervalSet([(0, 2 ** 128 - 1)])


@record(frozen=True)
class AddrSet:
    """A set of addresses of both families."""
    v4: IntervalSet = EMPTY
    v6: IntervalSet = EMPTY

    def __or__(self, o: AddrSet) -> AddrSet:
        return AddrSet(self.v4 | o.v4, self.v6 | o.v6)

    def __and__(self, o: AddrSet) -> AddrSet:
        return AddrSet(self.v4 & o.v4, self.v6 & o.v6)

    def __sub__(self, o: AddrSet) -> AddrSet:
        return AddrSet(self.v4 - o.v4, self.v6 - o.v6)

    def __bool__(self) -> bool:
        return bool(self.v4) or bool(self.v6)


EVERYWHERE = AddrSet(V4_ALL, V6_ALL)
NOWHERE = AddrSet()


def network(text) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR as the API server accepts it (host bits allowed here, as most tools read them), else None."""
    try:
        return ipaddress.ip_network(str(text).strip(), strict=False)
    except ValueError:
        return None


def _of(net) -> AddrSet:
    iv = IntervalSet([(int(net.network_address), int(net.broadcast_address))])
    return AddrSet(iv, EMPTY) if net.version == 4 else AddrSet(EMPTY, iv)


def ip_block(block) -> tuple[AddrSet, str | None]:
    """The addresses an ``ipBlock`` matches, and a problem (None when well-formed).  A block whose cidr does
    not parse matches nothing (the API server rejects the policy); an ``except`` that does not parse or is of
    the other family is ignored (likewise rejected)."""
    if not isinstance(block, dict):
        return NOWHERE, "ipBlock is not a mapping"
    net = network(block.get("cidr"))
    if net is None:
        return NOWHERE, f"ipBlock cidr {block.get('cidr')!r} is not a CIDR"
    out = _of(net)
    problem = None
    excepts = block.get("except")
    if excepts is not None and not isinstance(excepts, list):
        return out, "ipBlock except is not a list"
    for e in excepts or []:
        ex = network(e)
        if ex is None or ex.version != net.version:
            problem = f"ipBlock except {e!r} is not a CIDR of the cidr's family"
            continue
        out = out - _of(ex)
    return out, problem


def show(version: int, lo: int, hi: int) -> str:
    """``a.b.c.d-e.f.g.h`` (netpol-analyzer's form; a single address too)."""
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return f"{cls(lo)}-{cls(hi)}"


def partition(blocks) -> list[tuple[int, int, int]]:
    """The whole address space of both families cut at every boundary of ``blocks`` (AddrSets):
    ``[(version, lo, hi), ...]``, sorted, disjoint, covering everything."""
    out = []
    for version, full in ((4, V4_ALL), (6, V6_ALL)):
        cuts = {0, full.ranges[0][1] + 1}
        for b in blocks:
            cuts |= (b.v4 if version == 4 else b.v6).boundaries()
        points = sorted(cuts)
        out += [(version, lo, hi - 1) for lo, hi in zip(points, points[1:])]
    return out
