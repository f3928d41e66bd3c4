"""Post-render as a function: stream bytes + policies -> output bytes.

The same function backs ``vnp-postrender``, ``helm vnp template`` and the
stream that ``lint`` and ``graph`` examine, so what is linted is exactly what
would be installed.
"""
from __future__ import annotations

import re
from collections import Counter

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import (
    CONFIG_ANNOTATION,
    GENERATED_BY_LABEL,
    GENERATED_BY_VALUE,
    GENERATED_SOURCE,
    HOOK_ANNOTATION,
    INSTANCE_LABEL,
    MAPPED_FROM_ANNOTATION,
    POSTRENDER_FILENAME_ANNOTATION,
    PROJECT_LABEL,
    RELEASE_LABEL,
)
from helm_vnp.helm import check_release_name
from helm_vnp.k8s.pod_creators import declared_creators, is_pod_creator
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload
from helm_vnp.release.warnings import RenderWarning
from helm_vnp.stream import Document, split

# what a plain (non-hook) Job that gets the release label is warned about
JOB_MESSAGE = (f"{{subject}} the {RELEASE_LABEL} label; Job templates are immutable, so `helm upgrade` of an "
               "existing release fails on such a Job (delete it first, make it a hook, or use "
               "policies.selection: workloadSelectors)")
# what a StatefulSet/DaemonSet with `updateStrategy: OnDelete` that gets the release label is warned about
ON_DELETE_MESSAGE = (f"{{subject}} the {RELEASE_LABEL} label, but with updateStrategy OnDelete the pods of a "
                     "running release keep running without it until deleted, and the release's isolated pods "
                     "refuse their traffic (after the upgrade, delete those pods, or use "
                     "policies.selection: workloadSelectors)")
ON_DELETE_KINDS = ("StatefulSet", "DaemonSet")


class Result:
    """``output`` bytes; ``docs``: the chart's documents as written out (labels added);
    ``generated``: vnp's objects as appended; ``warnings`` (``RenderWarning``s); ``workloads``: the
    pod-rendering docs; ``entry_points``: the entry points the release's objects declare."""

    __slots__ = ("parts", "docs", "generated", "warnings", "workloads", "entry_points", "notes", "unapplied")

    def __init__(self, parts: list, docs: list, generated: list, warnings: list, workloads: list,
                 entry_points: list = (), notes: list = (), unapplied: list = ()):
        self.parts, self.docs, self.generated, self.warnings, self.workloads = (
            parts, docs, generated, warnings, workloads)
        self.entry_points = list(entry_points)  # what the release's objects declare, opened or blocked
        self.notes = list(notes)  # ``release.mutations.Note``s: what a mutation left as the chart wrote it
        # what the config asks for that vnp could not apply (generate.mapservices.Unapplied), when collected
        self.unapplied = list(unapplied)

    @property
    def output(self) -> bytes:
        """The whole output; the post-renderer writes ``parts`` instead (no 2nd copy of a big stream)."""
        return b"".join(self.parts)


# the kinds vnp generates: nothing else is ever taken for one of its objects
GENERATED_KINDS = frozenset({("networking.k8s.io/v1", "NetworkPolicy"), ("v1", "ResourceQuota"),
                             ("v1", "LimitRange"), ("v1", "Service")})


def is_generated(doc: Document, release: str | None = None) -> bool:
    """A document vnp generated on an earlier pass for ``release`` (any release when None): one of the
    kinds it generates, carrying its two labels, named as it names them (``vnp-<release>`` or
    ``vnp-<release>-…``).  Such a document is replaced, never duplicated; anything else (a Secret or a
    Deployment carrying the labels, a NetworkPolicy vnp would not name so, another release's objects
    that a chart ships) is the chart's own and passes through."""
    raw = doc.raw
    if GENERATED_BY_VALUE.encode() not in raw or (doc.api_version, doc.kind) not in GENERATED_KINDS:
        return False
    labels = doc.labels
    owner = labels.get(GENERATED_BY_LABEL), labels.get(RELEASE_LABEL)
    if owner[0] != GENERATED_BY_VALUE or not isinstance(owner[1], str) or not owner[1]:
        return False
    if release is not None and owner[1] != release:
        return False
    name = doc.name
    if doc.kind == "Service":  # a mapServices Service: named as the user maps it, marked by its annotation
        return isinstance(name, str) and isinstance(doc.annotations.get(MAPPED_FROM_ANNOTATION), str)
    return isinstance(name, str) and (name == f"vnp-{owner[1]}" or name.startswith(f"vnp-{owner[1]}-"))


def generates(policies: dict) -> bool:
    """Whether ``policies`` has vnp generate objects (a set that replaces its earlier one): with none
    enabled the post-renderer keeps every document, its own earlier objects included."""
    mapped = policies.get("mapServices") or {}
    return any((policies.get(key) or {}).get("enabled") for key in ("networkPolicy", "resourceQuota", "limitRange")) \
        or bool(mapped.get("fromHost") or mapped.get("fromVirtual"))


