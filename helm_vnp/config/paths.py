"""Dotted paths that name a place in the values (``a.b[2]["app.kubernetes.io/name"]``).

One spelling everywhere: problems, ``LoadedConfig.origins`` and tests all use it.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False  # typing's, without importing typing on every start (type checkers read the name)
if TYPE_CHECKING:
    from typing import Iterable

Segment = str | int
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+\Z")


def join(segments: Iterable[Segment]) -> str:
    """Render path segments: keys joined by dots, list indexes as ``[i]``, odd keys quoted."""
    out = ""
    for seg in segments:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif _PLAIN_KEY.match(seg):
            out += f".{seg}" if out else seg
        else:
            out += '["' + seg.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out
