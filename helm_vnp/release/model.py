"""The release as it would be installed: one typed model that lint, graph and every later command read.

``Release`` holds what the post-render produced (the chart's documents as
written out, vnp's generated objects), the normalised policies with the
values-file origin of each setting, and everything that went wrong on the way
(documents nobody can read, config errors and warnings, render warnings), each
as a structured record.  What is derived from those (the parsed objects, every
pod-creating object with its pod template, CRDs, NetworkPolicies, quotas, limit
ranges) is computed once, on first use, as a cached property.  Nothing is
passed through string-keyed options and nothing is attached to it later.
"""
from __future__ import annotations

from functools import cached_property

from helm_vnp.base.errors import Problem
from helm_vnp.base.names import GENERATED_SOURCE, HOOK_ANNOTATION, TEST_HOOKS
from helm_vnp.base.record import field, record
from helm_vnp.k8s.kinds import CLUSTER, crd_index, scope_of
from helm_vnp.k8s.workloads import is_workload, pod_template
from helm_vnp.release.warnings import RenderWarning
from helm_vnp.stream.document import Document, str_map


@record(frozen=True)
class ObjectRef:
    """Which object a finding is about (all empty: about no object, e.g. the config)."""
    apiVersion: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""

    def as_dict(self) -> dict:
        return {"apiVersion": self.apiVersion, "kind": self.kind, "name": self.name, "namespace": self.namespace}

    def label(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}".strip()


@record(frozen=True)
class Source:
    """Where to point a reader: a file (chart template, rendered file, values file) and a 1-based line."""
    file: str = ""
    line: int = 0  # 0: unknown


@record(frozen=True)
class Invalid:
    """A document of the input that cannot be read as a Kubernetes object (it is not YAML, not a
    mapping, or hides a workload where vnp cannot label it)."""
    message: str
    object: ObjectRef
    source: Source
    listed: bool = False  # a list holding workloads: refused by the post-renderer, its items still read


@record
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
    def placed(self) -> dict:
        """``obj`` with ``metadata.namespace`` written out (the release's when the chart left it unset): a
        NetworkPolicy's peers without a namespaceSelector mean its own namespace, so an engine needs it."""
        meta = self.obj.get("metadata") if isinstance(self.obj.get("metadata"), dict) else {}
        return {**self.obj, "metadata": {**meta, "namespace": self.namespace}}

    @property
    def test_hook(self) -> bool:
        """A ``helm test`` hook: created by ``helm test``, never by install or upgrade."""
        return bool(self.hooks) and self.hooks <= TEST_HOOKS

    def label(self) -> str:
        return f"{self.kind} {self.name}"


@record
class PodTemplate:
    """The pods one object of the release creates: its pod template after post-render (vnp's label
    included), as the pod's labels and spec.  A custom kind (``k8s.pod_creators``) may have several,
    one per place (``where``); ``found`` is that place, from which quota reads the pod count.  Kinds
    with no PodSpec (a Deckhouse VM, a Prometheus) have ``spec`` {} and ``has_spec`` False; their
    ``quota_spec`` is what quota charges (an approximation, or None: nothing)."""
    owner: Obj
    spec: dict
    labels: dict
    where: str = ""  # "" for a core workload; else e.g. "spec.workerGroupSpecs[0].template"
    has_spec: bool = True
    quota_spec: dict | None = None
    found: object = None  # k8s.pod_creators.Found, for custom kinds

    def label(self) -> str:
        """``RayCluster r (spec.headGroupSpec.template)``; a core workload: ``Deployment web``."""
        return self.owner.label() + (f" ({self.where})" if self.where else "")

    @property
    def charged_spec(self) -> dict | None:
        """The pod spec quota charges."""
        return self.spec if self.has_spec else self.quota_spec

    @property
    def host_network(self) -> bool:
        return self.spec.get("hostNetwork") is True

    @property
    def pod(self):
        """The pod as NetworkPolicy sees it (namespace, labels, named ports)."""
        from helm_vnp.k8s.netpol import Pod
        ports = {}
        for key in ("initContainers", "containers"):
            for c in self.spec.get(key) if isinstance(self.spec.get(key), list) else []:
                for p in c.get("ports") if isinstance(c, dict) and isinstance(c.get("ports"), list) else []:
                    if isinstance(p, dict) and p.get("name") and isinstance(p.get("containerPort"), int):
                        ports[str(p["name"])] = (p["containerPort"], p.get("protocol") or "TCP")
        return Pod(self.owner.namespace, self.labels, None, ports)