def infer_release(docs: list[Document]) -> str | None:
    """The release name from the chart's ``app.kubernetes.io/instance`` labels (a convention)."""
    names = Counter(d.labels.get(INSTANCE_LABEL) for d in docs if INSTANCE_LABEL.encode() in d.raw)
    names.pop(None, None)
    return names.most_common(1)[0][0] if names else None


def infer_namespace(docs: list[Document]) -> str | None:
    """The namespace the stream's namespaced objects name (``helm template -n NS`` writes it into
    charts that set ``metadata.namespace``), when more of them name it than name none; else None."""
    from helm_vnp.k8s.kinds import CLUSTER, scope_of
    names: Counter = Counter()
    for d in docs:
        if d.is_empty or not d.kind or scope_of(d.api_version, d.kind) == CLUSTER:
            continue
        names[d.namespace or ""] += 1
    unnamed = names.pop("", 0)
    if not names:
        return None
    name, count = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return name if count > unnamed else None


def post_render(data: bytes, policies: dict, release: str | None, namespace: str | None,
                source: str = "<stdin>", docs: list[Document] | None = None, hooks_unseen: bool = False,
                check_pod_security: bool = True, record: str | None = None,
                collect_unapplied: bool = False, install_order: bool = False,
                check_tenant: bool = True) -> Result:
    """Post-render ``data``; or, when ``docs`` is given (lint, graph), those already split documents,
    so what they have parsed is not parsed again.  ``hooks_unseen``: model Helm 3, which never hands
    hooks to a post-renderer (they stay unlabelled).  ``check_pod_security`` False: leave Pod Security
    to the linter's ``pss.*`` rules (the post-renderer stops at the first violating render).  ``record``: the
    user's config input as JSON, written on the first generated object (``CONFIG_ANNOTATION``).
    ``collect_unapplied``: what the config asks for and vnp cannot apply (a mapped Service, a chart policy to
    confine) goes to ``Result.unapplied`` (lint) instead of failing the render.  ``install_order``: the consumer
    creates objects in stream order (Helm 3): vnp's objects go where Helm's install order puts them.
    ``check_tenant`` False: apply ``policies.tenant``'s defaults but leave its checks to the linter's ``tenant.*``
    rules."""
    if docs is None:
        docs = split(data, source)
    if release is None:
        release = infer_release([d for d in docs if not is_generated(d)])
        if release is None:
            raise VnpError(Problem(
                "cannot tell the release name: the post-renderer gets no release name from Helm",
                hint="pass --post-renderer-args=--release=NAME, set VNP_RELEASE, "
                     "or use `helm vnp install|upgrade|template`"))
    check_release_name(release)
    chart_docs = [d for d in docs if not is_generated(d, release)] if generates(policies) else docs
    warnings: list[RenderWarning] = []
    for doc in chart_docs:
        refuse_hidden_workloads(doc)
    declared = declared_creators(policies.get("workloadKinds"))
    workloads = [d for d in chart_docs if is_pod_creator(d.api_version, d.kind, declared)]
    isolate_in: list[str] = []  # namespaces the release's NetworkPolicies are generated in as well
    if _isolating(policies):
        others = other_namespace_workloads([d for d in workloads if not _unseen_hook(d, hooks_unseen)],
                                           namespace, chart_docs)
        isolate_in = _handle_other_namespaces(others, policies, namespace, chart_docs, warnings)
    if guards_pods(policies):
        from helm_vnp.release.unknown_workloads import refuse_unknown_workloads
        seen = [d for d in chart_docs if not _unseen_hook(d, hooks_unseen)]
        warnings += refuse_unknown_workloads(seen, policies.get("unknownWorkloads") or "error", declared)
    out_docs = chart_docs
    if policies["selection"] != "podLabel" and _isolating(policies) and policies["networkPolicy"].get("project"):
        raise VnpError(Problem("project-scoped isolation labels the release's pods with the project, and "
                               "selection: workloadSelectors labels nothing", path=f"{NETPOL_PATH}.project",
                               hint="use policies.selection: podLabel (the default), or drop the project"))
    if policies["selection"] == "podLabel" and _isolating(policies):
        from helm_vnp.stream.labelling import label_documents
        targets = [d for d in workloads if not _unseen_hook(d, hooks_unseen)]
        out_docs, plain_jobs = label_documents(chart_docs, targets, release, declared)
        project = policies["networkPolicy"].get("project") or ""
        if project:  # project-scoped isolation: the same pod templates carry the project label too
            labelled = {id(d): o for d, o in zip(chart_docs, out_docs)}
            out_docs, _ = label_documents(out_docs, [labelled[id(d)] for d in targets], project, declared,
                                          key=PROJECT_LABEL)
        if plain_jobs:
            warnings.append(RenderWarning(JOB_MESSAGE.format(subject="its pod template gets"), tuple(plain_jobs),
                                          JOB_MESSAGE.format(subject="their pod templates get")))
        on_delete = _on_delete(out_docs, chart_docs)
        if on_delete:
            warnings.append(RenderWarning(ON_DELETE_MESSAGE.format(subject="its pod template gets"), on_delete,
                                          ON_DELETE_MESSAGE.format(subject="their pod templates get")))
        workloads = [d for d in out_docs if is_pod_creator(d.api_version, d.kind, declared)]
    notes: list = []
    if _mutations_configured(policies):
        from helm_vnp.release.mutations import mutate_documents, wanted
        if wanted(policies):
            out_docs, notes = mutate_documents(
                out_docs, policies, declared, namespace, unseen=[d for d in out_docs if _unseen_hook(d, hooks_unseen)],
                skip_tokens=not hooks_unseen and hooks_only(chart_docs))
            workloads = [d for d in out_docs if is_pod_creator(d.api_version, d.kind, declared)]
    if tenant_configured(policies):  # defaults after the other mutations, then the checks on what is written out
        from helm_vnp.release import tenant
        unseen = {id(d) for d in out_docs if _unseen_hook(d, hooks_unseen)}  # Helm 3's hooks: left alone, noted
        edited, tenant_notes = tenant.apply_defaults([d for d in out_docs if id(d) not in unseen], policies, declared)
        rest = iter(edited)
        out_docs = [d if id(d) in unseen else next(rest) for d in out_docs]
        notes += tenant_notes + tenant.hook_notes([d for d in out_docs if id(d) in unseen], policies, declared)
        workloads = [d for d in out_docs if is_pod_creator(d.api_version, d.kind, declared)]
        if check_tenant:
            warnings += tenant.enforce([d for d in out_docs if id(d) not in unseen], policies, declared)
    unapplied: list = []
    if policies["networkPolicy"].get("confineChartPolicies"):
        out_docs = _confine_chart_policies(out_docs, workloads, policies, release, namespace, unapplied)
    if check_pod_security and policies["podSecurityStandard"] not in ("", "privileged"):
        warnings += enforce_pod_security(workloads, policies)
    if not hooks_unseen and hooks_only(chart_docs):
        # Helm 4.2's `separate` post-render strategy: this is the hooks' pass; the rest of the release
        # comes in a pass of its own, and vnp's objects are generated there, once
        _refuse_hook_workload_policies(workloads, policies)
        if isolate_in:
            _refuse_hook_other_namespaces(workloads, isolate_in)
        warnings.append(RenderWarning(HOOKS_ONLY_MESSAGE))
        return Result(_assemble(out_docs, []), out_docs, [], warnings, workloads, notes=notes, unapplied=unapplied)
    refs = _workload_refs(workloads, policies, warnings)
    entries = declared_entry_points(out_docs, policies, release, namespace)
    mapping = _map_services(out_docs, workloads, policies, release, namespace)  # None: nothing mapped
    generated = []  # nothing enabled: what generate_all answers, without importing the generators
    if any(policies[k]["enabled"] for k in GENERATED_KEYS):
        from helm_vnp.generate import generate_all
        generated = generate_all(policies, release, namespace, refs, entries,
                                 extra_egress=mapping.egress if mapping else ())
    generated += mapping.policies if mapping else []
    generated += [_in_namespace(o, ns) for ns in isolate_in for o in generated if o["kind"] == "NetworkPolicy"]
    if mapping:
        generated += mapping.services
        unapplied += mapping.unapplied
    if unapplied and not collect_unapplied:
        raise VnpError([Problem(u.message, path=None if u.file else u.path, file=u.file or None, line=u.line or None,
                                hint=u.hint or None) for u in unapplied])
    if record and generated:
        meta = generated[0]["metadata"]
        meta["annotations"] = dict(sorted({**(meta.get("annotations") or {}), CONFIG_ANNOTATION: record}.items()))
    return Result(_assemble(out_docs, generated, install_order), out_docs, generated, warnings, workloads, entries,
                  notes, unapplied)


