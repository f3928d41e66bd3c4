"""A LimitRange's bounds must be in order, or the API server refuses the whole object.

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


def check(policies: dict, user_lr: dict, locate) -> list[Problem]:
    from helm_vnp.k8s.quantity import try_quantity

    lr = policies["limitRange"]
    if not lr["enabled"]:
        return []
    errors = []
    for low_field, high_field, message in _ORDER:
        low, high = lr.get(low_field) or {}, lr.get(high_field) or {}
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
