"""What the release would charge against a ResourceQuota, contributor by contributor.

A contributor is a workload (its pods at peak, see helm_vnp.k8s.replicas, and
the objects its controller creates), any other namespaced object of the release
in the release namespace (vnp's own included), or Helm's release Secret.
Quota keys are normalised: ``cpu`` -> ``requests.cpu``, ``services`` ->
``count/services``, ...; ``pods`` (pods not finished) and ``count/pods`` (all
pods, a Job's succeeded ones and a CronJob's kept runs included) stay apart.
"""
from __future__ import annotations

from fractions import Fraction

from helm_vnp.base.record import field, record
from helm_vnp.release.model import Obj, PodTemplate, Release

# ``pods`` is not one of them: it counts pods not yet finished, ``count/pods`` all pods
LEGACY_COUNTS = {"services", "secrets", "configmaps", "persistentvolumeclaims", "replicationcontrollers",
                 "resourcequotas"}
POD_RESOURCES = ("requests.", "limits.")
STORAGE_CLASS = ".storageclass.storage.k8s.io/"


def normal_key(key: str) -> str:
    if key in LEGACY_COUNTS:
        return f"count/{key}"
    if key in ("cpu", "memory", "ephemeral-storage") or key.startswith("hugepages-"):
        return f"requests.{key}"
    return key


def is_pod_key(key: str) -> bool:
    """Resources a scoped quota may track: pod counts and compute."""
    return key in ("count/pods", "pods") or key.startswith(POD_RESOURCES) and key != "requests.storage"


@record
class Contributor:
    label: str  # "Deployment web"
    usage: dict = field(default_factory=dict)  # normalised key -> Fraction
    how: str = ""  # "3 replicas"
    pod: PodTemplate | None = None
    containers: list = field(default_factory=list)  # Effective, for pod contributors
    daemonset: bool = False


def _add(usage: dict, key: str, amount) -> None:
    usage[key] = usage.get(key, Fraction(0)) + Fraction(amount)


def _pvc_usage(usage: dict, spec: dict, times: int) -> None:
    from helm_vnp.k8s.resources import pvc_storage_request
    storage = pvc_storage_request(spec) or Fraction(0)
    _add(usage, "count/persistentvolumeclaims", times)
    _add(usage, "requests.storage", storage * times)
    sc = spec.get("storageClassName")
    if isinstance(sc, str) and sc:
        _add(usage, f"{sc}{STORAGE_CLASS}persistentvolumeclaims", times)
        _add(usage, f"{sc}{STORAGE_CLASS}requests.storage", storage * times)


def _hpa_targets(objects: list[Obj], namespace: str) -> dict:
    out = {}
    for o in objects:
        if o.kind != "HorizontalPodAutoscaler" or o.namespace != namespace:
            continue
        spec = o.obj.get("spec") or {}
        target = spec.get("scaleTargetRef") or {}
        top = spec.get("maxReplicas")
        if isinstance(top, int) and isinstance(target, dict):
            key = (target.get("kind"), target.get("name"))
            if key not in out or top > out[key][0]:
                out[key] = (top, o.name)
    return out


def contributors(release: Release, items: list, nodes: int) -> list[Contributor]:
    """Everything in the release namespace that a quota charges, for an install."""
    from helm_vnp.k8s.kinds import NAMESPACED, UNKNOWN, count_key, kind_info
    from helm_vnp.k8s.replicas import concurrent_pods
    from helm_vnp.k8s.resources import ephemeral_claims, overhead_of, pod_containers, pod_total
    hpas = _hpa_targets(release.objects, release.namespace)
    pods: dict = {}
    for ps in release.pods:
        pods.setdefault(id(ps.owner), []).append(ps)
    out = []
    for o in release.objects:
        if o.namespace != release.namespace or o.test_hook:
            continue
        info = kind_info(o.api_version, o.kind, release.crds)
        templates = pods.get(id(o), [])
        if info.scope != NAMESPACED and not (templates and info.scope == UNKNOWN):
            continue  # a custom kind with pods but no CRD in the stream: its pods are in the namespace
        c = Contributor(o.label())
        spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
        ps = templates[0] if templates and templates[0].found is None else None
        key = count_key(o.api_version, o.kind, release.crds)
        if not templates or key != "count/pods":  # a bare Pod's count/pods is its pod count, below
            _add(c.usage, key, 1)
        if templates and ps is None:
            out += _custom_contributors(c, o, templates, items, nodes)
            continue
        if ps is not None:
            count = concurrent_pods(o.kind, o.obj, hpas.get((o.kind, o.name)), nodes)
            c.pod, c.how, c.daemonset = ps, count.how, o.kind == "DaemonSet"
            if count.kept_how:
                c.how += f"; {count.kept_how}"
            c.containers = pod_containers(ps.spec, items)
            overhead = overhead_of(ps.spec)
            n = count.pods
            _add(c.usage, "pods", n)
            _add(c.usage, "count/pods", n + count.kept)
            for which in ("requests", "limits"):
                for r, q in pod_total(c.containers, which, overhead, ps.spec).items():
                    _add(c.usage, f"{which}.{r}", q * n)
            if o.kind == "StatefulSet":
                for tpl in (spec.get("volumeClaimTemplates")
                            if isinstance(spec.get("volumeClaimTemplates"), list) else []):
                    if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
                        _pvc_usage(c.usage, tpl["spec"], n)
            for _name, claim in ephemeral_claims(ps.spec):  # one PVC per pod, kept while the pod is
                _pvc_usage(c.usage, claim, n + count.kept)
            if o.kind == "Deployment":
                _add(c.usage, "count/replicasets.apps", 1)
            if o.kind in ("StatefulSet", "DaemonSet"):
                _add(c.usage, "count/controllerrevisions.apps", 1)
            if o.kind == "CronJob":
                _add(c.usage, "count/jobs.batch", 1)
        elif o.kind == "Service" and o.api_version == "v1":
            ports = spec.get("ports") if isinstance(spec.get("ports"), list) else []
            kind = spec.get("type") or "ClusterIP"
            if kind == "NodePort" or (kind == "LoadBalancer"
                                      and spec.get("allocateLoadBalancerNodePorts") is not False):
                _add(c.usage, "services.nodeports", len(ports))
            elif kind == "LoadBalancer":  # no ports allocated, but those the chart names are still charged
                _add(c.usage, "services.nodeports", sum(1 for p in ports if isinstance(p, dict) and p.get("nodePort")))
            if kind == "LoadBalancer":
                _add(c.usage, "services.loadbalancers", 1)
            if spec.get("selector") and kind != "ExternalName":
                _add(c.usage, "count/endpoints", 1)  # the endpoints controller creates one
        elif o.kind == "PersistentVolumeClaim" and o.api_version == "v1":
            c.usage.pop("count/persistentvolumeclaims", None)
            _pvc_usage(c.usage, spec, 1)
        out.append(c)
    out.append(Contributor(f"Helm's release Secret sh.helm.release.v1.{release.name}.v1",
                           {"count/secrets": Fraction(1)}))
    # every namespace holds it (the root CA publisher creates it), and it counts like any ConfigMap
    out.append(Contributor("ConfigMap kube-root-ca.crt (in every namespace)", {"count/configmaps": Fraction(1)}))
    return out


