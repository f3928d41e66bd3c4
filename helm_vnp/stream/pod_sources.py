"""Where a document keeps its pods (``k8s.pod_creators.find_sources`` of its parsed object), with any error located
at the object: what labelling edits, and what Pod Security and lint read, without loading the labelling planners."""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.k8s.pod_creators import find_sources
from helm_vnp.stream.document import Document


def sources_in(doc: Document, creator) -> list:
    """``k8s.pod_creators.find_sources`` of the document, its errors located at the object."""
    try:
        return find_sources(doc.obj, creator)
    except VnpError as exc:
        raise VnpError([Problem(**{**p.as_dict(), "file": doc.source, "line": doc.object_line})
                        for p in exc.problems]) from None
