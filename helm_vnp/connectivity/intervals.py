"""Sets of integers as sorted, disjoint, non-adjacent closed intervals.

Ports (1-65535 per protocol) and addresses (IPv4 as 0..2**32-1, IPv6 as 0..2**128-1) are both sets of
integers that policies cut into a few ranges: an ``endPort`` range, a CIDR minus its ``except`` blocks.
Keeping them as intervals makes union, intersection and difference cost the number of ranges, never the
number of ports or addresses, which is what lets the engine compute a whole connection set at once.
"""
from __future__ import annotations

from typing import Iterable


class IntervalSet:
    """An immutable set of integers; ``ranges`` is a tuple of ``(lo, hi)``, inclusive, sorted, merged."""

    __slots__ = ("ranges", "_hash")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for lo, hi in sorted(r for r in ranges if r[0] <= r[1]):
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1][1] = hi
            else:
                merged.append([lo, hi])
        self.ranges = tuple((lo, hi) for lo, hi in merged)
        self._hash = hash(self.ranges)

    @classmethod
    def _raw(cls, ranges: tuple) -> IntervalSet:
        """Already sorted and merged (the operators below produce such tuples)."""
        out = cls.__new__(cls)
        out.ranges = ranges
        out._hash = hash(ranges)
        return out

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __eq__(self, other) -> bool:
        return isinstance(other, IntervalSet) and self.ranges == other.ranges

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"IntervalSet({list(self.ranges)})"

    def __contains__(self, value: int) -> bool:
        for lo, hi in self.ranges:
            if value < lo:
                return False
            if value <= hi:
                return True
        return False

    def __or__(self, other: IntervalSet) -> IntervalSet:
        if not other.ranges or self.ranges == other.ranges:
            return self
        if not self.ranges:
            return other
        return IntervalSet(self.ranges + other.ranges)

    def __and__(self, other: IntervalSet) -> IntervalSet:
        a, b = self.ranges, other.ranges
        if a == b:
            return self
        out = []
        i = j = 0
        while i < len(a) and j < len(b):
            lo = max(a[i][0], b[j][0])
            hi = min(a[i][1], b[j][1])
            if lo <= hi:
                out.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet._raw(tuple(out))

    def __sub__(self, other: IntervalSet) -> IntervalSet:
        if not other.ranges or not self.ranges:
            return self
        out = []
        b = other.ranges
        j = 0
        for lo, hi in self.ranges:
            cur = lo
            while j < len(b) and b[j][1] < cur:
                j += 1
            k = j
            while k < len(b) and b[k][0] <= hi:
                if b[k][0] > cur:
                    out.append((cur, b[k][0] - 1))
                cur = max(cur, b[k][1] + 1)
                k += 1
            if cur <= hi:
                out.append((cur, hi))
        return IntervalSet._raw(tuple(out))

    def boundaries(self) -> set[int]:
        """Where membership changes: each range's start and the integer after its end."""
        return {x for lo, hi in self.ranges for x in (lo, hi + 1)}


EMPTY = IntervalSet()
