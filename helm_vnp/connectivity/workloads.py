"""The engine's nodes: workloads (every pod-creating object, or a bare Pod) and the namespaces they live in.

All pods of one workload share its pod template (labels, container ports), so NetworkPolicies treat them
alike: the workload is the unit, as in netpol-analyzer (``ns/name[Kind]``).  A namespace without a
Namespace manifest carries only the label the API server sets on every namespace,
``kubernetes.io/metadata.name``; a manifest's labels are added to it (and cannot override it).
"""
from __future__ import annotations

from typing import Iterable, Mapping

from helm_vnp.base.record import field, record

NS_NAME_LABEL = "kubernetes.io/metadata.name"


@record(frozen=True)
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
    """The release's workloads (see ``from_templates``)."""
    return from_templates(release.pods)


def _controller(obj: dict) -> tuple[str, str] | None:
    """(kind, name) of the object's controlling owner (``ownerReferences`` entry with ``controller: true``)."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    refs = meta.get("ownerReferences")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("controller") is True and ref.get("kind") and ref.get("name"):
            return str(ref["kind"]), str(ref["name"])
    return None


def from_templates(templates) -> list[Workload]:
    """One workload per pod template (``release.model.PodTemplate``): a custom kind with several templates
    gives one per place, named ``name(place)``.

    Pods exported from a live cluster (``kubectl get pods -o yaml``) are grouped by their controlling owner,
    as netpol-analyzer groups them: ``ns/owner[OwnerKind]`` (a ReplicaSet, a Job, ...), and the owner
    objects they stand for (that ReplicaSet, its Deployment) are not counted again from their templates.  A
    static pod (owned by a Node) or a pod with no controller is its own ``[Pod]`` workload.  Pods of one
    owner that differ in labels, named ports or host networking (a StatefulSet's pods carry their own
    ``statefulset.kubernetes.io/pod-name``) are one workload per variant, named ``owner(first pod)``, so no
    policy result is merged across pods it tells apart.
    """
    templates = list(templates)
    owners = {}  # (namespace, kind, name) -> its controller (kind, name)
    for ps in templates:
        ref = _controller(ps.owner.obj)
        if ref is not None:
            owners[(ps.owner.namespace, ps.owner.kind, ps.owner.name)] = ref
    pod_owner = {}  # id(template) -> the owner key a live pod is grouped under
    represented = set()
    for ps in templates:
        o = ps.owner
        if o.kind != "Pod" or ps.where:
            continue
        ref = _controller(o.obj)
        if ref is None or ref[0] == "Node":
            continue
        pod_owner[id(ps)] = key = (o.namespace, *ref)
        while key is not None and key not in represented:
            represented.add(key)
            up = owners.get(key)
            key = (o.namespace, *up) if up is not None else None
    groups: dict[tuple, list] = {}
    for ps in templates:
        o = ps.owner
        key = pod_owner.get(id(ps))
        if key is None:
            if o.kind != "Pod" and (o.namespace, o.kind, o.name) in represented:
                continue  # its pods are in the input: they stand for it
            key = (o.namespace, o.kind, o.name + (f"({ps.where})" if ps.where else ""))
        groups.setdefault(key, []).append(ps)
    out = []
    for (namespace, kind, name), members in groups.items():
        variants: dict[tuple, list] = {}
        for ps in members:
            ports = named_ports(ps.spec)
            signature = (tuple(sorted(ps.labels.items())), tuple(sorted(ports.items())), ps.host_network)
            variants.setdefault(signature, []).append((ps, ports))
        for found in variants.values():
            ps, ports = found[0]
            shown = name
            if len(variants) > 1:
                shown = f"{name}({min(p.owner.name for p, _ in found)})"
            out.append(Workload(namespace, shown, kind, dict(ps.labels), ports, ps.host_network))
    return out
