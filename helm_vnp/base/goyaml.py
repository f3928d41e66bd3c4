"""Plain scalars resolved as Kubernetes resolves them.

Helm and the API server read YAML with sigs.k8s.io/yaml, which decodes with
go-yaml v2 (``goyaml.v2/resolve.go``) and then converts to JSON.  go-yaml v2
keeps YAML 1.1's booleans (``y``, ``on``, ``NO``, ...), reads ``017`` as
octal and ``09`` as a float, leaves ``1:20`` (base 60) and ``1e400`` (out of
range) as strings, and turns mapping keys into JSON strings (``yes:`` becomes
``"true"``).  A reader that resolves scalars the YAML 1.2 way sees
``hostNetwork: on`` as the string "on" where the cluster sees ``true``: every
reader of chart documents uses this module instead.

Only plain (unquoted, untagged) scalars are resolved; quoted ones are strings.
"""
from __future__ import annotations

import math
import re

STR = "tag:yaml.org,2002:str"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"

# go-yaml v2's resolveMap, spelling for spelling (case variants beyond these are strings)
TRUE = frozenset("y Y yes Yes YES true True TRUE on On ON".split())
FALSE = frozenset("n N no No NO false False FALSE off Off OFF".split())
NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_SPECIAL_FLOATS = {
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
}
# the first characters go-yaml looks further at (its resolveTable); any other start is a string
_HINTED = frozenset("yYnNtTfFoO~+-0123456789.<")
# Go's strconv.ParseInt(s, 0, 64) syntax (after go-yaml removed every "_"); a leading 0 means octal
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")  # what strconv.ParseFloat takes after a "."


def resolve(text: str):
    """(tag, value) of a plain scalar, as go-yaml v2 resolves it."""
    if text and text[0] not in _HINTED:
        return STR, text
    if text in TRUE:
        return BOOL, True
    if text in FALSE:
        return BOOL, False
    if text in NULLS:
        return NULL, None
    if text in _SPECIAL_FLOATS:
        return FLOAT, _SPECIAL_FLOATS[text]
    if text == "<<":
        return MERGE, text
    c = text[0]
    if c == ".":
        if _DOT_FLOAT.match(text):
            return FLOAT, float(text)
    elif c in "+-0123456789":
        plain = text.replace("_", "")
        if _GO_INT.match(plain):
            return INT, go_int(plain)
        if _YAML_STYLE_FLOAT.match(plain):
            value = float(plain)
            if not math.isinf(value):  # strconv.ParseFloat fails out of range: go-yaml keeps the string
                return FLOAT, value
    return STR, text


def go_int(plain: str) -> int:
    """The value of a Go integer literal (``_GO_INT``)."""
    sign = -1 if plain[0] == "-" else 1
    digits = plain.lstrip("+-")
    prefix = digits[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        return sign * int(digits[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    if len(digits) > 1 and digits[0] == "0":
        return sign * int(digits, 8)
    return sign * int(digits)


def value(text: str):
    """The value of a plain scalar (see ``resolve``)."""
    return resolve(text)[1]


def json_key(key):
    """A decoded mapping key as sigs.k8s.io/yaml writes it into JSON: booleans and numbers become
    strings (``yes:`` is the key "true", ``0x1F:`` the key "31"); other keys are returned as they are."""
    if key is True:
        return "true"
    if key is False:
        return "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return _go_float_key(key)
    return key


def _go_float_key(f: float) -> str:
    """A float key as text: whole numbers as integers, YAML's spellings of the special values
    (close to, not exactly, Go's FormatFloat: a float mapping key has no use in a Kubernetes object)."""
    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    return str(int(f)) if f.is_integer() and abs(f) < 1e21 else repr(f)
