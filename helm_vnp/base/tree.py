"""Reading decoded YAML/JSON data (dicts, lists, scalars) by path."""
from __future__ import annotations

ABSENT = object()  # no value at the path (distinct from an explicit null)


def value_at(obj, path: tuple):
    """The value at ``path`` (str keys, int list indices) in decoded data, or ``ABSENT``."""
    node = obj
    for seg in path:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and seg < len(node):
            node = node[seg]
        else:
            return ABSENT
    return node
