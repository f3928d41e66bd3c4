"""Fail closed on objects that make pods vnp cannot see into.

An object of a kind that is neither a core workload, nor in the registry
(``helm_vnp.k8s.pod_creators.REGISTRY``), nor declared in ``policies.workloadKinds``, but that
embeds a pod template (a ``containers`` list somewhere under its ``spec``), most likely makes
pods through an operator.  Those pods would get no release label (so the release's policies
neither isolate them nor let them reach the release) and no Pod Security check.  Likewise an
Argo Rollout whose ``spec.workloadRef`` names a Deployment that is not part of the release.
``policies.unknownWorkloads`` says what happens: ``error`` (the default) refuses the render,
``warn`` renders with a warning, ``ignore`` says nothing.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import record
from helm_vnp.k8s.kinds import BUILTIN, group_of
from helm_vnp.k8s.pod_creators import (
    NO_PODS_GROUPS,
    creator_for,
    embedded_containers,
    is_pod_creator,
    suggested_template_path,
    workload_ref,
)
from helm_vnp.release.warnings import RenderWarning
from helm_vnp.stream.document import Document

HINT = ("declare the kind under policies.workloadKinds (apiVersion, kind, and podTemplatePath or labelsPath) so "
        "vnp labels and checks its pods, or accept the risk with policies.unknownWorkloads: warn (or ignore)")


@record(frozen=True)
class Unknown:
    """One object whose pods vnp cannot see into, and why."""
    doc: Document
    message: str  # said of the object ("holds a pod template at ... but ...")
    hint: str


def unknown_workloads(docs: list[Document], declared: tuple = ()) -> list[Unknown]:
    """The objects of ``docs`` that make pods vnp can neither label nor check.  Raises VnpError
    (located) for such a candidate that does not parse."""
    out = []
    deployments = {d.name for d in docs if d.kind == "Deployment" and (d.api_version or "").startswith("apps/")}
    for doc in docs:
        kind, api_version = doc.kind, doc.api_version
        if not kind or doc.is_empty:
            continue
        creator = creator_for(api_version, kind, declared) if not is_known_builtin(api_version, kind) else None
        if creator is not None:
            if creator.kind == "Rollout" and creator.group == "argoproj.io" and b"workloadRef" in doc.raw:
                ref = _parsed(doc, workload_ref)
                if ref is not None and (ref[0] != "Deployment" or ref[1] not in deployments):
                    out.append(Unknown(doc, f"spec.workloadRef names {ref[0]} {ref[1]}, which is not a Deployment "
                                            "of this release: vnp cannot label the pods made from its template",
                                       "render the Deployment in the same release, or " + HINT.split(", or ", 1)[1]))
            continue
        if is_pod_creator(api_version, kind, declared) or is_known_builtin(api_version, kind) \
                or group_of(api_version) in NO_PODS_GROUPS or b"containers" not in doc.raw:
            continue
        path = _parsed(doc, embedded_containers)
        if path is None:
            continue
        group = group_of(api_version) or api_version or ""
        template = suggested_template_path(path)
        out.append(Unknown(doc, f"holds a pod template ({path}) but vnp does not know the kind {kind} "
                                f"({api_version}): the pods it makes would get no release label and no Pod "
                                "Security check, and the release's NetworkPolicies would neither isolate them "
                                "nor let them reach the release",
                           f"{HINT}; e.g. workloadKinds: [{{apiVersion: {group}/*, kind: {kind}, "
                           f"podTemplatePath: {template}}}]"))
    return out


def is_known_builtin(api_version: str | None, kind: str | None) -> bool:
    """A kind of a built-in API group (its pod templates, if any, are the core workloads'; no CRD can
    add kinds to those groups, and the API server refuses kinds it does not serve there)."""
    return group_of(api_version) in BUILTIN


def _parsed(doc: Document, read):
    try:
        return read(doc.obj)
    except VnpError as exc:
        raise doc.error_in(exc) from None


def refuse_unknown_workloads(docs: list[Document], mode: str, declared: tuple = ()) -> list[RenderWarning]:
    """Apply ``policies.unknownWorkloads``: raise VnpError naming every such object (``error``),
    or return one RenderWarning each (``warn``), or nothing (``ignore``)."""
    if mode == "ignore":
        return []
    found = unknown_workloads(docs, declared)
    if mode == "warn":
        return [RenderWarning(u.message + " (policies.unknownWorkloads: warn)", (u.doc,)) for u in found]
    if found:
        raise VnpError([Problem(f"{u.doc.describe()}: {u.message}", file=u.doc.source, line=u.doc.object_line,
                                hint=u.hint) for u in found])
    return []
