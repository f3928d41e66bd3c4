"""Pod Security of the release's documents: which are checked, their violations, their exemptions.

The post-renderer's verdict (``pipeline.enforce_pod_security``) and the linter's
``pss.*`` rules (through ``Release.pod_security``) both read these, so they never
disagree.
"""
from __future__ import annotations

from fnmatch import fnmatchcase

from helm_vnp.k8s.pod_creators import creator_for, is_pod_creator
from helm_vnp.k8s.podsecurity import evaluate_pod
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_pod_template, is_workload, pod_template
from helm_vnp.stream.document import Document
from helm_vnp.stream.pod_sources import sources_in


def checked_documents(docs: list[Document], declared: tuple = ()) -> list[Document]:
    """The documents Pod Security is checked on: workloads (core, registered, ``declared``) and v1
    PodTemplates.  Admission checks only pods and the core kinds; vnp checks the pod specs the other
    kinds hold before their controllers make pods of them."""
    return [d for d in docs
            if is_pod_creator(d.api_version, d.kind, declared) or is_pod_template(d.kind, d.api_version)]


def workload_violations(doc: Document, level: str, version: str, declared: tuple = ()) -> list:
    """The PSS violations (``helm_vnp.k8s.podsecurity.Violation``) of a workload's pod templates.

    Raises VnpError when the document is not YAML (or a template is not a mapping); a workload
    without a pod template (malformed) has nothing to check.  A kind without a PodSpec (a
    Deckhouse VM, prometheus-operator's kinds) has nothing vnp can check.
    """
    if is_pod_template(doc.kind, doc.api_version) or (doc.kind in POD_METADATA_PATH
                                                       and is_workload(doc.kind, doc.api_version)):
        template = pod_template(doc.obj, doc.kind)
        if template is None:
            return []
        return evaluate_pod(template.get("metadata") or {}, template.get("spec") or {}, level, version)
    creator = creator_for(doc.api_version, doc.kind, declared)
    found = []
    for source in sources_in(doc, creator) if creator is not None else ():
        if source.spec is not None:
            meta = source.node.get("metadata") if isinstance(source.node, dict) else None
            for v in evaluate_pod(meta if isinstance(meta, dict) else {}, source.spec, level, version):
                if v not in found:
                    found.append(v)
    return found


def exemption_for(doc: Document, exemptions: list[dict]) -> dict | None:
    """The first exemption matching the workload's kind and name (``*`` matches any run of characters)."""
    for entry in exemptions or ():
        if fnmatchcase(doc.kind or "", str(entry.get("kind", ""))) and \
                fnmatchcase(doc.name or "", str(entry.get("name", ""))):
            return entry
    return None
