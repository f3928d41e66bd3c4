"""A LimitRange's bounds must be in order and name container resources, or the API server refuses it.

Kubernetes' ``ValidateLimitRange``, per resource of a ``type: Container`` item: min <= max,
min <= defaultRequest <= max, min <= default <= max, defaultRequest <= default.  vnp merges the
user's keys into its defaults (``default.cpu: 1``, ``defaultRequest.cpu: 100m``, ...), so a user
value can break the order against a default one (``default.cpu: 50m`` is below the default request):
found by tests/cluster, where the API server refused such a LimitRange.  The messages are the API
server's; the blamed value is the one the user wrote (the defaults are in order).
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem
from helm_vnp.config.paths import join

# (smaller field, larger field, the API server's message)
_ORDER = (
    ("min", "max", "min value {a} is greater than max value {b}"),
    ("min", "defaultRequest", "min value {a} is greater than default request value {b}"),
    ("defaultRequest", "max", "default request value {a} is greater than max value {b}"),
    ("defaultRequest", "default", "default request value {a} is greater than default limit value {b}"),
    ("min", "default", "min value {a} is greater than default value {b}"),
    ("default", "max", "default value {a} is greater than max value {b}"),
)


_CONTAINER = ("cpu", "memory", "ephemeral-storage")


def _container_resource(name: str) -> str | None:
    """Why NAME is no resource of a container (the API server's words), or None."""
    if "/" not in name:
        if name in _CONTAINER or name.startswith("hugepages-"):
            return None
        return "must be a standard resource for containers"
    if name.startswith("requests.") and "kubernetes.io/" not in name:
        return "doesn't follow extended resource name standard"
    return None


def check(policies: dict, user_lr: dict, locate) -> list[Problem]:
    from helm_vnp.k8s.quantity import try_quantity

    lr = policies["limitRange"]
    if not lr["enabled"]:
        return []
    errors = []
    # a type: Container item holds container resources only (found by tests/cluster: storage was accepted)
    for field in ("default", "defaultRequest", "min", "max"):
        for resource in sorted(lr.get(field) or {}):
            why = _container_resource(resource)
            if why is None:
                continue
            path = join(["policies", "limitRange", field, resource])
            file, line = locate(path)
            errors.append(Problem(f'"{resource}": {why}: the API server refuses the LimitRange (type Container)',
                                  path=path, file=file, line=line,
                                  expected="cpu, memory, ephemeral-storage, hugepages-<size> or an extended "
                                           "resource such as example.com/gpu"))
    # the API server's defaulting first (SetDefaults_LimitRangeItem): a missing default limit is the max, a
    # missing default request the default limit, else the min
    default = {**(lr.get("max") or {}), **(lr.get("default") or {})}
    request = {**(lr.get("min") or {}), **default, **(lr.get("defaultRequest") or {})}
    effective = {"min": lr.get("min") or {}, "max": lr.get("max") or {}, "default": default,
                 "defaultRequest": request}
    # hugepages and extended resources cannot be overcommitted: the default limit is the default request
    for resource in sorted(set(default) & set(request)):
        if not (resource.startswith("hugepages-") or ("/" in resource and "kubernetes.io/" not in resource)):
            continue
        a, b = try_quantity(default[resource]), try_quantity(request[resource])
        if a is not None and b is not None and a != b:
            path = join(["policies", "limitRange", "defaultRequest", resource])
            file, line = locate(path)
            errors.append(Problem(f"default value {default[resource]} must equal to defaultRequest value "
                                  f"{request[resource]} in {resource}: the API server refuses the LimitRange "
                                  "(it cannot be overcommitted)", path=path, file=file, line=line))
    for low_field, high_field, message in _ORDER:
        low, high = effective[low_field], effective[high_field]
        for resource in sorted(set(low) & set(high)):
            a, b = try_quantity(low[resource]), try_quantity(high[resource])
            if a is None or b is None or a <= b:
                continue
            mine = [f for f in (high_field, low_field)
                    if isinstance(user_lr.get(f), dict) and resource in user_lr[f]]
            path = join(["policies", "limitRange", mine[0] if mine else high_field, resource])
            file, line = locate(path)
            other = low_field if (mine and mine[0] == high_field) else high_field
            errors.append(Problem(
                message.format(a=low[resource], b=high[resource]) + ": the API server refuses the LimitRange",
                path=path, file=file, line=line,
                hint=f"set policies.limitRange.{other}[{resource}] too, or keep the order "
                     "min <= defaultRequest <= default <= max"))
    return errors


_INTEGER = {"pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
            "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"}


def _integer_resource(name: str) -> bool:
    """Kubernetes' IsIntegerResourceName: object counts and extended resources (count/<resource> among them)."""
    if name in _INTEGER:
        return True
    return "/" in name and "kubernetes.io/" not in name and not name.startswith("requests.")


def check_quota(policies: dict, locate) -> list[Problem]:
    """A count in a ResourceQuota must be a whole number (found by tests/cluster: pods: 100m was accepted)."""
    from helm_vnp.k8s.quantity import try_quantity

    rq = policies["resourceQuota"]
    if not rq["enabled"]:
        return []
    errors = []
    for resource, value in sorted(rq["quota"].items()):
        q = try_quantity(value)
        if q is None or q.denominator == 1 or not _integer_resource(resource):
            continue
        path = join(["policies", "resourceQuota", "quota", resource])
        file, line = locate(path)
        errors.append(Problem(f'{resource}: "{value}" must be an integer: the API server refuses the ResourceQuota '
                              "(a count of objects or of an extended resource)", path=path, file=file, line=line,
                              expected="a whole number such as 10"))
    return errors
