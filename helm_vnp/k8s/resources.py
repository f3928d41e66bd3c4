"""Container resources as the API server sees them after defaulting, and pod totals.

Order of events on pod creation:

1. API defaulting: a container that sets a limit but no request for a
   resource gets request = limit.
2. LimitRanger admission: each ``type: Container`` item of each LimitRange in
   the namespace fills what is still missing - ``default`` for limits,
   ``defaultRequest`` for requests (the LimitRange itself was defaulted:
   ``default`` <- ``max``, ``defaultRequest`` <- ``default`` <- ``min``).
   Init containers get the same treatment.
3. Validation: request <= limit; LimitRange min/max/maxLimitRequestRatio;
   ResourceQuota.

A pod's effective request (what quota and the scheduler charge) is
max(sum of app containers + sidecars (init containers with
``restartPolicy: Always``), the peak of the init sequence) + ``spec.overhead``.
"""
from __future__ import annotations

from fractions import Fraction

from helm_vnp.base.record import field, record
from helm_vnp.k8s.quantity import QuantityError, parse_quantity

CONTAINER, POD, PVC = "Container", "Pod", "PersistentVolumeClaim"


def _quantities(mapping) -> dict[str, Fraction]:
    out = {}
    if isinstance(mapping, dict):
        for k, v in mapping.items():
            try:
                out[str(k)] = parse_quantity(v)
            except QuantityError:
                continue  # the schema rejects it; nothing to account
    return out


@record
class LimitItem:
    """One ``spec.limits[]`` entry of a LimitRange, defaulted like the API server does."""
    type: str
    owner: str  # LimitRange name
    default: dict = field(default_factory=dict)
    default_request: dict = field(default_factory=dict)
    min: dict = field(default_factory=dict)
    max: dict = field(default_factory=dict)
    ratio: dict = field(default_factory=dict)  # maxLimitRequestRatio


def limit_items(limit_range: dict) -> list[LimitItem]:
    name = str(((limit_range.get("metadata") or {}).get("name")) or "")
    items = []
    spec = limit_range.get("spec") if isinstance(limit_range.get("spec"), dict) else {}
    for raw in spec.get("limits") if isinstance(spec.get("limits"), list) else []:
        if not isinstance(raw, dict):
            continue
        item = LimitItem(str(raw.get("type") or ""), name, _quantities(raw.get("default")),
                         _quantities(raw.get("defaultRequest")), _quantities(raw.get("min")),
                         _quantities(raw.get("max")), _quantities(raw.get("maxLimitRequestRatio")))
        if item.type == CONTAINER:
            for k, v in item.max.items():
                item.default.setdefault(k, v)
            for k, v in item.default.items():
                item.default_request.setdefault(k, v)
            for k, v in item.min.items():
                item.default_request.setdefault(k, v)
        items.append(item)
    return items


@record
class Effective:
    """One container after defaulting; ``defaulted`` names what the LimitRange filled in."""
    name: str
    requests: dict
    limits: dict
    defaulted: set = field(default_factory=set)  # {"requests.cpu", "limits.memory", ...}
    sidecar: bool = False
    init: bool = False


def effective_container(container: dict, items: list[LimitItem], init: bool = False) -> Effective:
    res = container.get("resources") if isinstance(container.get("resources"), dict) else {}
    requests, limits = _quantities(res.get("requests")), _quantities(res.get("limits"))
    for k, v in limits.items():  # API defaulting
        requests.setdefault(k, v)
    defaulted = set()
    for item in items:
        if item.type != CONTAINER:
            continue
        for k, v in item.default.items():
            if k not in limits:
                limits[k] = v
                defaulted.add(f"limits.{k}")
        for k, v in item.default_request.items():
            if k not in requests:
                requests[k] = v
                defaulted.add(f"requests.{k}")
    return Effective(str(container.get("name") or ""), requests, limits, defaulted,
                     sidecar=init and container.get("restartPolicy") == "Always", init=init)


def pod_containers(spec: dict, items: list[LimitItem]) -> list[Effective]:
    """Init containers (in order), then app containers, after defaulting."""
    out = []
    for key, init in (("initContainers", True), ("containers", False)):
        for c in spec.get(key) if isinstance(spec.get(key), list) else []:
            if isinstance(c, dict):
                out.append(effective_container(c, items, init))
    return out


def _add(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _max(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = max(out.get(k, 0), v)
    return out


POD_LEVEL = ("cpu", "memory")  # and hugepages-*: what pod-level resources may set


def pod_level(spec: dict, which: str) -> dict[str, Fraction]:
    """Pod-level ``spec.resources`` (Kubernetes 1.34+, PodLevelResources): requests default to limits."""
    res = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
    limits = {k: v for k, v in _quantities(res.get("limits")).items() if k in POD_LEVEL or k.startswith("hugepages-")}
    if which == "limits":
        return limits
    requests = {k: v for k, v in _quantities(res.get("requests")).items()
                if k in POD_LEVEL or k.startswith("hugepages-")}
    return {**limits, **requests}


def pod_total(containers: list[Effective], which: str, overhead: dict | None = None,
              spec: dict | None = None) -> dict[str, Fraction]:
    """Effective pod ``requests`` or ``limits`` (Kubernetes' PodRequests/PodLimits): pod-level
    ``spec.resources``, where set, stand for the containers' total of that resource."""
    app: dict = {}
    sidecars: dict = {}
    init_peak: dict = {}
    for c in containers:
        own = getattr(c, which)
        if not c.init:
            app = _add(app, own)
        elif c.sidecar:
            sidecars = _add(sidecars, own)
            init_peak = _max(init_peak, sidecars)
        else:
            init_peak = _max(init_peak, _add(own, sidecars))
    total = _max(_add(app, sidecars), init_peak)
    if spec is not None:
        total.update(pod_level(spec, which))
    if which == "limits":  # PodLimits adds the overhead only to limits that are set (non-zero)
        return {k: v + (overhead or {}).get(k, 0) if v else v for k, v in total.items()}
    return _add(total, overhead or {})


def overhead_of(spec: dict) -> dict[str, Fraction]:
    return _quantities(spec.get("overhead"))


def is_best_effort(containers: list[Effective]) -> bool:
    """QoS BestEffort: no cpu or memory request or limit on any container."""
    return not any(k in ("cpu", "memory") for c in containers for k in (*c.requests, *c.limits))


def pvc_storage_request(spec) -> Fraction | None:
    """``spec.resources.requests.storage`` of a PersistentVolumeClaim (or a volumeClaimTemplate)."""
    from helm_vnp.k8s.quantity import try_quantity
    spec = spec if isinstance(spec, dict) else {}
    res = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
    req = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    return try_quantity(req.get("storage")) if "storage" in req else None


def ephemeral_claims(spec: dict) -> list[tuple[str, dict]]:
    """(volume name, PVC spec) of the pod's generic ephemeral volumes: the ephemeral-volume controller
    creates one PersistentVolumeClaim per pod from each, in the pod's namespace."""
    out = []
    for vol in spec.get("volumes") if isinstance(spec.get("volumes"), list) else []:
        eph = vol.get("ephemeral") if isinstance(vol, dict) else None
        tpl = eph.get("volumeClaimTemplate") if isinstance(eph, dict) else None
        if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
            out.append((str(vol.get("name") or ""), tpl["spec"]))
    return out
