"""What every lint rule receives: the release as it would be installed."""
from __future__ import annotations

from dataclasses import dataclass, field

from helm_vnp.checks.base import ObjectRef, Source
from helm_vnp.stream.document import Document


@dataclass
class LintContext:
    docs: list[Document]  # the chart's documents after post-render (labels added), in stream order
    generated: list[dict]  # vnp's generated objects (NetworkPolicies, ResourceQuota, LimitRange)
    policies: dict  # the canonical config (helm_vnp.config.model.Policies)
    release: str
    namespace: str  # the release namespace ("default" when not given, like Helm)
    options: dict = field(default_factory=dict)  # rule ID -> {option: value} overrides
    origins: dict = field(default_factory=dict)  # dotted config path -> (file, line)

    def ref(self, doc: Document) -> ObjectRef:
        return ObjectRef(doc.api_version or "", doc.kind or "", doc.name or "", doc.namespace or self.namespace)

    def source(self, doc: Document) -> Source:
        """Where the object starts: set by the lint driver (file named on the command line,
        file inside a directory, or the chart template) — see helm_vnp.lint."""
        src = getattr(doc, "lint_source", None)
        if src is not None:
            return src
        return Source(doc.source, doc.object_line)

    def option(self, rule_id: str, name: str, default):
        return self.options.get(rule_id, {}).get(name, default)
