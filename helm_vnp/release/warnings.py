"""What the post-renderer warns about, as records that keep the objects they are about.

A plain class, not a dataclass: this module is on the post-renderer's start-up path.
"""
from __future__ import annotations


class RenderWarning:
    """Something the post-renderer warns about at install time, about the chart documents it names.

    ``message`` is said of one object ("its pod template gets ..."); ``plural`` says the same of
    several at once, for the one stderr line a chart with thousands of such objects gets; ``objects``
    are the Documents it is about (none: about the release as a whole)."""

    __slots__ = ("message", "objects", "plural")

    def __init__(self, message: str, objects: tuple = (), plural: str = ""):
        self.message, self.objects, self.plural = message, tuple(objects), plural

    def __repr__(self) -> str:
        return f"RenderWarning({self.message!r}, {len(self.objects)} objects)"

    def __str__(self) -> str:
        if not self.objects:
            return self.message
        kind = self.objects[0].kind or "object"
        names = [d.name or "<unnamed>" for d in self.objects]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        if len(names) == 1:
            return f"{kind} {shown}: {self.message}"
        return f"{kind}s {shown}: {self.plural or self.message}"
