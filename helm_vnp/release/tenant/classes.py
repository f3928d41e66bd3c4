"""``policies.tenant.classes``: the runtime, priority, storage, ingress and gateway classes a release may use,
and the defaults it gets (Capsule's Tenant ``runtimeClasses``, ``priorityClasses``, ``storageClasses``,
``ingressOptions.allowedClasses``, ``gatewayOptions.allowedClasses``), at render time.

Where each class is read (the object as Kubernetes decodes it):

- ``runtimeClassName`` and ``priorityClassName`` of every pod spec of every pod-creating object vnp knows (core
  workloads, a v1 PodTemplate, the registered and the declared ``workloadKinds``: ``mutations.pod_specs``); a
  KubeVirt VM's spec is no PodSpec (it has a ``priorityClassName``, no ``runtimeClassName``); a kind whose pods
  its controller makes from no template in the object cannot be checked (a ``Note``);
- ``storageClassName`` of a PersistentVolumeClaim, of each StatefulSet ``volumeClaimTemplates`` entry and of each
  generic ephemeral volume's ``volumeClaimTemplate`` in every pod spec; the legacy
  ``volume.beta.kubernetes.io/storage-class`` annotation of the claim is its class too (Kubernetes' volume
  controller reads it before the field); ``""`` (no dynamic provisioning) is an explicit value;
- an Ingress's ``spec.ingressClassName``, else its deprecated ``kubernetes.io/ingress.class`` annotation (both are
  checked when both are set; the API server refuses that anyway);
- a Gateway's ``spec.gatewayClassName``.

A ``default`` is injected only where the field is unset (absent or null; ``""`` too where Kubernetes reads it as
unset: runtime, priority, ingress) and no legacy annotation names the class: a minimal text edit through
``stream.patching``, as ``mutations`` does (anchors, merge keys or duplicate keys on the path fail closed).
``policies.nodeIsolation`` runs first: a class it sets wins over the tenant default (and the config checks that
it is allowed).  With an allow list, a claim or Ingress naming no class is a violation (as in Capsule: the
cluster's default class cannot be vouched for at render time); a pod without runtime or priority class is not.
Capsule's label selectors (``matchLabels``) need the cluster's class objects: not available at render time.
"""
from __future__ import annotations

import copy

from helm_vnp.base.errors import VnpError
from helm_vnp.base.text import brief_json
from helm_vnp.base.tree import value_at
from helm_vnp.config.allowlist import allows, describe, has_allow_list
from helm_vnp.k8s.ingress import CLASS_ANNOTATION as INGRESS_ANNOTATION
from helm_vnp.k8s.pod_creators import is_pod_creator
from helm_vnp.k8s.workloads import is_pod_template
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import dotted, view
from helm_vnp.stream.document import Document

KEY = "classes"
CONFIG_PATH = "policies.tenant.classes"
STORAGE_ANNOTATION = "volume.beta.kubernetes.io/storage-class"

# config key -> (rule, field, what the class is called in messages)
GROUPS = {
    "runtimeClasses": ("tenant.runtimeClass", "runtimeClassName", "RuntimeClass"),
    "priorityClasses": ("tenant.priorityClass", "priorityClassName", "PriorityClass"),
    "storageClasses": ("tenant.storageClass", "storageClassName", "StorageClass"),
    "ingressClasses": ("tenant.ingressClass", "ingressClassName", "IngressClass"),
    "gatewayClasses": ("tenant.gatewayClass", "gatewayClassName", "GatewayClass"),
}
# where no class at all is a violation when the list restricts names (the cluster's default would decide)
NEEDS_A_CLASS = frozenset({"storageClasses", "ingressClasses", "gatewayClasses"})
# where "" is a class of its own (no dynamic provisioning), not "unset"
EMPTY_IS_A_VALUE = frozenset({"storageClasses"})
INGRESS_GROUPS = frozenset({"networking.k8s.io", "extensions"})


def _doc(what: str, why: str, fix: str, example: str) -> str:
    return f"**What.** {what}\n\n**Why.** {why}\n\n**Fix.** {fix}\n\n**Example.**\n\n```yaml\n{example}```\n"


