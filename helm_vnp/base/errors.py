"""User-facing errors: what went wrong, where, and what was expected.

Every error a user can cause (bad values, bad stream, bad flag) is a
``VnpError``; the entry points print it and exit 2.  Nothing else should
reach the user as a traceback.
"""
from __future__ import annotations

_FIELDS = ("message", "path", "file", "line", "value", "expected", "hint")


class Problem:
    """One thing wrong with the input.

    ``path`` is a dotted path (``policies.networkPolicy.workload.publicEgress.except[2]``)
    or "" when the problem is about the whole file; ``file``/``line`` point at
    where the value came from (``line`` is 1-based, ``None`` when unknown, e.g. ``--set``).
    A plain class, not a dataclass: this module is on the post-renderer's start-up path.
    """

    __slots__ = _FIELDS

    def __init__(self, message: str, path: str = "", file: str | None = None, line: int | None = None,
                 value: object = None, expected: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.file = file
        self.line = line
        self.value = value
        self.expected = expected
        self.hint = hint

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in _FIELDS}

    def __eq__(self, other) -> bool:
        return isinstance(other, Problem) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.message, self.path, self.file, self.line))

    def __repr__(self) -> str:
        return "Problem(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in _FIELDS) + ")"

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


def input_failure(exc: BaseException) -> str | None:
    """The message for a failure the input caused that surfaces as a Python error (a value nesting
    past the interpreter's depth, a number past its 4,300-digit conversion limit, memory), or None
    when ``exc`` is a bug of ours."""
    if isinstance(exc, RecursionError):
        return "error: input nests too deeply (a values file, --set or --set-json value)"
    if isinstance(exc, MemoryError):
        return "error: out of memory while reading the input"
    if isinstance(exc, ValueError) and "Exceeds the limit" in str(exc):
        return "error: a number has more than 4,300 digits (no Kubernetes field takes one)"
    return None


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
