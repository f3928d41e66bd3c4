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
        """The object's identity; built-in cluster-scoped kinds have no namespace, others default
        to the release's (a CR's scope needs its CRD parsed: the scope rules do that, not this)."""
        from helm_vnp.k8s.kinds import CLUSTER, scope_of

        namespace = doc.namespace or self.namespace
        if scope_of(doc.api_version, doc.kind) == CLUSTER:
            namespace = ""
        return ObjectRef(doc.api_version or "", doc.kind or "", doc.name or "", namespace)

    def source(self, doc: Document) -> Source:
        """Where the object starts: set by the lint driver (file named on the command line,
        file inside a directory, or the chart template) — see helm_vnp.lint."""
        src = getattr(doc, "lint_source", None)
        if src is not None:
            return src
        return Source(doc.source, doc.object_line)

    def option(self, rule_id: str, name: str, default):
        return self.options.get(rule_id, {}).get(name, default)
