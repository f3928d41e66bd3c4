"""Where the JSON Schema lives and how to read it (stdlib only)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "vnp.schema.json"


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_bytes())
