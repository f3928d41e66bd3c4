"""Resource quantities (``500m``, ``1.5Gi``, ``1e3``) parsed exactly, compared and printed.

Kubernetes' grammar: a signed decimal number, then either a binary suffix
(Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m "" k M G T P E) or a decimal
exponent (``e3``, ``E-2``).  Values are ``Fraction``s, so sums of millicores and
mebibytes never round; limits and quota arithmetic stays exact.
"""
from __future__ import annotations

import re
from fractions import Fraction

_BINARY = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}
_DECIMAL = {"n": Fraction(1, 10 ** 9), "u": Fraction(1, 10 ** 6), "m": Fraction(1, 1000), "": Fraction(1),
            "k": Fraction(10 ** 3), "M": Fraction(10 ** 6), "G": Fraction(10 ** 9), "T": Fraction(10 ** 12),
            "P": Fraction(10 ** 15), "E": Fraction(10 ** 18)}
_QUANTITY = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE])([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?")
_MAX_EXPONENT = 64  # far beyond anything representable by the API server (int64 with scale)


class QuantityError(ValueError):
    """Not a Kubernetes quantity."""


def parse_quantity(value) -> Fraction:
    """``"500m"`` -> Fraction(1, 2); ints and floats (unquoted YAML numbers) are accepted too."""
    if isinstance(value, bool) or value is None:
        raise QuantityError(f"{value!r} is not a quantity")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QuantityError(f"{value!r} is not a quantity")
        return Fraction(repr(value))
    text = str(value).strip()
    m = _QUANTITY.fullmatch(text)
    if m is None:
        raise QuantityError(f"{text!r} is not a quantity (expected e.g. 500m, 2, 1.5Gi, 128Mi, 1e3)")
    number = Fraction(m.group(1))
    if m.group(2):
        exponent = int(m.group(3))
        if abs(exponent) > _MAX_EXPONENT:
            raise QuantityError(f"{text!r}: exponent out of range")
        return number * Fraction(10) ** exponent
    suffix = m.group(4) or ""
    return number * (_BINARY[suffix] if suffix in _BINARY else _DECIMAL[suffix])


def try_quantity(value) -> Fraction | None:
    try:
        return parse_quantity(value)
    except QuantityError:
        return None


def _is_bytes(resource: str) -> bool:
    base = resource.rsplit(".", 1)[-1] if resource.startswith(("requests.", "limits.")) else resource
    return base in ("memory", "storage", "ephemeral-storage") or base.startswith("hugepages-") \
        or resource.endswith("requests.storage")


def _decimal(q: Fraction) -> str:
    """Exact decimal text of a fraction whose denominator has only 2s and 5s; else 3 places."""
    if q.denominator == 1:
        return str(q.numerator)
    for places in range(1, 10):
        scaled = q * 10 ** places
        if scaled.denominator == 1:
            sign = "-" if scaled < 0 else ""
            digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
            return f"{sign}{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return f"{float(q):.3f}"


def format_quantity(q: Fraction, resource: str = "") -> str:
    """Readable, exact where possible: ``1500m`` / ``2`` for cpu, ``1536Mi`` for bytes, ``20`` for counts."""
    if _is_bytes(resource):
        if q.denominator == 1 and q != 0:
            for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
                if q % _BINARY[suffix] == 0:
                    return f"{q // _BINARY[suffix]}{suffix}"
                if abs(q) >= _BINARY[suffix] * 10:  # big but not exact: show 3 decimals
                    return f"{_decimal(Fraction(round(q / _BINARY[suffix] * 1000), 1000))}{suffix}"
        return _decimal(q)
    if q.denominator != 1 and (q * 1000).denominator == 1:
        return f"{(q * 1000).numerator}m"
    return _decimal(q)
