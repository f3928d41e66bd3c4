"""Pod Security of the release's documents: which are checked, their violations, their exemptions.

The post-renderer's verdict (``pipeline.enforce_pod_security``) and the linter's
``pss.*`` rules (through ``Release.pod_security``) both read these, so they never
disagree.
"""
from __future__ import annotations

from fnmatch import fnmatchcase

from helm_vnp.k8s.podsecurity import evaluate_pod
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_pod_template, is_workload, pod_template
from helm_vnp.stream.document import Document


def checked_documents(docs: list[Document]) -> list[Document]:
    """The documents Pod Security admission checks: workloads and v1 PodTemplates."""
    return [d for d in docs if (d.kind in POD_METADATA_PATH and is_workload(d.kind, d.api_version))
            or is_pod_template(d.kind, d.api_version)]


def workload_violations(doc: Document, level: str, version: str) -> list:
    """The PSS violations (``helm_vnp.k8s.podsecurity.Violation``) of a workload's pod template.

    Raises VnpError when the document is not YAML; a workload without a pod
    template (malformed) has nothing to check.
    """
    template = pod_template(doc.obj, doc.kind)
    if template is None:
        return []
    return evaluate_pod(template.get("metadata") or {}, template.get("spec") or {}, level, version)


def exemption_for(doc: Document, exemptions: list[dict]) -> dict | None:
    """The first exemption matching the workload's kind and name (``*`` matches any run of characters)."""
    for entry in exemptions or ():
        if fnmatchcase(doc.kind or "", str(entry.get("kind", ""))) and \
                fnmatchcase(doc.name or "", str(entry.get("name", ""))):
            return entry
    return None