@record
class Release:
    """Everything known about one release before install."""
    name: str
    namespace: str  # the release namespace ("default" when not given, like Helm)
    policies: dict  # the normalised config (helm_vnp.config.model.Policies); the defaults when invalid
    docs: list[Document]  # the chart's documents after post-render (labels added), in stream order
    generated: list[dict] = field(default_factory=list)  # vnp's objects (NetworkPolicies, ResourceQuota, ...)
    origins: dict = field(default_factory=dict)  # dotted config path -> (file, line)
    invalid: list[Invalid] = field(default_factory=list)
    config_errors: list[Problem] = field(default_factory=list)
    config_warnings: list[Problem] = field(default_factory=list)
    render_warnings: list[RenderWarning] = field(default_factory=list)
    # the entry points the release's objects declare (``helm_vnp.generate.traffic.Entry``), opened or
    # blocked, as the post-render derived them; empty when isolation is off
    entry_points: list = field(default_factory=list)
    # what the opt-in mutations (hardening, nodeIsolation, serviceAccountTokens) left as the chart wrote
    # it (``release.mutations.Note``)
    notes: list = field(default_factory=list)
    # what the config asks for that vnp could not apply (``generate.mapservices.Unapplied``: a mapped Service, a
    # chart policy to confine): the post-renderer fails on them, lint reports each as netpol.unapplied
    unapplied: list = field(default_factory=list)
    rule_ids: tuple = ()  # every lint rule ID there is (disable annotations are checked against it)
    _pod_security: dict = field(default_factory=dict, repr=False, compare=False)  # see pod_security()

    # -- where things are ----------------------------------------------------------------------
    def ref(self, doc: Document) -> ObjectRef:
        """The object's identity; built-in cluster-scoped kinds have no namespace, others default to
        the release's (a CR's scope needs its CRD: the scope rules ask ``crds``)."""
        namespace = doc.namespace or self.namespace
        if scope_of(doc.api_version, doc.kind) == CLUSTER:
            namespace = ""
        return ObjectRef(doc.api_version or "", doc.kind or "", doc.name or "", namespace)

    @staticmethod
    def source(doc: Document) -> Source:
        """Where the object starts: set by whoever read the input (file, file in a directory, chart
        template), else the document's own file and line."""
        if doc.lint_source is not None:
            return doc.lint_source
        return Source(doc.source, doc.object_line)

    def ref_of(self, o: Obj) -> ObjectRef:
        if o.doc is not None:
            return self.ref(o.doc)
        return ObjectRef(o.api_version, o.kind, o.name, o.namespace)

    def source_of(self, o: Obj, *config_paths: str) -> Source:
        """The chart document, else the config line behind a generated object."""
        if o.doc is not None:
            return self.source(o.doc)
        return self.config_source(*config_paths)

    def config_source(self, *paths: str) -> Source:
        """The values-file line of the first of ``paths`` (or a parent) the user set; else the
        generated file."""
        for path in paths:
            p = path
            while p:
                if p in self.origins:
                    file, line = self.origins[p]
                    return Source(file or "", line or 0)
                cut = max(p.rfind("."), p.rfind("["))
                p = p[:cut] if cut > 0 else ""
        return Source(GENERATED_SOURCE, 0)

    def pod_security(self, level: str, version: str) -> list:
        """[(document, violations)] for every chart document with a pod template that violates
        ``level`` at ``version``: evaluated once per level and version, whichever rule asks first."""
        key = (level, version)
        if key not in self._pod_security:
            from helm_vnp.release.podsecurity import checked_documents, workload_violations
            found = []
            from helm_vnp.base.errors import VnpError
            for doc in checked_documents(self.docs, self.declared_kinds):
                try:
                    violations = workload_violations(doc, level, version, self.declared_kinds)
                except VnpError:
                    continue  # a custom kind's template that is not a mapping: the post-render refuses it
                if violations:
                    found.append((doc, violations))
            self._pod_security[key] = found
        return self._pod_security[key]

    # -- derived, computed once ------------------------------------------------------------------
    @cached_property
    def tenant(self) -> list:
        """The ``policies.tenant`` violations (``release.tenant.Violation``) of the chart's documents as written
        out, every rule group's, computed once for all the ``tenant.*`` rules; none when no group is set."""
        from helm_vnp.release.pipeline import tenant_configured
        if not tenant_configured(self.policies or {}):
            return []
        from helm_vnp.release.tenant import violations
        return violations(self.docs, self.policies, self.declared_kinds, readable_only=True)


    @cached_property
    def objects(self) -> list[Obj]:
        """The chart's objects (parsed; CRDs read without their schemas), then vnp's."""
        out = []
        for doc in self.docs:
            if doc.is_empty or not doc.kind:
                continue
            obj = None
            if doc.kind == "CustomResourceDefinition":  # megabytes of schema nobody reads
                from helm_vnp.stream.crd import crd_light
                obj = crd_light(doc)
            if obj is None:
                obj = doc.obj_or_none
            if isinstance(obj, dict):
                out.append(Obj(obj, doc, doc.namespace or self.namespace, _hooks(doc)))
        for obj in self.generated:
            meta = obj.get("metadata") or {}
            out.append(Obj(obj, None, meta.get("namespace") or self.namespace))
        return out

    @cached_property
    def crds(self) -> dict:
        """(group, kind) -> KindInfo for every CRD the release renders."""
        return crd_index(o.obj for o in self.objects if o.kind == "CustomResourceDefinition"
                         and o.api_version.startswith("apiextensions.k8s.io/"))

    @cached_property
    def declared_kinds(self) -> tuple:
        """``policies.workloadKinds`` as ``k8s.pod_creators.PodCreator`` entries."""
        from helm_vnp.k8s.pod_creators import declared_creators
        return declared_creators(self.policies.get("workloadKinds"))

    @cached_property
    def pods(self) -> list[PodTemplate]:
        """Every pod-creating object of the chart with its pod templates: core workloads, and the
        kinds of ``k8s.pod_creators`` (registered or declared), one record per place they keep pods."""
        from helm_vnp.k8s.pod_creators import creator_for
        out = []
        for o in self.objects:
            if o.doc is None:
                continue
            if is_workload(o.kind, o.api_version):
                template = pod_template(o.obj, o.kind)
                spec = template.get("spec") if isinstance(template, dict) else None
                if isinstance(spec, dict):
                    meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
                    out.append(PodTemplate(o, spec, str_map(meta.get("labels"))))
                continue
            creator = creator_for(o.api_version, o.kind, self.declared_kinds)
            if creator is not None:
                out += self._custom_pods(o, creator)
        return out

    def pods_in(self, namespace: str) -> list[PodTemplate]:
        """The release's pod templates (hooks and tests included) in ``namespace``."""
        return [ps for ps in self.pods if ps.owner.namespace == namespace]

    @cached_property
    def unseen_pod_makers(self) -> list[Obj]:
        """The chart's custom resources (kinds that are not built in): their controllers may create pods vnp
        cannot see, or add labels to the pods of a known kind (prometheus-operator labels its pods beyond
        ``podMetadata``), so a "matches no pod" answer may be wrong for those."""
        from helm_vnp.k8s.kinds import kind_info
        return [o for o in self.objects if not o.generated and o.kind
                and kind_info(o.api_version, o.kind).source != "built-in"]

    def _custom_pods(self, o: Obj, creator) -> list[PodTemplate]:
        from helm_vnp.base.errors import VnpError
        from helm_vnp.k8s.pod_creators import find_sources, quota_spec, workload_ref
        try:
            found = find_sources(o.obj, creator)
        except VnpError:
            return []  # the post-render refuses such an object; lint reports it through render errors
        out = [PodTemplate(o, f.spec if f.spec is not None else {}, str_map(f.labels), f.where, f.spec is not None,
                           quota_spec(o.obj, f) if f.spec is None else None, f) for f in found]
        ref = workload_ref(o.obj) if creator.kind == "Rollout" and creator.group == "argoproj.io" else None
        if ref is not None:  # the pods come from a Deployment's template (the Rollout's replicas)
            for d in self.objects:
                if d.doc is not None and d.kind == ref[0] == "Deployment" and d.name == ref[1] \
                        and d.namespace == o.namespace and is_workload(d.kind, d.api_version):
                    template = pod_template(d.obj, d.kind)
                    spec = template.get("spec") if isinstance(template, dict) else None
                    if isinstance(spec, dict):
                        meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
                        from helm_vnp.k8s.pod_creators import Found
                        place = Found(creator.sources[0], ("spec", "template", "metadata"), {}, spec, template)
                        out.append(PodTemplate(o, spec, str_map(meta.get("labels")),
                                               f"spec.workloadRef: Deployment {d.name}", True, None, place))
        return out

    @cached_property
    def network_policies(self) -> list:
        """Every NetworkPolicy in force for the release (``helm_vnp.k8s.netpol.Policy``): the chart's and vnp's."""
        from helm_vnp.k8s.netpol import policies_from
        return policies_from((o.obj for o in self.objects if o.kind == "NetworkPolicy"
                              and o.api_version.startswith("networking.k8s.io/")), self.namespace)

    def declaring(self, entry) -> Obj | None:
        """The chart object an entry point comes from."""
        return next((o for o in self.objects if o.doc is not None and o.kind == entry.kind
                     and o.name == entry.name), None)

    @cached_property
    def quotas(self) -> list[Obj]:
        """ResourceQuotas in the release namespace (the chart's and vnp's)."""
        return [o for o in self.objects if o.kind == "ResourceQuota" and o.api_version == "v1"
                and o.namespace == self.namespace and not o.test_hook]

    @cached_property
    def limit_ranges(self) -> list[Obj]:
        """LimitRanges in the release namespace, by name (the order admission is assumed to apply them)."""
        found = [o for o in self.objects if o.kind == "LimitRange" and o.api_version == "v1"
                 and o.namespace == self.namespace and not o.test_hook]
        return sorted(found, key=lambda o: o.name)

    @cached_property
    def limit_items(self) -> list:
        """Every ``spec.limits`` item of those LimitRanges, in that order."""
        from helm_vnp.k8s.resources import limit_items as items_of
        return [item for o in self.limit_ranges for item in items_of(o.obj)]


def _hooks(doc: Document) -> frozenset:
    text = doc.annotations.get(HOOK_ANNOTATION) if HOOK_ANNOTATION.encode() in doc.raw else None
    return frozenset(h.strip() for h in text.split(",") if h.strip()) if text else frozenset()