RULES = (
    TenantRule("tenant.runtimeClass", "a pod spec names a RuntimeClass the tenant does not allow", _doc(
        "Every pod spec of every pod-creating object (Deployments, CronJobs, registered and declared "
        "`workloadKinds`) must name a `runtimeClassName` allowed by `policies.tenant.classes.runtimeClasses` "
        "(`allowed` names, or `allowedRegex`, matched anywhere unless anchored). Unset is allowed; the list's "
        "`default` is injected there (after `policies.nodeIsolation`, whose class wins).",
        "The runtime class decides the sandbox a pod runs in (runc, gVisor, Kata): a tenant that picks a "
        "weaker one, or one meant for another tenant, escapes the platform's isolation. Capsule's Tenant "
        "`runtimeClasses` refuses such pods at admission; vnp refuses the release before anything is created.",
        "Drop the chart's `runtimeClassName` (the default is injected) or set an allowed one.",
        "policies:\n  tenant:\n    classes:\n      runtimeClasses: {allowed: [gvisor], default: gvisor}\n"
        "# refused: spec.template.spec.runtimeClassName: runc\n")),
    TenantRule("tenant.priorityClass", "a pod spec names a PriorityClass the tenant does not allow", _doc(
        "Every pod spec (a KubeVirt VM's too) must name a `priorityClassName` allowed by "
        "`policies.tenant.classes.priorityClasses`. Unset is allowed (the cluster's globalDefault class "
        "applies); the list's `default` is injected there, unless `policies.nodeIsolation.priorityClassName` "
        "set one first (which must itself be allowed).",
        "A high priority class lets a tenant's pods preempt other tenants' pods and the platform's. Capsule's "
        "`priorityClasses` refuses them at admission.",
        "Drop the chart's `priorityClassName` or set an allowed one.",
        "policies:\n  tenant:\n    classes:\n      priorityClasses: {allowedRegex: \"^tenant-\", default: tenant-low}\n"
        "# refused: spec.template.spec.priorityClassName: system-cluster-critical\n")),
    TenantRule("tenant.storageClass", "a claim names a StorageClass the tenant does not allow, or none", _doc(
        "Every PersistentVolumeClaim, StatefulSet `volumeClaimTemplates` entry and generic ephemeral volume "
        "(`volumes[].ephemeral.volumeClaimTemplate`) must name a `storageClassName` allowed by "
        "`policies.tenant.classes.storageClasses`; the legacy `volume.beta.kubernetes.io/storage-class` "
        "annotation counts as the class. `\"\"` (no dynamic provisioning) is an explicit value, allowed only when "
        "listed. With an allow list a claim naming no class is refused (the cluster's default StorageClass cannot "
        "be checked at render time) unless the list's `default` is injected there.",
        "Storage classes differ in cost, replication, encryption and where the data lives; Capsule's "
        "`storageClasses` holds a tenant to its own.",
        "Set an allowed `storageClassName` in the chart's values, or configure a `default`.",
        "policies:\n  tenant:\n    classes:\n      storageClasses: {allowed: [standard, fast], default: standard}\n"
        "# refused: spec.volumeClaimTemplates[0].spec.storageClassName: premium\n")),
    TenantRule("tenant.ingressClass", "an Ingress uses an IngressClass the tenant does not allow, or none", _doc(
        "Every Ingress must use a class allowed by `policies.tenant.classes.ingressClasses`: "
        "`spec.ingressClassName`, else the deprecated `kubernetes.io/ingress.class` annotation (an Ingress that "
        "sets the annotation uses that class; both are checked when both are set). With an allow list an "
        "Ingress naming no class is refused, as Capsule does, unless the `default` is injected "
        "(`spec.ingressClassName`, only when the annotation is absent too: the API server refuses both).",
        "The class picks the controller that serves the Ingress: another tenant's, or the platform's "
        "internal one, would expose the tenant's Services where they must not be.",
        "Set an allowed `ingressClassName` (and drop the annotation), or configure a `default`.",
        "policies:\n  tenant:\n    classes:\n      ingressClasses: {allowed: [public], default: public}\n"
        "# refused: metadata.annotations[\"kubernetes.io/ingress.class\"]: internal\n")),
    TenantRule("tenant.gatewayClass", "a Gateway names a GatewayClass the tenant does not allow", _doc(
        "Every Gateway (`gateway.networking.k8s.io`) must name a `spec.gatewayClassName` allowed by "
        "`policies.tenant.classes.gatewayClasses`. The field is required by the Gateway API: there is no "
        "default.",
        "The class picks the implementation (and often the load balancer and network) that serves the "
        "Gateway's listeners; Capsule's `gatewayOptions.allowedClasses` holds a tenant to its own.",
        "Name an allowed GatewayClass, or attach routes to a Gateway the platform provides.",
        "policies:\n  tenant:\n    classes:\n      gatewayClasses: {allowed: [tenant-gw]}\n"
        "# refused: spec.gatewayClassName: platform-internal\n")),
)


