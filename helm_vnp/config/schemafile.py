"""Where the JSON Schema lives and how to read it (stdlib only).

The one source is ``schema/vnp.schema.json`` at the repository root (what editors
reference).  ``helm_vnp/config/vnp.schema.json`` is a symlink to it, so a built
wheel carries a copy as package data; a checkout or editable install reads the
root file through either path.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGED = os.path.join(_HERE, "vnp.schema.json")
_REPO = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "schema", "vnp.schema.json")
SCHEMA_PATH = _PACKAGED if os.path.exists(_PACKAGED) else _REPO


def schema_bytes() -> bytes:
    with open(SCHEMA_PATH, "rb") as fh:
        return fh.read()


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_bytes())
