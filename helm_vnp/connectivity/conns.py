"""A connection set: which ports of TCP, UDP and SCTP, and whether every protocol without ports, are allowed.

A NetworkPolicy rule without ``ports`` allows all traffic (ICMP too); a rule with ``ports`` allows only
the listed port ranges of the listed protocols (TCP, UDP, SCTP are the only ones a NetworkPolicy can name).
So a connection set is three port interval sets plus one flag for "every other protocol", and the flag
is set only by rules without ports.  Printed the way netpol-analyzer's ``list`` prints it:
``All Connections``, or protocols in alphabetical order, ``SCTP 9003,TCP 80,8000-8080,UDP 53``.
"""
from __future__ import annotations

from helm_vnp.connectivity.intervals import EMPTY, IntervalSet

PROTOCOLS = ("SCTP", "TCP", "UDP")  # alphabetical, as netpol-analyzer prints them
PORTS = IntervalSet([(1, 65535)])


class ConnSet:
    """Immutable: ``ports`` maps each protocol of PROTOCOLS to an IntervalSet; ``other``: non-port protocols."""

    __slots__ = ("ports", "other", "_key")

    def __init__(self, ports: dict | None = None, other: bool = False):
        ports = ports or {}
        self.ports = {p: ports.get(p, EMPTY) for p in PROTOCOLS}
        self.other = other
        self._key = (tuple(self.ports[p] for p in PROTOCOLS), other)

    def __eq__(self, o) -> bool:
        return isinstance(o, ConnSet) and self._key == o._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __bool__(self) -> bool:
        return self.other or any(self.ports[p] for p in PROTOCOLS)

    def __or__(self, o: ConnSet) -> ConnSet:
        if o is NONE or self is ALL:
            return self
        if self is NONE or o is ALL:
            return o
        return ConnSet({p: self.ports[p] | o.ports[p] for p in PROTOCOLS}, self.other or o.other)

    def __and__(self, o: ConnSet) -> ConnSet:
        if o is ALL or self is NONE:
            return self
        if self is ALL or o is NONE:
            return o
        return _canonical(ConnSet({p: self.ports[p] & o.ports[p] for p in PROTOCOLS}, self.other and o.other))

    def __sub__(self, o: ConnSet) -> ConnSet:
        return _canonical(ConnSet({p: self.ports[p] - o.ports[p] for p in PROTOCOLS}, self.other and not o.other))

    @property
    def is_all(self) -> bool:
        return self._key == ALL._key

    def __str__(self) -> str:
        if self.is_all:
            return "All Connections"
        if not self:
            return "No Connections"
        parts = []
        for p in PROTOCOLS:
            if self.ports[p]:
                spans = (str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in self.ports[p].ranges)
                parts.append(f"{p} " + ",".join(spans))
        if self.other:
            parts.append("all protocols without ports")
        return ",".join(parts)

    __repr__ = __str__

    def as_json(self) -> dict:
        """{"all": bool} or {"TCP": [[lo, hi], ...], ..., "otherProtocols": bool}."""
        if self.is_all:
            return {"all": True}
        out: dict = {p: [list(r) for r in self.ports[p].ranges] for p in PROTOCOLS if self.ports[p]}
        if self.other:
            out["otherProtocols"] = True
        return out


def _canonical(c: ConnSet) -> ConnSet:
    if c._key == ALL._key:
        return ALL
    if not c:
        return NONE
    return c


def ports(protocol: str, intervals: IntervalSet) -> ConnSet:
    return ConnSet({protocol: intervals}) if intervals else NONE


ALL = ConnSet({p: PORTS for p in PROTOCOLS}, True)
NONE = ConnSet()
