"""The opt-in post-render mutations of the chart's pod specs and ServiceAccounts.

- ``policies.hardening``: pod and container ``securityContext`` fields that make a pod pass the
  chosen Pod Security Standard, each only where the chart left it unset (``HARDENING_FIELDS``);
- ``policies.nodeIsolation``: ``nodeSelector`` entries, tolerations, ``runtimeClassName``,
  ``priorityClassName`` merged into every pod spec; a contradiction is an error unless ``override``;
- ``policies.serviceAccountTokens``: ``automountServiceAccountToken: false`` on pods and
  ServiceAccounts whose account no RBAC binding of the release names (``allow``: left alone).

Each decision is made on the document as Kubernetes decodes it; ``stream.patching`` writes it as
minimal text edits and checks that exactly that change is what Kubernetes will decode.  ``Note``s
say what was left as the chart wrote it and why (the ``mutation.notApplied`` lint rule reports them).
"""
from __future__ import annotations

import copy

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import record
from helm_vnp.base.text import brief_json
from helm_vnp.base.tree import value_at
from helm_vnp.k8s.pod_creators import creator_for, find_sources, show_path
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_pod_template, is_workload
from helm_vnp.stream.document import Document

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
DEFAULT_ID = 12345  # the seed's example UID/GID (vCluster's "running as non root" page)

# field -> (level, where: "pod" or "container"): which standard needs it; baseline and privileged get the
# fields that harden without changing the user a container runs as
HARDENING_FIELDS = {
    "runAsNonRoot": ("restricted", "pod"), "runAsUser": ("restricted", "pod"), "runAsGroup": ("restricted", "pod"),
    "fsGroup": ("restricted", "pod"), "seccompProfile": ("baseline", "pod"),
    "allowPrivilegeEscalation": ("baseline", "container"), "dropAllCapabilities": ("restricted", "container"),
}
LINUX_ONLY = frozenset({"runAsUser", "runAsGroup", "fsGroup", "seccompProfile", "allowPrivilegeEscalation",
                        "dropAllCapabilities"})


@record(frozen=True)
class Note:
    """Something a mutation left as the chart wrote it: ``doc`` (the output document), ``feature``
    (``hardening``, ``nodeIsolation``, ``serviceAccountTokens``), the dotted ``path`` and why."""
    doc: Document
    feature: str
    path: str
    message: str


def wanted(policies: dict) -> bool:
    return bool(hardening_values(policies) or _node(policies) or _tokens(policies))


def hardening_values(policies: dict) -> dict:
    """The hardening fields to set and their values ({} when hardening is off)."""
    h = policies.get("hardening") or {}
    if not h.get("enabled"):
        return {}
    level = policies.get("podSecurityStandard") or "restricted"
    out = {}
    for name, (needed_at, _) in HARDENING_FIELDS.items():
        value = h.get(name)
        if value is None:  # not configured: the standard's default
            if needed_at == "restricted" and level != "restricted":
                continue
            value = {"runAsNonRoot": True, "seccompProfile": "RuntimeDefault", "allowPrivilegeEscalation": False,
                     "dropAllCapabilities": True}.get(name, DEFAULT_ID)
        if value is False and name in ("dropAllCapabilities", "runAsNonRoot"):
            continue  # turned off
        if value == "" and name == "seccompProfile":
            continue
        out[name] = value
    return out


def _node(policies: dict) -> dict:
    n = policies.get("nodeIsolation") or {}
    return n if any(n.get(k) for k in ("nodeSelector", "tolerations", "runtimeClassName", "priorityClassName")) else {}


def _tokens(policies: dict) -> dict:
    t = policies.get("serviceAccountTokens") or {}
    return t if t.get("disableAutomount") else {}


