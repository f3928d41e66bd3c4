"""What a lint rule is, what it may be configured with, and what it reports.

A rule is a module of ``helm_vnp.rules`` that declares ``RULE`` (its ID,
default severity, summary and options) and a pure ``check(release, options)``
returning ``Finding``s; its docstring is its documentation page.  ``options``
is a dict holding every declared option, validated and with defaults filled in
(``helm_vnp.rules.options``).  Reporters know only ``Finding``; rules know
nothing of output formats.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Callable, Iterable, Literal

from helm_vnp.base.record import field, record
from helm_vnp.release.model import ObjectRef, Release, Source

Severity = Literal["error", "warning", "info"]
SEVERITIES = ("info", "warning", "error")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@record(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    object: ObjectRef = field(default_factory=ObjectRef)
    source: Source = field(default_factory=Source)
    container: str | None = None

    def as_dict(self) -> dict:
        d = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "object": self.object.as_dict(),
            "source": {"file": self.source.file, "line": self.source.line},
        }
        if self.container:
            d["container"] = self.container
        return d


@record(frozen=True)
class Option:
    """One setting of a rule: ``type`` is bool, int, float or str; ``choices`` limits a str;
    ``minimum``/``maximum`` bound a number (``exclusive_minimum`` excludes the bound)."""
    name: str
    type: type
    default: Any
    help: str
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False

    def describe(self) -> str:
        """The option as its documentation and error messages name it: type, range, default."""
        what = self.type.__name__
        if self.choices:
            what = " | ".join(repr(c) if c else '""' for c in self.choices)
        elif self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum} {'<' if self.exclusive_minimum else '<='} "
            high = "" if self.maximum is None else f" <= {self.maximum}"
            what = f"{what}, {low}value{high}"
        return f"{what}; default {self.default!r}"


@record(frozen=True)
class Rule:
    id: str  # stable, e.g. "pss.privileged", "quota.fit"
    severity: Severity  # what a default run reports at most (a rule may report less, never more)
    summary: str  # one line
    options: tuple[Option, ...] = ()


Check = Callable[[Release, dict], Iterable[Finding]]


@record(frozen=True)
class LintRule:
    """A rule as the registry lists it: its declaration, its check and its documentation."""
    rule: Rule
    check: Check
    doc: str

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def summary(self) -> str:
        return self.rule.summary

    @property
    def options(self) -> tuple[Option, ...]:
        return self.rule.options

    @classmethod
    def from_module(cls, module) -> "LintRule":
        return cls(module.RULE, module.check, (module.__doc__ or module.RULE.summary).strip() + "\n")


def matches_any(rule_id: str, patterns) -> bool:
    """Whether ``rule_id`` is named by one of ``patterns``: an exact ID, a family
    (``pss`` names every ``pss.*`` rule) or a glob (``netpol.*``, ``*``)."""
    for raw in patterns:
        p = raw.strip()
        if not p:
            continue
        if p == rule_id or rule_id.startswith(p.rstrip(".") + ".") or ("*" in p and fnmatchcase(rule_id, p)):
            return True
    return False


def unknown_patterns(patterns, ids) -> list[str]:
    """Patterns naming none of the rule ``ids`` (a typo in ``--disable`` should not pass silently)."""
    return [p for p in patterns if p.strip() and not any(matches_any(i, [p]) for i in ids)]
