"""Small wording helpers for messages."""


def plural(n: int, word: str) -> str:
    """``1 pod``, ``3 pods``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