def mutate_documents(docs: list[Document], policies: dict, declared: tuple, namespace: str | None,
                     unseen: list[Document] = (), skip_tokens: bool = False):
    """(documents with the mutations applied, ``Note``s).  ``unseen``: hooks Helm 3 never hands to a
    post-renderer (left alone, noted when they make pods); ``skip_tokens``: the stream lacks the
    release's RBAC (the hooks' pass of Helm 4.2's ``separate`` strategy): tokens are left alone."""
    from helm_vnp.k8s.pod_creators import is_pod_creator
    hard, node = hardening_values(policies), _node(policies)
    tokens = {} if skip_tokens else _tokens(policies)
    bound: set[str] | None = None
    if tokens:
        bound = set(_bound(docs, namespace)) | {str(a) for a in tokens.get("allow") or ()}
    skipped = {id(d) for d in unseen}
    out, notes = [], []
    for doc in docs:
        creator = is_pod_creator(doc.api_version, doc.kind, declared) or is_pod_template(doc.kind, doc.api_version)
        if id(doc) in skipped:
            out.append(doc)
            if creator:
                notes += [Note(doc, f, "", "a Helm hook: Helm 3 does not hand hooks to a post-renderer, so vnp "
                                           f"cannot apply {f} to its pods (Helm 4 does)")
                          for f, on in (("hardening", hard), ("nodeIsolation", node), ("serviceAccountTokens", tokens))
                          if on]
            continue
        if creator:
            edited, found = _mutate_workload(doc, hard, node, bound, declared)
        elif bound is not None and doc.kind == "ServiceAccount" and doc.api_version == "v1":
            edited, found = _mutate_account(doc, bound)
        else:
            out.append(doc)
            continue
        out.append(edited)
        notes += [Note(edited, *n) for n in found]
    return out, notes


def _bound(docs: list[Document], namespace: str | None) -> list[str]:
    from helm_vnp.generate.traffic import RBAC_KINDS, bound_service_accounts
    objects = [d.obj_or_none for d in docs if d.kind in RBAC_KINDS]
    return bound_service_accounts([o for o in objects if isinstance(o, dict)], namespace)


def pod_specs(doc: Document, obj, declared: tuple) -> tuple[list[tuple[tuple, bool]], list[str]]:
    """([(path of a pod spec, whether it is a Kubernetes PodSpec)], places with pods but no spec vnp
    can edit).  A v1 PodTemplate makes no pods, but Pod Security checks it (and whoever uses it makes pods
    of it): it is hardened too.  A KubeVirt template's spec is a VirtualMachineInstanceSpec: (path, False)."""
    template = is_pod_template(doc.kind, doc.api_version)
    path = ("template", "metadata") if template else POD_METADATA_PATH.get(doc.kind or "")
    if path is not None and (template or is_workload(doc.kind, doc.api_version)):
        spec = path[:-1] + ("spec",)
        parent = value_at(obj, path[:-1])
        return ([(spec, True)] if isinstance(parent, dict) and isinstance(parent.get("spec"), dict) else []), []
    creator = creator_for(doc.api_version, doc.kind, declared)
    specs, none = [], []
    for found in find_sources(obj, creator) if creator is not None else ():
        if not found.source.template:
            none.append(found.where)
            continue
        where = found.metadata_path[:-1] + ("spec",)
        if isinstance(value_at(obj, where), dict):
            specs.append((where, found.source.pod_spec))
    return specs, none


def _mutate_workload(doc: Document, hard: dict, node: dict, bound: set | None, declared: tuple):
    from helm_vnp.stream.patching import kubernetes_object, patch
    try:
        before = kubernetes_object(doc)
        if not isinstance(before, dict):
            return doc, []
        want = copy.deepcopy(before)
        specs, none = pod_specs(doc, want, declared)
    except VnpError as exc:
        raise doc.error_in(exc) from None
    notes: list[tuple] = []
    for where in none:
        for feature, on in (("hardening", hard), ("nodeIsolation", node), ("serviceAccountTokens", bound)):
            if on:
                notes.append((feature, where, f"{doc.kind} has no pod spec at {where} (its controller makes "
                                              "the pods): vnp cannot set it there"))
    problems: list[Problem] = []
    for path, is_pod_spec in specs:
        spec = value_at(want, path)
        shown = show_path(path)
        if hard:
            if is_pod_spec:
                notes += [("hardening",) + n for n in _harden(spec, hard, shown)]
            else:
                notes.append(("hardening", shown, f"{shown} is not a PodSpec ({doc.kind}): its pods' security "
                                                  "context is the controller's; vnp cannot set it there"))
        if node:
            problems += _place(doc, spec, node, shown, is_pod_spec, notes)
        if bound is not None:
            if is_pod_spec:
                notes += [("serviceAccountTokens",) + n for n in _no_token(spec, bound, shown)]
            else:
                notes.append(("serviceAccountTokens", shown, f"{shown} is not a PodSpec ({doc.kind}): vnp "
                                                             "cannot set automountServiceAccountToken there"))
    if problems:
        raise VnpError(problems)
    what = ", ".join(f for f, on in (("hardening", hard), ("node isolation", node),
                                     ("service account tokens", bound is not None)) if on)
    try:
        return patch(doc, before, want, what), notes
    except VnpError as exc:
        raise doc.error_in(exc) from None


