"""What the tenant rule groups share: reading a document as Kubernetes decodes it, the containers of its
pod specs, Capsule's allowed and forbidden lists, and dotted paths."""
from __future__ import annotations

import ipaddress
import re

from helm_vnp.base.errors import VnpError
from helm_vnp.stream.document import Document

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def view(doc: Document):
    """The document as Kubernetes decodes it (a duplicate key's last value, merge keys applied, aliases
    expanded), after the strict parse, which refuses duplicate keys, bad YAML and alias bombs, located: a
    value hidden by a YAML trick is either read as the API server reads it or the render fails."""
    from helm_vnp.stream.patching import kubernetes_object
    try:
        return kubernetes_object(doc)
    except VnpError as exc:
        raise doc.error_in(exc) from None


def dotted(path) -> str:
    """A concrete path as messages write it: ``spec.template.spec.containers[0].image``; a key that is not a
    plain word is bracketed and quoted (``metadata.labels["example.com/team"]``), as config paths are."""
    from helm_vnp.config.paths import join
    return join(path)


_TOKEN = re.compile(r'\["([^"]*)"\]|\[(\d+)\]|\.?([A-Za-z0-9_-]+)')


def field_line(doc: Document, path: str) -> int | None:
    """The stream line of the dotted ``path`` in ``doc`` (the deepest part of it the document writes: a missing
    ``resources.requests`` points at the container), or None when the parser cannot follow it (an alias, a merge
    key); only asked for documents with a violation."""
    from helm_vnp.base.yamlload import compose
    try:
        node = compose(doc.raw.decode("utf-8"), doc.source, doc.line)
    except Exception:
        return None
    best = node
    for m in _TOKEN.finditer(path):
        key, index, plain = m.groups()
        child = None
        if index is not None and getattr(node, "id", "") == "sequence":
            i = int(index)
            child = node.value[i] if i < len(node.value) else None
        elif index is None and getattr(node, "id", "") == "mapping":
            want = key if key is not None else plain
            child = next((v for k, v in reversed(node.value) if getattr(k, "value", None) == want), None)
        if child is None:
            break
        node = best = child
    mark = getattr(best, "start_mark", None)
    return None if mark is None else doc.line + mark.line


def pod_spec_paths(doc: Document, obj, declared: tuple) -> list[tuple]:
    """The paths of the Kubernetes PodSpecs ``doc`` holds: the walker the mutations use
    (``release.mutations.pod_specs``: core workloads, v1 PodTemplates, registered and declared kinds).  A kind
    whose template spec is not a PodSpec (a KubeVirt VM) has none.  Errors are located at the document."""
    from helm_vnp.release.mutations import pod_specs
    try:
        specs, _ = pod_specs(doc, obj, declared)
    except VnpError as exc:
        raise doc.error_in(exc) from None
    return [path for path, is_pod_spec in specs if is_pod_spec]


def checked(docs: list[Document], declared: tuple) -> list[Document]:
    """The documents whose pod specs are checked: the ones Pod Security checks (every pod-creating object vnp
    knows, declared kinds included, and v1 PodTemplates)."""
    from helm_vnp.release.podsecurity import checked_documents
    return checked_documents(docs, declared)


OPERATOR = "operator"  # the list name of what an operator's kind says of its pods' containers (see containers)


def containers(doc: Document, obj, declared: tuple):
    """(path, list name, container) of every container of every pod spec of ``doc``, in document order.

    A kind whose operator builds the pod itself (prometheus-operator's Prometheus, Alertmanager, ...: no PodSpec)
    states its main container's image at ``spec.image`` (with ``spec.imagePullPolicy``) and containers merged
    into the pod by name (``spec.containers``, ``spec.initContainers``): those come with the list name
    ``OPERATOR`` (a merged entry may leave the image to the operator)."""
    from helm_vnp.base.tree import value_at
    for spec_path in pod_spec_paths(doc, obj, declared):
        spec = value_at(obj, spec_path)
        if not isinstance(spec, dict):
            continue
        for name in CONTAINER_LISTS:
            items = spec.get(name)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    yield spec_path + (name, i), name, item
    yield from _operator_containers(doc, obj, declared)


def _operator_containers(doc: Document, obj, declared: tuple):
    from helm_vnp.k8s.pod_creators import creator_for
    creator = creator_for(doc.api_version, doc.kind, declared)
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if creator is None or not isinstance(spec, dict) or not any(s.quota == "resources" for s in creator.sources):
        return
    if isinstance(spec.get("image"), str):
        main = {"image": spec["image"]}  # nameless: the main container
        if "imagePullPolicy" in spec:
            main["imagePullPolicy"] = spec["imagePullPolicy"]
        yield ("spec",), OPERATOR, main
    for name in ("initContainers", "containers"):
        items = spec.get(name)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            yield ("spec", name, i), OPERATOR, item


def pod_metadata_paths(doc: Document, obj, declared: tuple) -> list[tuple]:
    """The paths of the pod templates' ``metadata`` mappings (beside each PodSpec)."""
    return [path[:-1] + ("metadata",) for path in pod_spec_paths(doc, obj, declared)]


def regex(pattern: str):
    """The compiled pattern (validated by the schema; "" matches nothing): one cache with the classes group."""
    from helm_vnp.config.allowlist import compiled
    return compiled(pattern) if pattern else None


def allowed(value: str, spec: dict, fold: bool = False) -> bool:
    """Capsule's AllowedListSpec: one of ``allowed`` or matching ``allowedRegex`` (anywhere in the value, as Go's
    regexp.MatchString); ``fold``: compare exact values ignoring case (hostnames).  The classes group's matcher."""
    from helm_vnp.config.allowlist import listed
    return listed(spec, value, fold)


def forbidden(key: str, spec: dict) -> bool:
    """Capsule's ForbiddenListSpec: one of ``denied`` or matching ``deniedRegex``."""
    from helm_vnp.config.allowlist import listed
    return listed({"allowed": spec.get("denied"), "allowedRegex": spec.get("deniedRegex")}, key)


def describe_allowed(spec: dict) -> str:
    """``allowed: a, b; allowedRegex: ^x`` for messages (``nothing is allowed`` when both are empty)."""
    return _list_text(spec, "allowed") or "nothing is allowed"


def describe_denied(spec: dict) -> str:
    """``denied: a, b; deniedRegex: ^x`` for messages."""
    return _list_text(spec, "denied")


def _list_text(spec: dict, key: str) -> str:
    parts = []
    if spec.get(key):
        parts.append(f"{key}: " + ", ".join(str(x) for x in spec[key]))
    if spec.get(key + "Regex"):
        parts.append(f"{key}Regex: {spec[key + 'Regex']}")
    return "; ".join(parts)


def networks(cidrs) -> list:
    return [ipaddress.ip_network(str(c), strict=False) for c in cidrs or ()]


def inside(net, allowed_networks: list) -> bool:
    """Whether the network (or address) ``net`` lies inside one of ``allowed_networks``."""
    if not isinstance(net, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        net = ipaddress.ip_network(net)
    return any(a.version == net.version and net.subnet_of(a) for a in allowed_networks)


def text(value) -> str | None:
    """A scalar field as Kubernetes reads a string field: str values only (anything else: None)."""
    return value if isinstance(value, str) else None


__all__ = ["CONTAINER_LISTS", "allowed", "checked", "containers", "describe_allowed", "describe_denied", "dotted",
           "forbidden", "inside", "networks", "pod_metadata_paths", "field_line", "pod_spec_paths", "text", "view"]