def _custom_contributors(first: Contributor, o: Obj, templates: list, items: list, nodes: int) -> list[Contributor]:
    """A custom kind's pods (``k8s.pod_creators``), one contributor per place it keeps pods: the count
    from its replicas paths; compute from its pod spec, or from what the kind states it requests
    (``PodTemplate.quota_spec``: a VM's CPU and memory, a Prometheus's resources), else none."""
    from helm_vnp.k8s.pod_creators import pod_count
    from helm_vnp.k8s.resources import ephemeral_claims, overhead_of, pod_containers, pod_total
    out = []
    for i, ps in enumerate(templates):
        c = first if i == 0 else Contributor(ps.label())
        if i == 0:
            c.label = ps.label()
        n, how = pod_count(o.obj, ps.found, nodes)
        spec = ps.charged_spec
        c.pod, c.how, c.daemonset = ps, how, ps.found.source.per_node
        if spec is None:
            c.how += "; requests not known (not counted)"
        c.containers = pod_containers(spec or {}, items)
        _add(c.usage, "pods", n)
        _add(c.usage, "count/pods", n)
        for which in ("requests", "limits"):
            for r, q in pod_total(c.containers, which, overhead_of(spec or {}), spec or {}).items():
                _add(c.usage, f"{which}.{r}", q * n)
        for _name, claim in ephemeral_claims(ps.spec):
            _pvc_usage(c.usage, claim, n)
        out.append(c)
    return out


def scope_matches(quota_spec: dict, c: Contributor) -> bool:
    """Does a scoped quota track this pod contributor (scopes and scopeSelector, ANDed)?"""
    from helm_vnp.k8s.resources import is_best_effort
    spec = c.pod.spec
    pcn = spec.get("priorityClassName") if isinstance(spec.get("priorityClassName"), str) else ""
    ads = spec.get("activeDeadlineSeconds")
    facts = {
        "BestEffort": is_best_effort(c.containers),
        "Terminating": isinstance(ads, int) and ads >= 0,
        "PriorityClass": bool(pcn),
        "CrossNamespacePodAffinity": _cross_namespace_affinity(spec),
    }
    facts["NotBestEffort"] = not facts["BestEffort"]
    facts["NotTerminating"] = not facts["Terminating"]
    scopes = quota_spec.get("scopes")
    for scope in scopes if isinstance(scopes, list) else [scopes] if scopes else []:
        if not facts.get(scope, False):
            return False
    selector = quota_spec.get("scopeSelector") if isinstance(quota_spec.get("scopeSelector"), dict) else {}
    exprs = selector.get("matchExpressions") if isinstance(selector.get("matchExpressions"), list) else []
    for expr in exprs:
        if not isinstance(expr, dict):
            return False  # the API server rejects such a quota; count nothing against it
        name, op, values = expr.get("scopeName"), expr.get("operator"), [str(x) for x in expr.get("values") or []]
        if name == "PriorityClass" and op in ("In", "NotIn"):
            ok = (pcn in values) == (op == "In")
        elif op == "Exists":
            ok = facts.get(name, False)
        elif op == "DoesNotExist":
            ok = name != "PriorityClass" and not facts.get(name, False)
        else:
            ok = False
        if not ok:
            return False
    return True


def _cross_namespace_affinity(spec: dict) -> bool:
    affinity = spec.get("affinity") if isinstance(spec.get("affinity"), dict) else {}
    for key in ("podAffinity", "podAntiAffinity"):
        a = affinity.get(key) if isinstance(affinity.get(key), dict) else {}
        terms = list(a.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
        terms += [t.get("podAffinityTerm") for t in a.get("preferredDuringSchedulingIgnoredDuringExecution") or []
                  if isinstance(t, dict)]
        if any(isinstance(t, dict) and (t.get("namespaces") or "namespaceSelector" in t) for t in terms):
            return True
    return False
