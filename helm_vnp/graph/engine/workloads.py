"""The engine's nodes: workloads (every pod-creating object, or a bare Pod) and the namespaces they live in.

All pods of one workload share its pod template (labels, container ports), so NetworkPolicies treat them
alike: the workload is the unit, as in netpol-analyzer (``ns/name[Kind]``).  A namespace without a
Namespace manifest carries only the label the API server sets on every namespace,
``kubernetes.io/metadata.name``; a manifest's labels are added to it (and cannot override it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

NS_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Workload:
    namespace: str
    name: str
    kind: str
    labels: Mapping = field(default_factory=dict, hash=False, compare=False)
    ports: Mapping = field(default_factory=dict, hash=False, compare=False)  # named port -> (number, protocol)
    host_network: bool = field(default=False, compare=False)

    @property
    def key(self) -> str:
        """``ns/name[Kind]``, the name netpol-analyzer prints."""
        return f"{self.namespace}/{self.name}[{self.kind}]"


def named_ports(spec) -> dict:
    """Named container ports of a pod spec: containers, then sidecars (init containers that keep running,
    ``restartPolicy: Always``), first name wins as the API server requires names to be unique."""
    out: dict = {}
    if not isinstance(spec, dict):
        return out
    def listed(key: str) -> list:
        value = spec.get(key)
        return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []

    containers = listed("containers") + [c for c in listed("initContainers") if c.get("restartPolicy") == "Always"]
    for c in containers:
        for p in c.get("ports") if isinstance(c.get("ports"), list) else []:
            if isinstance(p, dict) and p.get("name") and isinstance(p.get("containerPort"), int) \
                    and not isinstance(p.get("containerPort"), bool):
                out.setdefault(str(p["name"]), (p["containerPort"], str(p.get("protocol") or "TCP")))
    return out


def namespace_labels(objects: Iterable[dict], names: Iterable[str]) -> dict[str, dict]:
    """name -> labels for every namespace of ``names`` and every Namespace manifest in ``objects``."""
    out = {str(n): {NS_NAME_LABEL: str(n)} for n in names}
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") != "Namespace" or obj.get("apiVersion") != "v1":
            continue
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = str(meta.get("name") or "")
        if not name:
            continue
        labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
        out[name] = {**{str(k): "" if v is None else str(v) for k, v in labels.items()}, NS_NAME_LABEL: name}
    return out


def from_release(release) -> list[Workload]:
    """The release's workloads: one per pod template of ``Release.pods`` (a custom kind with several
    templates gives one per place, named ``name(place)``)."""
    out = []
    for ps in release.pods:
        o = ps.owner
        name = o.name + (f"({ps.where})" if ps.where else "")
        out.append(Workload(o.namespace, name, o.kind, dict(ps.labels), named_ports(ps.spec), ps.host_network))
    return out
