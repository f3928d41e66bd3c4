"""The JSON outputs of graph, explain and diff: their schema versions and schemas.

Each output carries ``schemaVersion``; its JSON Schema (draft 2020-12) ships in ``schemas/NAME.schema.json``
and is documented in docs/connectivity.md.  A field may be added without a new version (readers ignore the
fields they do not know); a field removed, renamed or changed in meaning takes a new version.
"""
from __future__ import annotations

SCHEMA_VERSIONS = {"graph": 1, "explain": 1, "diff": 1}


def schema(name: str) -> dict:
    """The JSON Schema of the ``name`` output (graph, explain, diff)."""
    import json
    from importlib.resources import files

    if name not in SCHEMA_VERSIONS:
        raise KeyError(name)
    return json.loads((files("helm_vnp.connectivity") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