# the policies keys whose ``enabled`` makes ``generate.generate_all`` append something
GENERATED_KEYS = ("networkPolicy", "resourceQuota", "limitRange")


CONFINE_PATH = "policies.networkPolicy.confineChartPolicies"


def _confine_chart_policies(docs: list[Document], workloads: list[Document], policies: dict, release: str,
                            namespace: str | None, unapplied: list) -> list[Document]:
    """``stream.confine`` on every chart NetworkPolicy; what cannot be confined goes to ``unapplied`` (the
    document passes unchanged there: the caller fails the render unless it collects them for lint)."""
    from helm_vnp.generate.mapservices import Unapplied
    from helm_vnp.stream.confine import confine, is_chart_policy
    chart = [d for d in docs if is_chart_policy(d)]
    if not chart:
        return docs
    home = release_namespace(namespace, docs, workloads)
    why = ("the release's pods carry the release label only with networkPolicy.enabled and selection: podLabel"
           if not (_isolating(policies) and policies["selection"] == "podLabel") else
           "the release namespace is unknown (pass --namespace, VNP_NAMESPACE, or use the wrappers)"
           if not home else "")
    if why:
        unapplied.append(Unapplied(f"cannot confine the chart's NetworkPolicies to the release: {why}", CONFINE_PATH,
                                   hint="enable networkPolicy with selection: podLabel, or drop confineChartPolicies"))
        return docs
    out = []
    for d in docs:
        if is_chart_policy(d):
            try:
                d = confine(d, release, home)
            except VnpError as exc:
                unapplied += [Unapplied(p.message, CONFINE_PATH, p.hint or "", p.file or "", p.line or 0)
                              for p in exc.problems]
        out.append(d)
    return out