class _Site:
    """One place a class is named: the mapping at ``parent`` holds ``field``; ``annotations`` (or None) is the
    path of the metadata annotations whose legacy key names the class too."""

    __slots__ = ("key", "parent", "annotations")

    def __init__(self, key: str, parent: tuple, annotations: tuple | None = None):
        self.key, self.parent, self.annotations = key, parent, annotations

    @property
    def field(self) -> str:
        return GROUPS[self.key][1]

    @property
    def legacy(self) -> str:
        return INGRESS_ANNOTATION if self.key == "ingressClasses" else STORAGE_ANNOTATION

    def values(self, obj) -> list[tuple[str, object]]:
        """(dotted path, value) of each explicit class here: the field, then the legacy annotation."""
        out = []
        parent = value_at(obj, self.parent)
        if isinstance(parent, dict) and self.field in parent and _set(self.key, parent[self.field]):
            out.append((dotted(self.parent + (self.field,)), parent[self.field]))
        ann = value_at(obj, self.annotations) if self.annotations else None
        if isinstance(ann, dict) and self.legacy in ann:
            out.append((dotted(self.annotations + (self.legacy,)), ann[self.legacy]))
        return out

    def open_for_default(self, obj) -> dict | None:
        """The mapping to write the default into; None when the class is named (field or annotation)."""
        parent = value_at(obj, self.parent)
        if not isinstance(parent, dict) or (self.field in parent and _set(self.key, parent[self.field])):
            return None
        ann = value_at(obj, self.annotations) if self.annotations else None
        return None if isinstance(ann, dict) and self.legacy in ann else parent


def _set(key: str, value) -> bool:
    """Whether a field's value names a class as Kubernetes decodes it (null: unset; "" unset but for storage)."""
    return value is not None and (value != "" or key in EMPTY_IS_A_VALUE)


def _what(doc: Document, declared: tuple) -> str | None:
    """What ``doc`` is for this group (read without parsing it): "claim", "ingress", "gateway", "pods" or None."""
    kind, version = doc.kind, doc.api_version or ""
    group = version.rsplit("/", 1)[0] if "/" in version else ""
    if kind == "PersistentVolumeClaim" and version == "v1":
        return "claim"
    if kind == "Ingress" and group in INGRESS_GROUPS:
        return "ingress"
    if kind == "Gateway" and group == "gateway.networking.k8s.io":
        return "gateway"
    pods = is_pod_creator(doc.api_version, kind, declared) or is_pod_template(kind, doc.api_version)
    return "pods" if pods else None


def relevant(doc: Document, declared: tuple) -> bool:
    """Whether ``doc`` may name a class (read without parsing it)."""
    return not doc.is_empty and _what(doc, declared) is not None


def _sites(doc: Document, obj: dict, config: dict, declared: tuple) -> tuple[list[_Site], list[tuple]]:
    """(the places in ``obj`` that name a configured class, (key, path, why) of those vnp cannot reach)."""
    from helm_vnp.release.mutations import pod_specs
    kind, what = doc.kind, _what(doc, declared)
    sites: list[_Site] = []
    unreachable: list[tuple] = []
    if what == "claim":
        sites.append(_Site("storageClasses", ("spec",), ("metadata", "annotations")))
    elif what == "ingress":
        sites.append(_Site("ingressClasses", ("spec",), ("metadata", "annotations")))
    elif what == "gateway":
        sites.append(_Site("gatewayClasses", ("spec",)))
    elif what == "pods":
        specs, none = pod_specs(doc, obj, declared)
        for where in none:
            for key in ("runtimeClasses", "priorityClasses", "storageClasses"):
                unreachable.append((key, where, f"{kind} has no pod spec at {where} (its controller makes the "
                                                "pods and their volumes): vnp cannot check or set their {}"))
        for path, is_pod_spec in specs:
            shown = dotted(path)
            if is_pod_spec:
                sites.append(_Site("runtimeClasses", path))
            else:
                unreachable.append(("runtimeClasses", shown, f"{shown} is not a PodSpec ({kind}): vnp cannot check "
                                                             "or set its {} (the controller's)"))
            sites.append(_Site("priorityClasses", path))
            if not is_pod_spec:
                unreachable.append(("storageClasses", shown, f"{shown} is not a PodSpec ({kind}): vnp cannot check "
                                                             "or set its {} (the controller's)"))
                continue
            volumes = value_at(obj, path + ("volumes",))
            for i, vol in enumerate(volumes if isinstance(volumes, list) else ()):
                template = value_at(vol, ("ephemeral", "volumeClaimTemplate"))
                if isinstance(template, dict):
                    at = path + ("volumes", i, "ephemeral", "volumeClaimTemplate")
                    sites.append(_Site("storageClasses", at + ("spec",), at + ("metadata", "annotations")))
        if kind == "StatefulSet":
            claims = value_at(obj, ("spec", "volumeClaimTemplates"))
            for i, claim in enumerate(claims if isinstance(claims, list) else ()):
                if isinstance(claim, dict):
                    at = ("spec", "volumeClaimTemplates", i)
                    sites.append(_Site("storageClasses", at + ("spec",), at + ("metadata", "annotations")))
    return [s for s in sites if s.key in config], [u for u in unreachable if u[0] in config]


