"""What a lint rule is and what it reports.

A rule is a module in ``helm_vnp.checks`` (or ``helm_vnp.k8s.podsecurity``) that
declares one ``Rule`` at module level as ``RULE`` and a pure function
``check(ctx) -> Iterable[Finding]``.  The rule's documentation is the module
docstring (rendered into docs/rules/ by ``helm-vnp docs``).  Reporters know
only ``Finding``; rules know nothing of output formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

# Per-object opt-out: a comma-separated list of rule IDs (or "*") in this annotation.


@dataclass(frozen=True)
class ObjectRef:
    apiVersion: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""

    def as_dict(self) -> dict:
        return {"apiVersion": self.apiVersion, "kind": self.kind, "name": self.name, "namespace": self.namespace}

    def label(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}".strip()


@dataclass(frozen=True)
class Source:
    file: str = ""
    line: int = 0  # 1-based line where the object starts in ``file``; 0 unknown


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Rule:
    id: str  # stable, e.g. "pss.privileged", "quota.fit"
    severity: Severity  # default severity
    summary: str  # one line
    options: dict = field(default_factory=dict)  # option name -> default