def _mutations_configured(policies: dict) -> bool:
    """Whether any opt-in mutation may be on (``release.mutations.wanted`` decides exactly): only then is
    that module imported, since the post-renderer runs on every install."""
    return bool((policies.get("hardening") or {}).get("enabled") or any((policies.get("nodeIsolation") or {}).values())
                or (policies.get("serviceAccountTokens") or {}).get("disableAutomount"))


def _map_services(docs: list[Document], workloads: list[Document], policies: dict, release: str,
                  namespace: str | None):
    """``generate.mapservices.plan`` over the release's Services; None when nothing is mapped (the module
    is then not even imported: the post-renderer runs on every install)."""
    mapped = policies.get("mapServices") or {}
    if not mapped.get("fromHost") and not mapped.get("fromVirtual"):
        return None
    from helm_vnp.generate.mapservices import plan
    home = release_namespace(namespace, docs, workloads)
    services = [d for d in docs if d.kind == "Service" and d.api_version == "v1"]
    taken = {(d.namespace or home or "", d.name) for d in services if isinstance(d.name, str)}
    parsed = [o for o in (d.obj_or_none for d in services) if isinstance(o, dict)]
    return plan(policies, release, home, parsed, taken)


NETPOL_PATH = "policies.networkPolicy"
# policies.networkPolicy.otherNamespaces: what the post-renderer does with pod creators rendered elsewhere
OTHER_NAMESPACES_PATH = "policies.networkPolicy.otherNamespaces"
OTHER_NAMESPACES_HINT = (
    "render them into the release namespace (drop metadata.namespace or use {{ .Release.Namespace }}); or set "
    f"{OTHER_NAMESPACES_PATH}: isolate to generate the release's NetworkPolicies in those namespaces too "
    "(same names and content), or allow to let them pass unisolated with a warning")
OTHER_NAMESPACES_WARNING = (
    "rendered into namespace {namespace}, not the release namespace: the release's NetworkPolicies do not cover its "
    "pods, "
    f"which run unisolated by vnp ({OTHER_NAMESPACES_PATH}: allow)")


def release_namespace(namespace: str | None, chart_docs: list[Document], workloads: list[Document]) -> str | None:
    """The release namespace: as given (``--namespace``, ``VNP_NAMESPACE``, the wrappers pass Helm's), else
    the one most of the stream's namespaced objects name, else the one every pod creator that names a
    namespace names; None when that is still ambiguous."""
    if namespace:
        return namespace
    from helm_vnp.k8s.kinds import CLUSTER, scope_of
    counts = Counter(d.namespace or "" for d in chart_docs
                     if not d.is_empty and d.kind and scope_of(d.api_version, d.kind) != CLUSTER)
    unnamed = counts.pop("", 0)
    top = counts.most_common(2)
    if top and top[0][1] > unnamed and (len(top) == 1 or top[1][1] < top[0][1]):
        return top[0][0]  # named by more namespaced objects than any other name, and than none
    named = {d.namespace for d in workloads if d.namespace}
    return named.pop() if len(named) == 1 and not counts.keys() - named else None


def other_namespace_workloads(workloads: list[Document], namespace: str | None,
                              chart_docs: list[Document]) -> list[Document]:
    """The pod creators whose ``metadata.namespace`` is another namespace than the release's: vnp's
    NetworkPolicies (in the release namespace) do not select their pods.  Raises when the release
    namespace is unknown and the pod creators name several."""
    named = [d for d in workloads if d.namespace]
    if not named:
        return []
    home = release_namespace(namespace, chart_docs, workloads)
    if home is None:
        spaces = sorted({d.namespace for d in named})
        raise VnpError(Problem(
            f"cannot tell the release namespace, and the pod-creating objects name {len(spaces)} namespaces "
            f"({', '.join(spaces)}): the release's NetworkPolicies cover only the release namespace",
            file=named[0].source, line=named[0].object_line,
            hint="pass --post-renderer-args=--namespace=NS (or set VNP_NAMESPACE), or use "
                 "`helm vnp install|upgrade|template`, which pass it"))
    return [d for d in named if d.namespace != home]


