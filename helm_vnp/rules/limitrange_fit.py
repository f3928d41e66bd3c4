"""limitrange.fit: containers the LimitRange would make the API server reject.

**What it checks.** Every container and init container of every pod template in
the release namespace, after the defaulting the API server applies (a limit
without a request gets request = limit; the LimitRange's ``default`` and
``defaultRequest`` fill what is still missing), against each LimitRange in the
namespace - vnp's (``policies.limitRange``) and any the chart renders:

- ``type: Container``: ``min`` (request and limit must be at least it; a missing
  request is an error), ``max`` (limit and request at most it; a missing limit
  is an error), ``maxLimitRequestRatio``;
- ``type: Pod``: the same on the pod's total;
- ``type: PersistentVolumeClaim``: the storage request of PVCs and
  ``volumeClaimTemplates``;
- and request <= limit, which defaulting easily breaks: a container that sets
  ``requests.memory: 1Gi`` and no limit gets the default limit (512Mi in the
  reference config) and is rejected.

**Why.** A rejected pod never starts: the Deployment stays at 0 ready replicas
with only an event (``FailedCreate``) to tell why; vCluster only leaves the
pod Pending.

**Example that triggers it** (reference ``limitRange.default.memory: 512Mi``)::

    containers:
    - name: app
      resources:
        requests: {memory: 1Gi}

**Fix.** Set an explicit limit at least as large as the request (the chart's
``resources`` value), or raise ``policies.limitRange.default`` /
``max`` so the defaulted limit fits.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="limitrange.fit", severity="error",
            summary="containers outside LimitRange min/max, or with a request above their (defaulted) limit")


def _fmt(q, resource):
    from helm_vnp.k8s.quantity import format_quantity
    return format_quantity(q, resource)


def _bounds(item, requests: dict, limits: dict, what: str) -> list[str]:
    """The API server's LimitRanger messages for one item, ``what`` = Container/Pod."""
    out = []
    for r, low in sorted(item.min.items()):
        if r not in requests:
            out.append(f"minimum {r} usage per {what} is {_fmt(low, r)}. No request is specified")
        elif requests[r] < low:
            out.append(f"minimum {r} usage per {what} is {_fmt(low, r)}, but request is {_fmt(requests[r], r)}")
        elif r in limits and limits[r] < low:
            out.append(f"minimum {r} usage per {what} is {_fmt(low, r)}, but limit is {_fmt(limits[r], r)}")
    for r, high in sorted(item.max.items()):
        if r not in limits:
            out.append(f"maximum {r} usage per {what} is {_fmt(high, r)}. No limit is specified")
        elif limits[r] > high:
            out.append(f"maximum {r} usage per {what} is {_fmt(high, r)}, but limit is {_fmt(limits[r], r)}")
        elif r in requests and requests[r] > high:
            out.append(f"maximum {r} usage per {what} is {_fmt(high, r)}, but request is {_fmt(requests[r], r)}")
    for r, ratio in sorted(item.ratio.items()):
        req, lim = requests.get(r), limits.get(r)
        if not req:
            out.append(f"{r} max limit to request ratio per {what} is {_fmt(ratio, '')}, but no request "
                       "is specified or request is 0")
        elif not lim:
            out.append(f"{r} max limit to request ratio per {what} is {_fmt(ratio, '')}, but no limit "
                       "is specified or limit is 0")
        elif lim / req > ratio:
            out.append(f"{r} max limit to request ratio per {what} is {_fmt(ratio, '')}, but provided ratio "
                       f"is {float(lim / req):.6f}")
    return out


def _pvc_messages(items, request) -> list[str]:
    out = []
    for item in items:
        if item.type != "PersistentVolumeClaim":
            continue
        low, high = item.min.get("storage"), item.max.get("storage")
        if low is not None and (request is None or request < low):
            got = "no request is specified" if request is None else f"request is {_fmt(request, 'storage')}"
            out.append(f"minimum storage usage per PersistentVolumeClaim is {_fmt(low, 'storage')}, but {got}")
        if high is not None and request is not None and request > high:
            out.append(f"maximum storage usage per PersistentVolumeClaim is {_fmt(high, 'storage')}, "
                       f"but request is {_fmt(request, 'storage')}")
    return out


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.resources import CONTAINER, POD, ephemeral_claims, pod_containers, pod_total, pvc_storage_request
    items = release.limit_items
    if not items:
        return
    owners = sorted({i.owner for i in items})
    by = f"LimitRange {', '.join(owners)}"
    for ps in release.pods:
        o = ps.owner
        if o.namespace != release.namespace:
            continue
        containers = pod_containers(ps.spec, items)
        for c in containers:
            msgs = [f"{r} request {_fmt(q, r)} exceeds its limit {_fmt(c.limits[r], r)}"
                    + (f" (the limit is {by}'s default)" if f"limits.{r}" in c.defaulted else "")
                    for r, q in sorted(c.requests.items()) if r in c.limits and q > c.limits[r]]
            for item in items:
                if item.type == CONTAINER:
                    msgs += _bounds(item, c.requests, c.limits, "Container")
            if msgs:
                role = "init container" if c.init else "container"
                yield Finding(RULE.id, RULE.severity,
                              f"{o.kind} {o.name}: {role} {c.name} would be rejected ({by}): {'; '.join(msgs)}",
                              release.ref_of(o), release.source(o.doc), container=c.name)
        pod_msgs = []
        for item in items:
            if item.type == POD:
                pod_msgs += _bounds(item, pod_total(containers, "requests", spec=ps.spec),
                                    pod_total(containers, "limits", spec=ps.spec), "Pod")
        spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
        templates = spec.get("volumeClaimTemplates") if o.kind == "StatefulSet" else None
        for tpl in templates if isinstance(templates, list) else []:
            if isinstance(tpl, dict):
                meta = tpl.get("metadata") if isinstance(tpl.get("metadata"), dict) else {}
                tspec = tpl.get("spec") if isinstance(tpl.get("spec"), dict) else {}
                pod_msgs += [f"volumeClaimTemplate {meta.get('name', '')}: {m}"
                             for m in _pvc_messages(items, pvc_storage_request(tspec))]
        for name, claim in ephemeral_claims(ps.spec):
            pod_msgs += [f"ephemeral volume {name}: {m}" for m in _pvc_messages(items, pvc_storage_request(claim))]
        if pod_msgs:
            yield Finding(RULE.id, RULE.severity, f"{o.kind} {o.name}: would be rejected ({by}): {'; '.join(pod_msgs)}",
                          release.ref_of(o), release.source(o.doc))
    for o in release.objects:
        if o.kind == "PersistentVolumeClaim" and not o.generated and o.namespace == release.namespace:
            spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
            msgs = _pvc_messages(items, pvc_storage_request(spec))
            if msgs:
                yield Finding(RULE.id, RULE.severity,
                              f"PersistentVolumeClaim {o.name} would be rejected ({by}): {'; '.join(msgs)}",
                              release.ref_of(o), release.source(o.doc))
