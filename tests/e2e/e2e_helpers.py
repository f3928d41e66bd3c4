"""Reading Helm output in the e2e tests: independent of vnp's own stream code on purpose."""
from __future__ import annotations

import re

POD_KINDS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
KUBE_VERSIONS = ("1.30", "1.37")


def load_all(data: bytes) -> list[dict]:
    from ruamel.yaml import YAML

    return [d for d in YAML(typ="safe", pure=True).load_all(data.decode("utf-8")) if d is not None]


def sources(data: bytes) -> list[str]:
    """The `# Source:` file of each document, in order."""
    return re.findall(r"^# Source: (.+)$", data.decode("utf-8"), flags=re.M)


def by_source(data: bytes) -> dict[str, list[str]]:
    """`# Source:` file -> the documents' text filed under it."""
    out: dict[str, list[str]] = {}
    for part in re.split(r"^---\s*$", data.decode("utf-8"), flags=re.M):
        m = re.search(r"^# Source: (.+)$", part, flags=re.M)
        if m:
            out.setdefault(m.group(1), []).append(part)
    return out


def pod_metadata(obj: dict) -> dict | None:
    """The pod template's metadata (a bare Pod's own), or None when the object has no pod template."""
    kind = obj.get("kind")
    if kind not in POD_KINDS:
        return None
    if kind == "Pod":
        return obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return ((spec.get("template") or {}).get("metadata")) or {}


def key(obj: dict) -> tuple:
    return obj.get("kind"), (obj.get("metadata") or {}).get("name")


def without_label(obj: dict, label: str) -> dict:
    """A deep copy of OBJ without LABEL on its pod template, dropping the `labels:`/`metadata:`
    mappings the label alone filled (vnp creates them when a template has none)."""
    import copy

    obj = copy.deepcopy(obj)
    meta = pod_metadata(obj)
    if meta is None or label not in (meta.get("labels") or {}):
        return obj
    del meta["labels"][label]
    if not meta["labels"]:
        del meta["labels"]
    if not meta and obj["kind"] != "Pod":
        spec = obj["spec"] if obj["kind"] != "CronJob" else obj["spec"]["jobTemplate"]["spec"]
        del spec["template"]["metadata"]
    return obj


def kube_validate(obj: dict) -> None:
    """Strict validation against each Kubernetes OpenAPI schema version in KUBE_VERSIONS."""
    import kubernetes_validate

    for version in KUBE_VERSIONS:
        kubernetes_validate.validate(obj, version, strict=True)