def _handle_other_namespaces(others: list[Document], policies: dict, namespace: str | None,
                             chart_docs: list[Document], warnings: list[RenderWarning]) -> list[str]:
    """Refuse, or warn about, the pod creators in other namespaces; returns the namespaces the release's
    NetworkPolicies are to be generated in as well (``isolate``)."""
    if not others:
        return []
    mode = policies["networkPolicy"].get("otherNamespaces") or "refuse"
    if mode == "isolate":
        return sorted({d.namespace for d in others})
    if mode == "allow":  # one warning each: kinds and namespaces differ
        warnings += [RenderWarning(OTHER_NAMESPACES_WARNING.format(namespace=d.namespace), (d,)) for d in others]
        return []
    if mode != "refuse":  # "ignore": lint, whose scope.namespace rule reports them
        return []
    home = release_namespace(namespace, chart_docs, others)
    problems = []
    for i, d in enumerate(others):
        template = f" (template {d.source_file})" if d.source_file else ""
        problems.append(Problem(
            f"{d.kind} {d.name or '<unnamed>'} is rendered into namespace {d.namespace}{template}, not the release "
            f"namespace {home}: the release's NetworkPolicies do not cover its pods", path="metadata.namespace",
            file=d.source, line=d.object_line, hint=OTHER_NAMESPACES_HINT if i == len(others) - 1 else None))
    raise VnpError(problems)


def _refuse_hook_other_namespaces(workloads: list[Document], namespaces: list[str]) -> None:
    """A hooks-only pass generates nothing; the other pass, which generates, does not see these hooks and
    would not generate the release's NetworkPolicies in their namespaces: fail closed."""
    raise VnpError(Problem(
        f"the stream holds only Helm hooks, and pod-creating hooks in {', '.join(namespaces)} "
        f"({_names(workloads)}): with {OTHER_NAMESPACES_PATH}: isolate the release's NetworkPolicies are generated "
        "there along with the rest of the release, which this stream does not hold (the hooks' pass of Helm 4.2's "
        "`separate` post-render strategy, or a chart made of hooks alone)",
        file=workloads[0].source, line=workloads[0].object_line,
        hint="render those hooks into the release namespace"))


def _in_namespace(obj: dict, namespace: str) -> dict:
    """A copy of a generated object in ``namespace``: same name, labels and content."""
    import copy
    out = copy.deepcopy(obj)
    meta = out["metadata"]
    out["metadata"] = {"name": meta["name"], "namespace": namespace,
                       **{k: v for k, v in meta.items() if k not in ("name", "namespace")}}
    return out


def _on_delete(out_docs: list[Document], chart_docs: list[Document]) -> tuple:
    """The StatefulSets and DaemonSets that got the label (their document was edited) and update their
    pods only when the pods are deleted: their running pods keep the template they started with."""
    found = []
    for out, before in zip(out_docs, chart_docs):
        if out is before or out.kind not in ON_DELETE_KINDS:
            continue
        obj = out.obj_or_none
        spec = obj.get("spec") if isinstance(obj, dict) else None
        strategy = spec.get("updateStrategy") if isinstance(spec, dict) else None
        if isinstance(strategy, dict) and strategy.get("type") == "OnDelete":
            found.append(out)
    return tuple(found)


def declared_entry_points(docs: list[Document], policies: dict, release: str, namespace: str | None) -> list:
    """The entry points the release's objects declare (``helm_vnp.generate.traffic.Entry``), opened or
    blocked; none when isolation is off (then nothing is blocked either)."""
    if not policies["networkPolicy"]["enabled"]:
        return []
    from helm_vnp.generate.traffic import entry_points
    return entry_points(traffic_objects(docs, policies, namespace), policies, release, namespace)


