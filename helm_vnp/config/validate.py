"""Validate the user's values against schema/vnp.schema.json and word every error for people.

jsonschema is imported here only, lazily (the post-renderer's cache hit never loads it).
Custom checks run as the schema keyword ``x-vnp-check``; messages can be overridden per
keyword with ``x-vnp-messages`` and the expected value described by ``x-vnp-expected``.
"""
from __future__ import annotations

import functools
import json
import math
import re
from typing import Any, Callable

from helm_vnp.base.errors import Problem
from helm_vnp.config.paths import join

_validator = None
_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "a string", "boolean": "true or false",
               "integer": "an integer", "number": "a number", "null": "null"}


@functools.lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern:
    """A schema pattern as JSON Schema (ECMA 262) reads it: ``$`` is the end of the string.  Python's ``$``
    also matches before a trailing newline, so ``"team\\n"`` would pass ``^[a-z]+$`` and reach the output."""
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append("\\Z" if ch == "$" and not in_class else ch)
        i += 1
    return re.compile("".join(out))


def _get(value: Any, rel: list) -> Any:
    for seg in rel:
        value = value[seg]
    return value


def _make_validator():
    global _validator
    if _validator is None:
        from jsonschema import Draft202012Validator, validators
        from jsonschema.exceptions import ValidationError

        from helm_vnp.config.netchecks import CHECKS
        from helm_vnp.config.schemafile import schema

        def vnp_check(_validator, name, instance, _schema):
            for rel, message, hint in CHECKS[name](instance):
                err = ValidationError(message, path=list(rel), instance=_get(instance, rel))
                err.vnp_hint = hint
                yield err

        def pattern(_validator, patrn, instance, _schema):
            if isinstance(instance, str) and not ecma_regex(patrn).search(instance):
                yield ValidationError(f"{instance!r} does not match {patrn!r}")

        cls = validators.extend(Draft202012Validator, {"x-vnp-check": vnp_check, "pattern": pattern})
        _validator = cls(schema())
    return _validator


def show(value: Any) -> str:
    """A value as the user would write it (JSON-ish, short)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean " + show(value)
    if isinstance(value, (int, float)):
        return "the number " + show(value)
    if value is None:
        return "null"
    return "the string " + show(value)


def _expected(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    if "x-vnp-expected" in schema:
        return schema["x-vnp-expected"]
    if "enum" in schema:
        return "one of " + ", ".join(show(v) for v in schema["enum"])
    t = schema.get("type")
    if isinstance(t, str):
        return _TYPE_WORDS.get(t, t)
    if isinstance(t, list):
        return " or ".join(_TYPE_WORDS.get(x, x) for x in t)
    return None


def validate(values: dict, locate: Callable[[str], tuple], order: Callable[[Problem], tuple]) -> list[Problem]:
    """All schema problems of ``values`` (a values document with nulls stripped), sorted."""
    by_path: dict[str, Problem] = {}
    custom: set[str] = set()
    for path, number in _non_finite(values, []):
        file, line = locate(path)
        by_path[path] = Problem(f"{number} is not a finite number: Kubernetes and Helm cannot read it", path=path,
                                file=file, line=line, value=str(number),
                                expected="a finite number, or a quantity string",
                                hint="JSON has no infinity or NaN; 1e400 overflows to infinity")
        custom.add(path)
    for err in _make_validator().iter_errors(values):
        for problem, is_custom in _translate(err, locate):
            key = problem.path + "\0" + problem.message if problem.message.startswith("unknown key") else problem.path
            if key in by_path and (key in custom or not is_custom):
                continue
            by_path[key] = problem
            if is_custom:
                custom.add(key)
    return sorted(by_path.values(), key=order)


def _non_finite(value: Any, path: list):
    """(dotted path, value) of every infinite or NaN number: the YAML reader makes them of ``.inf``, ``.nan``
    and ``1e400``; written out they are ``inf``/``nan``, which no API server reads as a number."""
    if isinstance(value, float) and not math.isfinite(value):
        yield join(path), value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _non_finite(v, path + [k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _non_finite(v, path + [i])


def _translate(err, locate) -> list[tuple[Problem, bool]]:
    path = list(err.absolute_path)
    kw = err.validator
    schema = err.schema if isinstance(err.schema, dict) else {}
    inst = err.instance

    def mk(message, seg=path, expected=None, hint=None, value=inst, custom=False):
        dotted = join(seg)
        file, line = locate(dotted)
        return Problem(message, path=dotted, file=file, line=line, value=value, expected=expected, hint=hint), custom

    if kw == "x-vnp-check":
        return [mk(err.message, hint=getattr(err, "vnp_hint", None), custom=True)]
    if kw == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in sorted(k for k in inst if k not in schema.get("properties", {})):
            import difflib  # only for a suggestion: not on every start
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else "allowed keys: " + ", ".join(allowed)
            out.append(mk(f'unknown key "{key}"', seg=path + [key], expected="one of " + ", ".join(allowed),
                          hint=hint, value=inst[key]))
        return out
    if "propertyNames" in err.relative_schema_path:  # inst is the offending key itself
        exp = _expected(schema)
        return [mk(f"invalid key {show(inst)}: expected {exp}", seg=path + [inst], expected=exp)]
    custom_msg = schema.get("x-vnp-messages", {}).get(kw)
    if custom_msg:
        return [mk(custom_msg, expected=_expected(schema))]
    if kw == "type":
        exp = _expected(schema)
        return [mk(f"expected {exp}, got {describe(inst)}", expected=exp)]
    if kw == "enum":
        exp = _expected(schema)
        return [mk(f"{show(inst)} is not {exp}", expected=exp)]
    if kw == "required":
        missing = [k for k in err.validator_value if not (isinstance(inst, dict) and k in inst)]
        return [mk(f'missing required key "{missing[0] if missing else "?"}"',
                   expected=f"a {missing[0] if missing else ''} key")]
    if kw in ("minimum", "maximum"):
        exp = _expected(schema) or f"a value between {schema.get('minimum')} and {schema.get('maximum')}"
        return [mk(f"{show(inst)} is out of range: expected {exp}", expected=exp)]
    if kw == "uniqueItems":
        return [mk("list items must be unique", expected="no duplicates")]
    if kw == "minItems":
        return [mk("list must not be empty", expected=f"at least {err.validator_value} item(s)")]
    exp = _expected(schema) or err.message
    return [mk(f"invalid value {show(inst)}: expected {exp}", expected=exp)]
