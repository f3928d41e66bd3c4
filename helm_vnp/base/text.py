"""Small wording helpers for messages."""


def plural(n: int, word: str) -> str:
    """``1 pod``, ``3 pods``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def unseen_pods_note(makers) -> str:
    """'' when no object may create pods unseen; else why "matches no pod" may be wrong (``makers``: objects
    with ``kind`` and ``name``, e.g. ``Release.unseen_pod_makers``)."""
    if not makers:
        return ""
    shown = ", ".join(f"{o.kind} {o.name}" for o in makers[:3])
    more = f" and {len(makers) - 3} more" if len(makers) > 3 else ""
    return (f" (the release also renders custom resources, {shown}{more}, whose controllers may create pods vnp "
            "does not see: if the selector is meant for those, this is expected)")


def brief_json(value) -> str:
    """A value as JSON for a message, cut to 80 characters (what the chart set, without flooding the message)."""
    import json
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