def traffic_objects(docs: list[Document], policies: dict, namespace: str | None) -> list[dict]:
    """The parsed objects that declare entry points into the release (Ingresses, routes, Services,
    webhook configurations, APIServices, monitors; CRDs read for their conversion only; RBAC bindings,
    and when there are any, ServiceAccounts and workloads): the only documents parsed for it, and only
    when isolation is on."""
    if not policies["networkPolicy"]["enabled"]:
        return []
    from helm_vnp.generate.traffic import CALLER_KINDS, KINDS, RBAC_KINDS, bound_service_accounts
    from helm_vnp.stream.crd import crd_conversion
    out = []
    for d in docs:
        if d.kind in KINDS or d.kind in RBAC_KINDS:
            obj = crd_conversion(d) if d.kind == "CustomResourceDefinition" else None
            if obj is None:
                obj = d.obj_or_none
            if isinstance(obj, dict):
                out.append(obj)
    # a workload can run as a bound ServiceAccount only if it names it (or runs as "default"): the others,
    # and everything when nothing is bound, stay unparsed
    names = [n.encode() for n in bound_service_accounts(out, namespace)]
    if names:
        for d in docs:
            if d.kind in CALLER_KINDS and (b"default" in names or any(n in d.raw for n in names)):
                obj = d.obj_or_none
                if isinstance(obj, dict):
                    out.append(obj)
    return out


HOOKS_ONLY_MESSAGE = (
    "the stream holds only Helm hooks: they are labelled and checked, and vnp generates nothing for it (Helm 4.2's "
    "`separate` post-render strategy post-renders hooks and the rest of the release in two passes; vnp's "
    "objects come with the other pass, once). A chart made of hooks alone gets no NetworkPolicy, quota or limit "
    "range from vnp")


def hooks_only(docs: list[Document]) -> bool:
    """Whether every object of the stream is a Helm hook (and there is at least one): the hooks' pass of
    Helm 4.2's ``separate`` post-render strategy, which post-renders hooks and the rest separately."""
    objects = [d for d in docs if not d.is_empty and d.kind]
    return bool(objects) and all(HOOK_ANNOTATION.encode() in d.raw and d.annotations.get(HOOK_ANNOTATION)
                                 and _parsed_hook(d) for d in objects)


def _parsed_hook(doc: Document) -> bool:
    """The hook annotation as the parser reads it: generating nothing is decided on what Kubernetes will
    see, never on the line scanner alone (a multi-line scalar can hold a decoy ``metadata:`` line)."""
    obj = doc.decoded
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    return isinstance(ann, dict) and bool(ann.get(HOOK_ANNOTATION))


def _refuse_hook_workload_policies(workloads: list[Document], policies: dict) -> None:
    """With ``selection: workloadSelectors`` each workload gets a policy of its own, generated with the
    other objects; in a hooks-only pass that would be a second set of objects, and left out its pods
    would run unisolated: fail closed."""
    if workloads and policies["selection"] == "workloadSelectors" and policies["networkPolicy"]["enabled"]:
        raise VnpError(Problem(
            f"the stream holds only Helm hooks, {len(workloads)} of them workloads ({_names(workloads)}): with "
            "policies.selection: workloadSelectors vnp generates a NetworkPolicy per workload along with the "
            "rest of the release, which this stream does not hold (the hooks' pass of Helm 4.2's `separate` "
            "post-render strategy, or a chart made of hooks alone)",
            file=workloads[0].source, line=workloads[0].object_line,
            hint="use policies.selection: podLabel (the default), which labels the hook pods and selects them "
                 "with the policy the other pass generates"))


def _names(docs: list[Document]) -> str:
    shown = [f"{d.kind} {d.name or '<unnamed>'}" for d in docs[:3]]
    return ", ".join(shown) + (f" and {len(docs) - 3} more" if len(docs) > 3 else "")


_WORKLOAD_KIND = re.compile(
    rb"""(?:^|[{,\s])["']?kind["']?[ \t]*:[ \t]*(?:[!&]\S*[ \t]+)*["']?(?:%s)["']?(?=[\s,}#]|$)"""
    % b"|".join(k.encode() for k in POD_METADATA_PATH), re.M)


# a column-0 line the list check can read without the parser: a plain key other than an items-like one, a
# sequence item, a comment; any other column-0 line (quoted or flow keys, ``?``, anchors, tags) sends it there
_PLAIN_TOP_LINE = re.compile(rb"[A-Za-z0-9_./-]+[ \t]*:(?:[ \t]|$)|-(?:[ \t]|$)|#")
_COLUMN0 = re.compile(rb"^[^ \t\r\n][^\n]*", re.M)


def _may_be_list(doc: Document) -> bool:
    """Whether ``doc`` may hold an items list Kubernetes' decoder reads: Helm's client decodes any object with
    a top-level ``items`` key (matched as Go's encoding/json matches field names: ignoring case, and ``ſ`` as
    ``s``) as a list and installs its items one by one, whatever its kind.  True when a column-0 line is
    such a key or is not a plain key (the parser decides)."""
    for m in _COLUMN0.finditer(doc.raw, doc.body_start):
        line = m.group()
        if not _PLAIN_TOP_LINE.match(line):
            return True
        if line[:1] not in (b"-", b"#") and line.split(b":", 1)[0].strip().lower() == b"items":
            return True
    return False


