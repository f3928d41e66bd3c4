"""Helm's two ways of combining values.

``merge_maps``: how ``-f`` files (and a JSON-object ``--set-json``) stack — maps merge
key by key, anything else (lists, scalars, null) is replaced by the later value.
``coalesce``: how user values meet the chart's defaults — a user ``null`` deletes the
key *and* its default, maps merge, user scalars and lists win.
"""
from __future__ import annotations

import copy
from typing import Any


def merge_maps(base: dict, override: dict) -> dict:
    """Return a new dict: ``override`` deep-merged onto ``base`` (nulls kept)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_maps(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def coalesce(user: Any, defaults: Any) -> Any:
    """User values over defaults; a user null removes the key (default included)."""
    if not isinstance(user, dict) or not isinstance(defaults, dict):
        return copy.deepcopy(user)
    out = {}
    for key in list(defaults) + [k for k in user if k not in defaults]:
        if key in user:
            if user[key] is None:
                continue
            out[key] = coalesce(user[key], defaults[key]) if key in defaults else strip_nulls(user[key])
        else:
            out[key] = copy.deepcopy(defaults[key])
    return out


def strip_nulls(value: Any) -> Any:
    """Drop null map entries (deletions) everywhere; nulls inside lists stay."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value
