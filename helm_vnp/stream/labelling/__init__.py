"""Put the release label on every pod template of the chart's workloads, as a text edit.

``label_documents`` (here) tries the planners cheapest first: each returns
``Edit``s (none: the label is already there) or, when it cannot vouch for its
answer, ASK_PARSER, and the next one decides:

- ``plan_by_indent``: every key of the path written out, found by indentation with ``bytes.find``
- ``plan_by_lines``:  block YAML read line by line; adds a missing ``metadata:``/``labels:``
- ``plan_by_parser``: positions from a real parse, for everything else (flow style, anchors, ...)
- ``edit``:           the ``Edit`` record every planner returns, ``apply`` and ``quote``
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import HOOK_ANNOTATION, RELEASE_LABEL
from helm_vnp.k8s.pod_creators import creator_for
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload
from helm_vnp.stream.document import Document
from helm_vnp.stream.labelling import plan_by_indent, plan_by_lines
from helm_vnp.stream.labelling.edit import apply
from helm_vnp.stream.labelling.verify import decoded, misplaced
from helm_vnp.stream.line_proof import has_unprintable, lines_are_structure
from helm_vnp.stream.pod_sources import sources_in
from helm_vnp.stream.scalars import ASK_PARSER


def label_documents(docs: list[Document], workloads: list[Document], release: str, declared: tuple = (),
                    key: str = RELEASE_LABEL):
    """(documents with labelled workloads, the plain (non-hook) Jobs that got the label).  Other
    documents are the same objects.  ``declared``: the ``policies.workloadKinds`` entries
    (``k8s.pod_creators.declared_creators``) that, with the registry, say where other kinds' pods are.  ``key``:
    the label to set to ``release`` (the project label for ``networkPolicy.project``: same planners, same proof)."""
    targets = {id(d) for d in workloads}
    out = []
    plain_jobs = []
    for doc in docs:
        if id(doc) not in targets:
            out.append(doc)
            continue
        try:
            edited, doc = label_one(doc, release, declared, key)
        except VnpError as exc:
            raise doc.error_in(exc) from None
        if edited and doc.kind == "Job" and HOOK_ANNOTATION not in doc.annotations:
            plain_jobs.append(doc)
        out.append(doc)
    return out, plain_jobs


def label_one(doc: Document, release: str, declared: tuple = (), key: str = RELEASE_LABEL) -> tuple[bool, Document]:
    """(whether it changed, ``doc`` with every pod template labelled).  When the document's lines
    cannot be proven to be its structure, the result is checked as Kubernetes decodes it; a fast plan
    that missed is planned again from the parser's positions, and a second miss fails closed.  A plan
    made from the parser's positions is checked too (they are character positions turned into bytes)."""
    parsed: list = []
    edits = plan(doc, release, declared, parsed=parsed, key=key)
    out = doc.relabelled(apply(doc.raw, edits)) if edits else doc
    if not parsed and lines_are_structure(doc.raw, doc.body_start):
        return bool(edits), out
    problem = _misplaced(doc, out, release, declared, key)
    if problem is not None:
        edits = plan(doc, release, declared, fast=False, key=key)
        out = doc.relabelled(apply(doc.raw, edits)) if edits else doc
        problem = _misplaced(doc, out, release, declared, key)
        if problem is not None:
            raise VnpError(problem)
    return bool(edits), out


def _misplaced(doc: Document, out: Document, release: str, declared: tuple, key: str = RELEASE_LABEL):
    """``verify.misplaced`` of the labelled ``out``; a document that does not decode is reported on
    the chart's own bytes (its lines, not the labelled ones)."""
    try:
        return misplaced(out, release, declared, before=doc, key=key)
    except VnpError:
        if out is not doc:
            decoded(doc)  # the chart's own error, located in the chart's lines
            return Problem(f"{doc.describe()}: the label vnp added breaks the YAML; refused", file=doc.source,
                           line=doc.object_line)
        raise


def plan(doc: Document, release: str, declared: tuple = (), fast: bool = True, parsed: list | None = None,
         key: str = RELEASE_LABEL):
    """Edits that label every pod template of ``doc``: a core workload's one, or each place a
    registered or declared kind keeps its pods' labels (all planned on the same bytes, applied at once).
    ``fast=False``: from the parser's positions only; ``parsed`` gets an entry for each plan made that way."""
    path = POD_METADATA_PATH.get(doc.kind or "")
    if path is not None and is_workload(doc.kind, doc.api_version):
        return plan_path(doc, path, release, fast=fast, parsed=parsed, key=key)
    creator = creator_for(doc.api_version, doc.kind, declared)
    if creator is None:
        return []
    edits: list = []
    for found in sources_in(doc, creator):
        edits += plan_path(doc, found.metadata_path, release, found.source.create_from, fast, parsed, key)
    edits.sort(key=lambda e: e.offset)
    for a, b in zip(edits, edits[1:]):
        if a.offset + a.delete > b.offset or (a.offset == b.offset and (a.delete or b.delete)):
            raise VnpError(Problem(f"{doc.kind} {doc.name}: two of its pod templates share text (a YAML alias?): "
                                   "vnp cannot label them separately", file=doc.source, line=doc.object_line))
    return edits


def plan_path(doc: Document, path: tuple, release: str, create_from: int | None = None, fast: bool = True,
              parsed: list | None = None, key: str = RELEASE_LABEL):
    """Edits that set the label under ``path`` (indentation search first, line reader second, parser last)."""
    edits = ASK_PARSER
    if fast and doc.is_block_mapping and not has_unprintable(doc.raw) and all(isinstance(p, str) for p in path):
        if create_from is None or create_from >= len(path) - 1:
            edits = plan_by_indent.plan(doc, path, key, release)
        if edits is ASK_PARSER:
            edits = plan_by_lines.plan(doc.raw, doc.body_start, path, key, release, create_from)
    if edits is ASK_PARSER:
        from helm_vnp.stream.labelling import plan_by_parser
        if parsed is not None:
            parsed.append(path)
        edits = plan_by_parser.plan(doc, path, key, release, create_from)
    return edits or []
