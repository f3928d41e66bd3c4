"""Pod Security Standards at render time: the post-renderer's verdict and the shared workload evaluation.

vCluster's syncer silently never syncs a pod that violates the configured
standard (it stays Pending with an event).  The post-renderer moves that
verdict to the render: with ``policies.podSecurityStandard`` set, a violating
workload fails the render (``podSecurity.mode: enforce``) listing every
violation, or only warns (``mode: warn``).  Workloads matching an entry of
``podSecurity.exemptions`` (kind and name, ``*`` wildcards) are not checked.

``workload_violations`` and ``exemption_for`` are also what the linter's
``pss.*`` rules use, so the linter and the post-renderer never disagree.
"""
from __future__ import annotations

from helm_vnp.stream.document import Document


def workload_violations(doc: Document, level: str, version: str) -> list:
    """The PSS violations (``helm_vnp.k8s.podsecurity.Violation``) of a workload's pod template.

    Raises VnpError when the document is not YAML; a workload without a pod
    template (malformed) has nothing to check.
    """
    from helm_vnp.k8s.podsecurity import evaluate_pod
    from helm_vnp.k8s.workloads import pod_template

    template = pod_template(doc.obj, doc.kind)
    if template is None:
        return []
    return evaluate_pod(template.get("metadata") or {}, template.get("spec") or {}, level, version)


def exemption_for(doc: Document, exemptions: list[dict]) -> dict | None:
    """The first exemption matching the workload's kind and name (``*`` matches any run of characters)."""
    from fnmatch import fnmatchcase

    for entry in exemptions or ():
        if fnmatchcase(doc.kind or "", str(entry.get("kind", ""))) and \
                fnmatchcase(doc.name or "", str(entry.get("name", ""))):
            return entry
    return None


def describe(doc: Document, level: str, version: str, violations: list) -> str:
    """The API server's wording for a workload: ``Deployment web: would violate PodSecurity "restricted:latest": …``."""
    from helm_vnp.k8s.podsecurity.fields import go_quote

    parts = [f"{v.reason} ({v.detail})" if v.detail else v.reason for v in violations]
    return (f"{doc.kind} {doc.name or '<unnamed>'}: would violate PodSecurity "
            f"{go_quote(f'{level}:{version}')}: {', '.join(parts)}")


def enforce(workloads: list[Document], policies: dict) -> list[str]:
    """Check every workload against ``policies.podSecurityStandard``.

    Returns warnings (mode ``warn``); raises VnpError listing every violating
    workload (mode ``enforce``).  ``privileged`` or an unset standard checks nothing.
    """
    from helm_vnp.base.errors import Problem, VnpError

    level = policies.get("podSecurityStandard") or ""
    if level in ("", "privileged"):
        return []
    version = policies.get("podSecurityVersion") or "latest"
    security = policies.get("podSecurity") or {}
    mode = security.get("mode", "enforce")
    exemptions = security.get("exemptions") or []
    messages: list[tuple[Document, str]] = []
    for doc in workloads:
        if exemption_for(doc, exemptions) is not None:
            continue
        violations = workload_violations(doc, level, version)
        if violations:
            messages.append((doc, describe(doc, level, version, violations)))
    if not messages:
        return []
    if mode == "warn":
        return [text for _, text in messages]
    hint = ("fix the pod spec, exempt the workload under policies.podSecurity.exemptions, "
            "or set policies.podSecurity.mode: warn")
    raise VnpError([Problem(text, file=doc.source_file or None,
                            hint=hint if i == len(messages) - 1 else None)
                    for i, (doc, text) in enumerate(messages)])
