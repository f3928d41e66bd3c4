"""Label selectors evaluated on a whole population at once, as bitmasks.

A policy engine that asks "does this selector match this pod?" for every pod and every selector does
pods x selectors work.  Here every label ``key=value`` and every key of a population (the workloads, or
the namespaces) maps to the bitmask of the members that carry it (a Python int, bit i for member i), and
a selector becomes a few ANDs, ORs and complements of those masks: ``matchLabels`` and ``In`` are
look-ups, ``NotIn`` and ``DoesNotExist`` complements (they match members without the key, as the API
says).  An operator the API server rejects matches nothing, like a selector that is not a mapping.
"""
from __future__ import annotations

import json
from typing import Mapping, Sequence


class LabelIndex:
    """The bitmask index of one population (``labels[i]`` are member i's labels)."""

    def __init__(self, labels: Sequence[Mapping]):
        self.size = len(labels)
        self.all = (1 << self.size) - 1
        pairs: dict[tuple, list] = {}
        keys: dict[str, list] = {}
        for i, member in enumerate(labels):
            for k, v in member.items():
                pairs.setdefault((str(k), str(v)), []).append(i)
                keys.setdefault(str(k), []).append(i)
        self.by_pair = {p: _mask(ix) for p, ix in pairs.items()}
        self.by_key = {k: _mask(ix) for k, ix in keys.items()}
        self._cache: dict[str, int] = {}

    def select(self, selector) -> int:
        """The members a LabelSelector matches: ``{}`` (or None, absent) all of them."""
        if selector is None:
            return self.all
        if not isinstance(selector, dict):
            return 0
        key = json.dumps(selector, sort_keys=True, default=str)
        if key not in self._cache:
            self._cache[key] = self._select(selector)
        return self._cache[key]

    def _select(self, selector: dict) -> int:
        out = self.all
        labels = selector.get("matchLabels")
        if labels is not None and not isinstance(labels, dict):
            return 0
        for k, v in (labels or {}).items():
            out &= self.by_pair.get((str(k), "" if v is None else str(v)), 0)
        expressions = selector.get("matchExpressions")
        if expressions is not None and not isinstance(expressions, list):
            return 0
        for req in expressions or []:
            if not isinstance(req, dict):
                return 0
            key, op = str(req.get("key")), req.get("operator")
            values = req.get("values") if isinstance(req.get("values"), list) else []
            having = 0
            for v in values:
                having |= self.by_pair.get((key, str(v)), 0)
            if op == "In":
                out &= having
            elif op == "NotIn":
                out &= self.all & ~having
            elif op == "Exists":
                out &= self.by_key.get(key, 0)
            elif op == "DoesNotExist":
                out &= self.all & ~self.by_key.get(key, 0)
            else:
                return 0
        return out


def _mask(indices) -> int:
    m = 0
    for i in indices:
        m |= 1 << i
    return m


def members(mask: int) -> list[int]:
    """The indices of a bitmask's set bits, in increasing order."""
    out = []
    text = bin(mask)[:1:-1]  # least significant bit first
    i = text.find("1")
    while i >= 0:
        out.append(i)
        i = text.find("1", i + 1)
    return out


def example_labels(selector) -> dict[str, str] | None:
    """Labels a selector matches, to build a representative pod or namespace (``matchLabels``, the first
    value of an ``In``, ``x`` for an ``Exists``); None when this construction cannot satisfy it (an ``In``
    without values, a ``NotIn`` excluding a value it set).  Not a mapping (absent): {} (matches anything)."""
    if not isinstance(selector, dict):
        return {}
    labels = {str(k): str(v) for k, v in (selector.get("matchLabels") or {}).items()} \
        if isinstance(selector.get("matchLabels"), dict) else {}
    for req in selector.get("matchExpressions") or []:
        if not isinstance(req, dict):
            continue
        op, key = req.get("operator"), str(req.get("key"))
        values = req.get("values") if isinstance(req.get("values"), list) else []
        if op == "In":
            if not values:
                return None
            labels.setdefault(key, str(values[0]))
        elif op == "Exists":
            labels.setdefault(key, "x")
        elif op == "NotIn" and labels.get(key) in [str(v) for v in values]:
            return None
    return labels