def _mutate_account(doc: Document, bound: set):
    from helm_vnp.stream.patching import kubernetes_object, patch
    try:
        before = kubernetes_object(doc)
    except VnpError as exc:
        raise doc.error_in(exc) from None
    if not isinstance(before, dict) or doc.name in bound or doc.name is None:
        return doc, []
    if "automountServiceAccountToken" in before:
        chart = before["automountServiceAccountToken"]
        if chart is not False:
            return doc, [("serviceAccountTokens", "automountServiceAccountToken",
                          f"the chart sets automountServiceAccountToken: {brief_json(chart)} on this ServiceAccount; "
                          "vnp keeps it")]
        return doc, []
    want = dict(before, automountServiceAccountToken=False)
    try:
        return patch(doc, before, want, "service account tokens"), []
    except VnpError as exc:
        raise doc.error_in(exc) from None


# -- hardening ----------------------------------------------------------------------------------------------

def _harden(spec: dict, values: dict, where: str) -> list[tuple]:
    """Set the hardening fields left unset in ``spec`` (in place); notes for what the chart set otherwise."""
    notes = []
    windows = isinstance(spec.get("os"), dict) and spec["os"].get("name") == "windows"
    fields = {k: v for k, v in values.items() if not (windows and k in LINUX_ONLY)}
    pod_fields = {k: v for k, v in fields.items() if HARDENING_FIELDS[k][1] == "pod"}
    ctx_path = f"{where}.securityContext"
    if pod_fields:
        ctx, was = _ensure(spec, "securityContext")
        if isinstance(ctx, dict):
            for name, value in pod_fields.items():
                target = {"type": value} if name == "seccompProfile" else value
                if name not in ctx:
                    ctx[name] = target
                elif not _agrees(name, ctx[name], value):
                    notes.append((f"{ctx_path}.{name}", f"the chart sets {ctx_path}.{name}: {brief_json(ctx[name])} "
                                                        f"(hardening would set {brief_json(target)}); vnp keeps it"))
            _unensure(spec, "securityContext", was)
        else:
            notes.append((ctx_path, f"{ctx_path} is not a mapping; vnp leaves it"))
    container_fields = {k: v for k, v in fields.items() if HARDENING_FIELDS[k][1] == "container"}
    for list_name in CONTAINER_LISTS:
        containers = spec.get(list_name)
        if not isinstance(containers, list):
            continue
        for i, c in enumerate(containers):
            if not isinstance(c, dict):
                continue
            cpath = f"{where}.{list_name}[{i}].securityContext"
            notes += _harden_container(c, container_fields, cpath, pod_fields)
    return notes


def _harden_container(c: dict, fields: dict, cpath: str, pod_fields: dict) -> list[tuple]:
    notes = []
    ctx = c.get("securityContext")
    if not isinstance(ctx, dict) and ctx is not None:
        return [(cpath, f"{cpath} is not a mapping; vnp leaves it")]
    for name in ("runAsNonRoot", "runAsUser", "seccompProfile"):  # a container's own value wins over the pod's
        if name in pod_fields and isinstance(ctx, dict) and name in ctx \
                and not _agrees(name, ctx[name], pod_fields[name]):
            notes.append((f"{cpath}.{name}", f"the chart sets {cpath}.{name}: {brief_json(ctx[name])}, which wins over "
                                             "the pod's; vnp keeps it"))
    if not fields:
        return notes
    ctx, was = _ensure(c, "securityContext")
    if "allowPrivilegeEscalation" in fields:
        if "allowPrivilegeEscalation" not in ctx:
            ctx["allowPrivilegeEscalation"] = False
        elif ctx["allowPrivilegeEscalation"] is not False:
            chart = brief_json(ctx["allowPrivilegeEscalation"])
            notes.append((f"{cpath}.allowPrivilegeEscalation",
                           f"the chart sets {cpath}.allowPrivilegeEscalation: {chart}; vnp keeps it"))
    if fields.get("dropAllCapabilities"):
        caps = ctx.get("capabilities")
        if caps is None:
            ctx["capabilities"] = {"drop": ["ALL"]}
        elif not isinstance(caps, dict):
            notes.append((f"{cpath}.capabilities", f"{cpath}.capabilities is not a mapping; vnp leaves it"))
        elif caps.get("drop") is None:
            caps["drop"] = ["ALL"]
        elif not (isinstance(caps["drop"], list) and "ALL" in caps["drop"]):
            notes.append((f"{cpath}.capabilities.drop", f"the chart sets {cpath}.capabilities.drop: "
                                                        f"{brief_json(caps['drop'])} without ALL; vnp keeps it"))
    _unensure(c, "securityContext", was)
    return notes


