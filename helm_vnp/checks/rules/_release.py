"""The release as the rules see it: parsed objects, pod templates, quotas, limit
ranges and network policies, read once per lint run and shared by every rule."""
from __future__ import annotations

from helm_vnp.base.names import GENERATED_SOURCE, HOOK_ANNOTATION, TEST_HOOKS

from dataclasses import dataclass, field

from helm_vnp.checks.base import ObjectRef, Source
from helm_vnp.checks.context import LintContext
from helm_vnp.stream.document import Document, str_map
from helm_vnp.k8s.workloads import is_workload, pod_template

_CACHE_ATTR = "_vnp_release_view"


@dataclass
class Obj:
    """One object of the release: a chart document, or an object vnp generates (``doc`` None)."""
    obj: dict
    doc: Document | None
    namespace: str  # metadata.namespace, or the release namespace when unset
    hooks: frozenset = frozenset()

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind") or "")

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion") or "")

    @property
    def name(self) -> str:
        return str((self.obj.get("metadata") or {}).get("name") or "")

    @property
    def generated(self) -> bool:
        return self.doc is None

    @property
    def test_hook(self) -> bool:
        """A ``helm test`` hook: created by ``helm test``, never by install or upgrade."""
        return bool(self.hooks) and self.hooks <= TEST_HOOKS

    def label(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass
class PodSource:
    """A pod template of a workload (after post-render: vnp's label included)."""
    owner: Obj
    spec: dict
    labels: dict

    @property
    def host_network(self) -> bool:
        return self.spec.get("hostNetwork") is True


@dataclass
class ReleaseView:
    objects: list[Obj] = field(default_factory=list)  # chart objects, then generated ones
    crds: dict = field(default_factory=dict)
    pods: list[PodSource] = field(default_factory=list)


def _hooks(doc: Document) -> frozenset:
    text = doc.annotations.get(HOOK_ANNOTATION) if HOOK_ANNOTATION.encode() in doc.raw else None
    return frozenset(h.strip() for h in text.split(",") if h.strip()) if text else frozenset()


def view(ctx: LintContext) -> ReleaseView:
    cached = getattr(ctx, _CACHE_ATTR, None)
    if cached is not None and cached[0] is ctx.docs and cached[1] is ctx.generated:
        return cached[2]
    from helm_vnp.k8s.kinds import crd_index
    v = ReleaseView()
    for doc in ctx.docs:
        if doc.is_empty or not doc.kind:
            continue
        obj = None
        if doc.kind == "CustomResourceDefinition":  # megabytes of schema no rule reads
            from helm_vnp.stream.crd import crd_light
            obj = crd_light(doc)
        if obj is None:
            obj = doc.obj_or_none
        if not isinstance(obj, dict):
            continue
        v.objects.append(Obj(obj, doc, doc.namespace or ctx.namespace, _hooks(doc)))
    for obj in ctx.generated:
        meta = obj.get("metadata") or {}
        v.objects.append(Obj(obj, None, meta.get("namespace") or ctx.namespace))
    v.crds = crd_index(o.obj for o in v.objects if o.kind == "CustomResourceDefinition"
                       and o.api_version.startswith("apiextensions.k8s.io/"))
    for o in v.objects:
        if o.doc is not None and is_workload(o.kind, o.api_version):
            template = pod_template(o.obj, o.kind)
            spec = template.get("spec") if isinstance(template, dict) else None
            if isinstance(spec, dict):
                meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
                v.pods.append(PodSource(o, spec, str_map(meta.get("labels"))))
    setattr(ctx, _CACHE_ATTR, (ctx.docs, ctx.generated, v))
    return v


def ref(ctx: LintContext, o: Obj) -> ObjectRef:
    if o.doc is not None:
        return ctx.ref(o.doc)
    return ObjectRef(o.api_version, o.kind, o.name, o.namespace)


def source(ctx: LintContext, o: Obj, *config_paths: str) -> Source:
    """Where to point: the chart document, else the config line behind a generated object."""
    if o.doc is not None:
        return ctx.source(o.doc)
    return config_source(ctx, *config_paths)


def config_source(ctx: LintContext, *paths: str) -> Source:
    """The values-file line of the first of ``paths`` (or a parent) the user set; else the generated file."""
    origins = ctx.origins or {}
    for path in paths:
        p = path
        while p:
            if p in origins:
                file, line = origins[p]
                return Source(file or "", line or 0)
            cut = max(p.rfind("."), p.rfind("["))
            p = p[:cut] if cut > 0 else ""
    return Source(GENERATED_SOURCE, 0)


def pod_of(ps: PodSource):
    """The pod as NetworkPolicy sees it (namespace, labels, named ports)."""
    from helm_vnp.k8s.netpol import Pod
    ports = {}
    for key in ("initContainers", "containers"):
        for c in ps.spec.get(key) if isinstance(ps.spec.get(key), list) else []:
            for p in c.get("ports") if isinstance(c, dict) and isinstance(c.get("ports"), list) else []:
                if isinstance(p, dict) and p.get("name") and isinstance(p.get("containerPort"), int):
                    ports[str(p["name"])] = (p["containerPort"], p.get("protocol") or "TCP")
    return Pod(ps.owner.namespace, ps.labels, None, ports)


def network_policies(ctx: LintContext):
    """Every NetworkPolicy in force for the release: the chart's own and vnp's."""
    from helm_vnp.k8s.netpol import policies_from
    return policies_from((o.obj for o in view(ctx).objects if o.kind == "NetworkPolicy"
                          and o.api_version.startswith("networking.k8s.io/")), ctx.namespace)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
