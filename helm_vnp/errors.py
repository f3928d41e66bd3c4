"""User-facing errors: what went wrong, where, and what was expected.

Every error a user can cause (bad values, bad stream, bad flag) is a
``VnpError``; the entry points print it and exit 2.  Nothing else should
reach the user as a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``path`` is a dotted path (``policies.networkPolicy.workload.publicEgress.except[2]``)
    or "" when the problem is about the whole file; ``file``/``line`` point at
    where the value came from (``line`` is 1-based, ``None`` when unknown, e.g. ``--set``).
    """

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    value: object = None
    expected: str | None = None
    hint: str | None = None

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def render(self) -> str:
        """One human line (plus hint), e.g. ``values.yaml:12: policies.x: message``."""
        parts = []
        loc = self.location()
        if loc:
            parts.append(loc)
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        text = ": ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text


class VnpError(Exception):
    """An error caused by the user's input; exit code 2, never a traceback."""

    exit_code = 2

    def __init__(self, problems: "list[Problem] | Problem | str"):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        if len(self.problems) == 1:
            return "error: " + self.problems[0].render()
        lines = [f"error: {len(self.problems)} problems:"]
        lines += ["  - " + p.render() for p in self.problems]
        return "\n".join(lines)