def _ensure(parent: dict, key: str):
    """(``parent[key]``, made an empty mapping when absent or null; how it was, for ``_unensure``)."""
    was = (key in parent, parent.get(key))
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value, was


def _unensure(parent: dict, key: str, was: tuple) -> None:
    """Undo ``_ensure`` when nothing was put in the mapping it made: no change there."""
    present, value = was
    if value is None and parent.get(key) == {}:
        if present:
            parent[key] = None
        else:
            del parent[key]



def _agrees(name: str, chart, value) -> bool:
    if name == "seccompProfile":
        return isinstance(chart, dict) and chart.get("type") in ("RuntimeDefault", "Localhost")
    if name == "runAsNonRoot":
        return chart is True
    if name == "runAsUser":
        return chart != 0
    return True  # runAsGroup, fsGroup: any explicit value is the chart's choice, not a failure


# -- node isolation -----------------------------------------------------------------------------------------

def _place(doc: Document, spec: dict, node: dict, where: str, is_pod_spec: bool, notes: list) -> list[Problem]:
    """Merge the node settings into ``spec`` (in place); the contradictions, as problems."""
    override = node.get("override") is True
    problems = []

    def contradiction(path: str, chart, value, config: str) -> None:
        if override:
            return
        problems.append(Problem(
            f"{doc.kind} {doc.name or '<unnamed>'}: {path}: the chart sets {brief_json(chart)}, {config} sets "
            f"{brief_json(value)}", file=doc.source, line=doc.object_line, path=path,
            hint="set policies.nodeIsolation.override: true to replace the chart's value, or change the config"))

    selector = node.get("nodeSelector") or {}
    if selector:
        have, was = _ensure(spec, "nodeSelector")
        if not isinstance(have, dict):
            problems.append(Problem(f"{doc.kind} {doc.name}: {where}.nodeSelector is not a mapping",
                                    file=doc.source, line=doc.object_line, path=f"{where}.nodeSelector"))
        else:
            for k, v in selector.items():
                if k in have and have[k] != v:
                    contradiction(f"{where}.nodeSelector.{k}", have[k], v, f"policies.nodeIsolation.nodeSelector.{k}")
                    if not override:
                        continue
                have[k] = v
            _unensure(spec, "nodeSelector", was)
    tolerations = node.get("tolerations") or []
    if tolerations:
        have = spec.get("tolerations")
        if have is None:
            have = []
        if not isinstance(have, list):
            problems.append(Problem(f"{doc.kind} {doc.name}: {where}.tolerations is not a list",
                                    file=doc.source, line=doc.object_line, path=f"{where}.tolerations"))
        else:
            new = [t for t in tolerations if t not in have]
            if new:
                spec["tolerations"] = new + have
    for name in ("runtimeClassName", "priorityClassName"):
        value = node.get(name)
        if not value:
            continue
        if name == "runtimeClassName" and not is_pod_spec:
            notes.append(("nodeIsolation", f"{where}.{name}", f"{where} is not a PodSpec ({doc.kind}): its "
                                                              "runtime class is the controller's"))
            continue
        if name in spec and spec[name] not in (None, "") and spec[name] != value:
            contradiction(f"{where}.{name}", spec[name], value, f"policies.nodeIsolation.{name}")
            if not override:
                continue
        spec[name] = value
    return problems


# -- service account tokens ---------------------------------------------------------------------------------

def _no_token(spec: dict, bound: set, where: str) -> list[tuple]:
    account = str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")
    if account in bound:
        return []
    if "automountServiceAccountToken" not in spec:
        spec["automountServiceAccountToken"] = False
        return []
    if spec["automountServiceAccountToken"] is not False:
        return [(f"{where}.automountServiceAccountToken",
                 f"the chart sets {where}.automountServiceAccountToken: "
                 f"{brief_json(spec['automountServiceAccountToken'])}; vnp keeps it")]
    return []