def _listed_workload(value, kind: str, version, path: str):
    """(path, kind) of the first pod-creating item of an items list (nested lists included), or None; an item
    with neither kind nor apiVersion is of the list's kind without ``List`` (as the decoder reads typed lists
    such as a PodList)."""
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        item_kind, item_version = item.get("kind"), item.get("apiVersion")
        if not item_kind and not item_version:
            item_kind = kind[:-4] if isinstance(kind, str) and kind.endswith("List") else kind
            item_version = version
        if is_pod_creator(item_version if isinstance(item_version, str) else None,
                          item_kind if isinstance(item_kind, str) else None):
            return f"{path}[{i}]", item_kind
        nested = item.get("items")
        if isinstance(nested, list):
            found = _listed_workload(nested, item_kind, item_version, f"{path}[{i}].items")
            if found:
                return found
    return None


def refuse_hidden_workloads(doc: Document) -> None:
    """Fail closed on workloads vnp cannot see into.

    A document whose kind cannot be read and that names a workload kind must
    parse (an unreadable workload would escape the label; Helm would reject
    it anyway).  A list (any object with an ``items`` list, which Helm's client
    flattens: ``kind: List``, a typed ``DeploymentList`` whose items name no kind,
    or any other kind) must not hold workloads: their pods would run without the
    release label.
    """
    kind = doc.kind
    try:
        if kind is None and not doc.is_empty and _WORKLOAD_KIND.search(doc.raw):
            doc.obj  # raises a located VnpError if it does not parse
        elif not doc.is_empty and (kind is not None and kind.endswith("List") or _may_be_list(doc)):
            obj = doc.obj if kind is not None and kind.endswith("List") else doc.decoded
            if not isinstance(obj, dict):
                return
            for key, value in obj.items():
                if not (isinstance(key, str) and key.casefold() == "items" and isinstance(value, list)):
                    continue
                found = _listed_workload(value, obj.get("kind"), obj.get("apiVersion"), key)
                if found:
                    raise VnpError(Problem(
                        f"holds a {found[1]}: vnp cannot label the pods of a workload inside a list "
                        f"(Helm installs its items one by one)", path=found[0], file=doc.source,
                        line=doc.object_line, hint="render each workload as a document of its own"))
    except VnpError as exc:
        raise doc.error_in(exc) from None


def tenant_configured(policies: dict) -> bool:
    """Whether ``policies.tenant`` sets a rule group (the tenant package is imported only then)."""
    tenant = policies.get("tenant")
    return isinstance(tenant, dict) and any(isinstance(v, dict) for k, v in tenant.items() if k != "mode")


def _isolating(policies: dict) -> bool:
    return bool(policies["networkPolicy"]["enabled"])


def guards_pods(policies: dict) -> bool:
    """Whether vnp isolates or checks the release's pods, so that pods it cannot see into matter:
    ``networkPolicy.enabled`` (in either selection mode: such pods would be neither labelled nor
    selected) or a Pod Security standard (their specs would go unchecked)."""
    return _isolating(policies) or policies.get("podSecurityStandard") not in ("", "privileged", None)


def _unseen_hook(doc: Document, hooks_unseen: bool) -> bool:
    return hooks_unseen and HOOK_ANNOTATION.encode() in doc.raw and bool(doc.annotations.get(HOOK_ANNOTATION))


def _workload_refs(workloads: list[Document], policies: dict, warnings: list[RenderWarning]) -> list[dict]:
    if policies["selection"] != "workloadSelectors" or not policies["networkPolicy"]["enabled"]:
        return []  # only workloadSelectors mode selects per workload
    from helm_vnp.k8s.pod_creators import creator_for
    from helm_vnp.k8s.workloads import selector_of
    declared = declared_creators(policies.get("workloadKinds"))
    refs = []
    for d in workloads:
        if not d.name:  # its policy is named after it (Kubernetes refuses a nameless object anyway)
            raise VnpError(Problem(f"{d.kind} without metadata.name: vnp cannot name the NetworkPolicy for its "
                                   "pods", file=d.source, line=d.object_line, path="metadata.name",
                                   expected="a name"))
        creator = None if is_workload(d.kind, d.api_version) else creator_for(d.api_version, d.kind, declared)
        if creator is not None:  # a custom kind: its pods' labels, when there is one set of them to read
            from helm_vnp.stream.pod_sources import sources_in
            try:
                label_sets = [f.labels for f in sources_in(d, creator) if f.labels]
            except VnpError as exc:
                raise d.error_in(exc) from None
            sel = ({"matchLabels": {str(k): "" if v is None else str(v) for k, v in label_sets[0].items()}}
                   if len(label_sets) == 1 else None)
        else:
            sel = selector_of(d.obj, d.kind)
        if sel is None and creator is not None:
            warnings.append(RenderWarning(f"no single set of pod labels vnp can read to select the pods of this "
                                          f"{d.kind} by ({len(label_sets)} found); its pods are not isolated "
                                          "(selection: workloadSelectors); use selection: podLabel", (d,)))
        elif sel is None:
            warnings.append(RenderWarning("no selector or pod labels to select its pods by; its pods are not "
                                          "isolated (selection: workloadSelectors)", (d,)))
        refs.append({"kind": d.kind, "name": d.name, "selector": sel})
    return refs


