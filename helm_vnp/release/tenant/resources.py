"""Container resources: required requests and limits, limit/request ratios, per-container maxima (what
Capsule v0.14's workload rules and a LimitRange enforce at admission), on every container of every pod spec."""
from __future__ import annotations

from helm_vnp.k8s.quantity import QuantityError, format_quantity, parse_quantity
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import OPERATOR, checked, containers, dotted, view

KEY = "resources"

RULES = (
    TenantRule("tenant.resourceRequests", "a container without a required resource request", """\
A container (init or regular, of every pod-creating object vnp knows) that requests none of a resource listed
in `policies.tenant.resources.requireRequests`. A limit alone counts as the request, as Kubernetes defaults
the request to the limit. Ephemeral containers may not set resources and are not checked.

Why: a pod without requests is scheduled as if it used nothing and is the first evicted; the tenant's quota
cannot account for it.

```yaml
policies:
  tenant:
    resources:
      requireRequests: [cpu, memory]
```
"""),
    TenantRule("tenant.resourceLimits", "a container without a required resource limit", """\
A container (init or regular) without a limit for a resource listed in
`policies.tenant.resources.requireLimits` (typically `memory`: one container cannot take a node's memory).
"""),
    TenantRule("tenant.resourceRatio", "a container's limit too far above its request", """\
A container whose limit/request ratio for a resource exceeds `policies.tenant.resources.maxLimitRequestRatio`,
as a LimitRange's `maxLimitRequestRatio` refuses it: a container with that resource configured must have both
a request (a limit alone is its request) and a limit, and limit / request must not exceed the ratio.
"""),
    TenantRule("tenant.resourceMax", "a container requesting or limited above the tenant's maximum", """\
A container whose request or limit of a resource exceeds `policies.tenant.resources.max` (per container), as a
LimitRange's `max` or Capsule v0.14's workload resource rules refuse it. A quantity Kubernetes cannot read is
a violation too.
"""),
)


def _resources(container: dict) -> tuple[dict, dict]:
    res = container.get("resources") if isinstance(container.get("resources"), dict) else {}
    requests = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    limits = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    return requests, limits


def _quantity(value, doc, path: str, out: list, rule: str):
    try:
        return parse_quantity(value)
    except QuantityError as exc:
        out.append(Violation(rule, doc, path, f"{exc}: Kubernetes refuses it"))
        return None


def check(docs: list, config: dict, declared: tuple) -> list[Violation]:
    out: list[Violation] = []
    need_requests = [str(r) for r in config.get("requireRequests") or ()]
    need_limits = [str(r) for r in config.get("requireLimits") or ()]
    ratios = config.get("maxLimitRequestRatio") or {}
    maxima = config.get("max") or {}
    for doc in checked(docs, declared):
        obj = view(doc)
        for path, list_name, container in containers(doc, obj, declared):
            if not isinstance(container, dict) or list_name in ("ephemeralContainers", OPERATOR):
                continue
            name = container.get("name")
            who = f"container {name!r}" if isinstance(name, str) else "a container"
            requests, limits = _resources(container)
            res_path = path + ("resources",)
            for r in need_requests:
                if r not in requests and r not in limits:
                    out.append(Violation("tenant.resourceRequests", doc, dotted(res_path + ("requests",)),
                                         f"{who} requests no {r} (policies.tenant.resources.requireRequests)"))
            for r in need_limits:
                if r not in limits:
                    out.append(Violation("tenant.resourceLimits", doc, dotted(res_path + ("limits",)),
                                         f"{who} sets no {r} limit (policies.tenant.resources.requireLimits)"))
            for r, most in sorted(maxima.items()):
                cap = parse_quantity(most)
                for field, values in (("requests", requests), ("limits", limits)):
                    if r not in values:
                        continue
                    where = dotted(res_path + (field, r))
                    q = _quantity(values[r], doc, where, out, "tenant.resourceMax")
                    if q is not None and q > cap:
                        out.append(Violation("tenant.resourceMax", doc, where,
                                             f"{who}: {field[:-1]} {r} {values[r]} is above the maximum "
                                             f"{format_quantity(cap, r)} per container"))
            for r, most in sorted(ratios.items()):
                cap = parse_quantity(most)
                where = dotted(res_path)
                request = requests.get(r, limits.get(r))
                limit = limits.get(r)
                if request is None or limit is None:
                    missing = "request" if request is None else "limit"
                    out.append(Violation("tenant.resourceRatio", doc, where,
                                         f"{who} sets no {r} {missing}: the limit/request ratio of {r} is capped at "
                                         f"{most} (policies.tenant.resources.maxLimitRequestRatio)"))
                    continue
                q_req = _quantity(request, doc, dotted(res_path + ("requests", r)), out, "tenant.resourceRatio")
                q_lim = _quantity(limit, doc, dotted(res_path + ("limits", r)), out, "tenant.resourceRatio")
                if q_req is None or q_lim is None:
                    continue
                if q_req <= 0 or q_lim / q_req > cap:
                    ratio = "infinite" if q_req <= 0 else f"{float(q_lim / q_req):g}"
                    out.append(Violation("tenant.resourceRatio", doc, where,
                                         f"{who}: {r} limit {limit} / request {request} = {ratio}, above the "
                                         f"maximum ratio {most}"))
    return out
