"""Which documents render pods, and where their pod template's labels live."""
from __future__ import annotations

# kind -> path to the pod template's metadata (the mapping that holds ``labels``)
POD_METADATA_PATH: dict[str, tuple[str, ...]] = {
    "Pod": ("metadata",),
    "Deployment": ("spec", "template", "metadata"),
    "StatefulSet": ("spec", "template", "metadata"),
    "DaemonSet": ("spec", "template", "metadata"),
    "ReplicaSet": ("spec", "template", "metadata"),
    "ReplicationController": ("spec", "template", "metadata"),
    "Job": ("spec", "template", "metadata"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "metadata"),
}

# API groups in which those kinds are the core workload kinds (a CR that happens to
# be called "Deployment" in another group is left alone).
WORKLOAD_GROUPS: dict[str, frozenset[str]] = {
    "Pod": frozenset({"v1"}),
    "ReplicationController": frozenset({"v1"}),
    "Deployment": frozenset({"apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"}),
    "StatefulSet": frozenset({"apps/v1", "apps/v1beta1", "apps/v1beta2"}),
    "DaemonSet": frozenset({"apps/v1", "apps/v1beta2", "extensions/v1beta1"}),
    "ReplicaSet": frozenset({"apps/v1", "apps/v1beta2", "extensions/v1beta1"}),
    "Job": frozenset({"batch/v1"}),
    "CronJob": frozenset({"batch/v1", "batch/v1beta1", "batch/v2alpha1"}),
}


# A v1 PodTemplate holds a pod template but creates no pods: Pod Security checks it (the API server
# warns about it), nothing labels it.
POD_TEMPLATE_KIND = "PodTemplate"


def is_pod_template(kind: str | None, api_version: str | None) -> bool:
    return kind == POD_TEMPLATE_KIND and api_version == "v1"


def is_workload(kind: str | None, api_version: str | None) -> bool:
    groups = WORKLOAD_GROUPS.get(kind or "")
    return groups is not None and (api_version or "") in groups


def pod_template(obj: dict, kind: str) -> dict | None:
    """The pod template (a dict with ``metadata`` and ``spec``) of a parsed workload, or None."""
    if not isinstance(obj, dict):
        return None
    if kind == "Pod":
        return obj
    if kind == POD_TEMPLATE_KIND:
        template = obj.get("template")
        return template if isinstance(template, dict) else None
    node = obj
    for key in POD_METADATA_PATH[kind][:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    return node if isinstance(node, dict) else None


def selector_of(obj: dict, kind: str) -> dict | None:
    """The label selector that picks exactly this workload's pods, or None.

    Controllers have ``spec.selector`` (ReplicationController's is a plain map);
    Jobs, CronJobs and bare Pods have none we can name before they exist, so
    their pod template's labels stand in for one.
    """
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet") and isinstance(spec, dict):
        sel = spec.get("selector")
        if isinstance(sel, dict) and (sel.get("matchLabels") or sel.get("matchExpressions")):
            return {k: sel[k] for k in ("matchLabels", "matchExpressions") if sel.get(k)}
    if kind == "ReplicationController" and isinstance(spec, dict):
        sel = spec.get("selector")
        if isinstance(sel, dict) and sel:
            return {"matchLabels": {str(k): str(v) for k, v in sel.items()}}
    template = pod_template(obj, kind)
    meta = template.get("metadata") if isinstance(template, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if isinstance(labels, dict) and labels:
        return {"matchLabels": {str(k): "" if v is None else str(v) for k, v in labels.items()}}
    return None
