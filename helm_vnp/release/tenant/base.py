"""What a tenant rule reports: one violation, located."""
from __future__ import annotations

from helm_vnp.base.record import record
from helm_vnp.stream.document import Document


@record(frozen=True)
class Violation:
    """``rule`` (``tenant.<name>``) broken by ``doc`` at the dotted ``path``
    (``spec.template.spec.containers[0].image``)."""
    rule: str
    doc: Document
    path: str
    message: str


@record(frozen=True)
class TenantRule:
    """A lint rule's declaration: ID, one-line summary, and its documentation (Markdown: what, why, fix, example)."""
    id: str
    summary: str
    doc: str