def check(docs: list[Document], config: dict, declared: tuple) -> list[Violation]:
    """Every class the documents name that ``config`` (``policies.tenant.classes``) does not allow, and every
    claim, Ingress or Gateway naming none where an allow list says which; in document order."""
    out: list[Violation] = []
    if not any(has_allow_list(config.get(k)) for k in GROUPS):
        return out
    for doc in docs:
        if not relevant(doc, declared):
            continue
        obj = view(doc)
        if not isinstance(obj, dict):
            continue
        try:
            sites, _ = _sites(doc, obj, config, declared)
        except VnpError as exc:
            raise doc.error_in(exc) from None
        for site in sites:
            spec = config[site.key]
            if not has_allow_list(spec):
                continue
            rule, field, noun = GROUPS[site.key]
            where = f"{CONFIG_PATH}.{site.key}: {describe(spec)}"
            found = site.values(obj)
            for path, value in found:
                if not isinstance(value, str):
                    out.append(Violation(rule, doc, path, f"{brief_json(value)} is not a {noun} name ({where})"))
                elif not allows(spec, value):
                    out.append(Violation(rule, doc, path, f"{noun} {brief_json(value)} is not allowed ({where})"))
            if not found and site.key in NEEDS_A_CLASS:
                out.append(Violation(rule, doc, dotted(site.parent + (field,)), _unnamed(site.key, where)))
    return out


def _unnamed(key: str, where: str) -> str:
    if key == "storageClasses":
        return (f"names no StorageClass: the cluster's default class would provision it, which vnp cannot check "
                f"at render time ({where}; set one, or configure a default)")
    if key == "ingressClasses":
        return (f"names no IngressClass (neither spec.ingressClassName nor the {INGRESS_ANNOTATION} annotation): "
                f"the cluster's default class would serve it ({where}; set one, or configure a default)")
    return f"names no GatewayClass (the Gateway API requires one) ({where})"


def apply_defaults(docs: list[Document], config: dict, declared: tuple) -> tuple[list[Document], list]:
    """(``docs`` with each configured ``default`` written where the chart left its field unset, ``Note``s of the
    places vnp cannot reach).  Documents it does not change are returned as they are."""
    from helm_vnp.release.mutations import Note
    from helm_vnp.stream.patching import patch
    out, notes = [], []
    defaults = {k: (config.get(k) or {}).get("default") for k in GROUPS if isinstance(config.get(k), dict)}
    for doc in docs:
        if not relevant(doc, declared):
            out.append(doc)
            continue
        before = view(doc)
        if not isinstance(before, dict):
            out.append(doc)
            continue
        want = copy.deepcopy(before)
        try:
            sites, unreachable = _sites(doc, want, config, declared)
        except VnpError as exc:
            raise doc.error_in(exc) from None
        changed = False
        for site in sites:
            default = defaults.get(site.key)
            target = site.open_for_default(want) if default else None
            if target is not None:
                target[site.field] = default
                changed = True
        if changed:
            try:
                doc = patch(doc, before, want, "the tenant's default classes (policies.tenant.classes)")
            except VnpError as exc:
                raise doc.error_in(exc) from None
        out.append(doc)
        grouped: dict[tuple, list[str]] = {}
        for key, path, why in unreachable:  # one note per place and message: the fields it cannot reach
            grouped.setdefault((path, why), []).append(_NOUNS[key])
        notes += [Note(doc, "tenant.classes", path, why.format(" or ".join(nouns)))
                  for (path, why), nouns in grouped.items()]
    if any(k in config for k in ("runtimeClasses", "priorityClasses", "storageClasses")):
        from helm_vnp.release.unknown_workloads import unknown_workloads
        notes += [Note(u.doc, "tenant.classes", "", f"{u.message}; vnp cannot check or set the classes of its pods "
                                                    "either (declare the kind under policies.workloadKinds)")
                  for u in unknown_workloads(out, declared)]
    return out, notes


_NOUNS = {"runtimeClasses": "runtimeClassName", "priorityClasses": "priorityClassName",
          "storageClasses": "storage classes (volume claims)"}