# kinds Helm's install order puts before ResourceQuota/LimitRange or with them: vnp's objects go after these
_LEADING_KINDS = frozenset({"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange"})


def _assemble(docs: list[Document], generated: list[dict], install_order: bool = False) -> list[bytes]:
    """The output stream: the chart's documents byte for byte, and vnp's objects after them.

    Helm 4 sorts the post-rendered stream into install order itself (its documents carry the
    post-render filename annotation).  Helm 3 creates objects in stream order, so a workload ahead of
    vnp's LimitRange and ResourceQuota would get first pods neither applies to: with ``install_order``
    vnp's objects go where Helm's install order puts them, after the chart's leading Namespaces,
    NetworkPolicies, quotas and limit ranges, before everything else.
    """
    parts = [d.raw for d in docs]
    if not generated:
        return parts
    from helm_vnp.base.yamldump import dump
    helm4 = any(POSTRENDER_FILENAME_ANNOTATION.encode() in p for p in parts)
    ours = []
    for obj in generated:
        if helm4:
            meta = obj["metadata"]
            ann = dict(meta.get("annotations") or {})
            ann[POSTRENDER_FILENAME_ANNOTATION] = GENERATED_SOURCE
            meta["annotations"] = dict(sorted(ann.items()))
            ours.append(b"---\n" + dump(obj).encode("utf-8"))
        else:
            ours.append(f"---\n# Source: {GENERATED_SOURCE}\n".encode() + dump(obj).encode("utf-8"))
    at = _install_position(docs) if install_order and not helm4 else len(parts)
    if at == len(parts):
        if parts and parts[-1] and not parts[-1].endswith(b"\n"):
            parts.append(b"\n")
        return parts + ours
    return parts[:at] + ours + parts[at:]


def _install_position(docs: list[Document]) -> int:
    """Where Helm 3's install order puts vnp's objects: before the first document of a kind that comes after
    LimitRange.  Only before a document that opens with its own ``---`` line, after one that ends its last
    line and holds no directive (a ``%`` line belongs to the document after it): else at the end."""
    for i, doc in enumerate(docs):
        if not doc.raw.strip() or doc.kind in _LEADING_KINDS:  # empty segments order nothing
            continue
        before = docs[i - 1].raw if i else b""
        if not doc.raw.startswith(b"---") or (before and not before.endswith(b"\n")) \
                or before.startswith(b"%") or b"\n%" in before:
            return len(docs)
        return i
    return len(docs)


def enforce_pod_security(workloads: list[Document], policies: dict) -> list[RenderWarning]:
    """Check every workload against ``policies.podSecurityStandard``, at render time.

    vCluster's syncer silently never syncs a pod that violates the configured standard
    (it stays Pending with an event); the post-renderer moves that verdict to the render.
    Workloads matching an entry of ``podSecurity.exemptions`` (kind and name, ``*``
    wildcards) are not checked.  Returns warnings (mode ``warn``); raises VnpError listing every violating
    workload (mode ``enforce``).  ``privileged`` or an unset standard checks nothing.
    """
    level = policies.get("podSecurityStandard") or ""
    if level in ("", "privileged"):
        return []
    from helm_vnp.k8s.podsecurity import warning_message
    from helm_vnp.release.podsecurity import exemption_for, workload_violations

    version = policies.get("podSecurityVersion") or "latest"
    security = policies.get("podSecurity") or {}
    exemptions = security.get("exemptions") or []
    declared = declared_creators(policies.get("workloadKinds"))
    found: list[RenderWarning] = []
    for doc in workloads:
        if exemption_for(doc, exemptions) is not None:
            continue
        try:
            violations = workload_violations(doc, level, version, declared)
        except VnpError as exc:
            raise doc.error_in(exc) from None
        if violations:
            found.append(RenderWarning(warning_message(level, version, violations), (doc,)))
    if not found or security.get("mode", "enforce") == "warn":
        return found
    hint = ("fix the pod spec, exempt the workload under policies.podSecurity.exemptions, "
            "or set policies.podSecurity.mode: warn")
    raise VnpError([Problem(_named(w), file=w.objects[0].source_file or None,
                            hint=hint if i == len(found) - 1 else None) for i, w in enumerate(found)])


def _named(warning: RenderWarning) -> str:
    """``Deployment web: would violate …`` (a nameless workload reads ``<unnamed>``)."""
    doc = warning.objects[0]
    return f"{doc.kind} {doc.name or '<unnamed>'}: {warning.message}"
