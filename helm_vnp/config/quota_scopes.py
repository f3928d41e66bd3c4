"""A ResourceQuota with scopes may only limit what those scopes can track.

The API server refuses any other entry ("unsupported scope applied to resource"):
``BestEffort`` tracks ``pods`` only; ``NotBestEffort``, ``Terminating``,
``NotTerminating``, ``PriorityClass`` and ``CrossNamespacePodAffinity`` track
``pods`` and ``cpu``/``memory`` requests and limits (Kubernetes'
``IsResourceQuotaScopeValidForResource``).  Only the standard quota resource names
are held to that (``IsStandardQuotaResourceName``: compute, storage, ``pods``,
``services``, ``secrets``, ...); ``count/<resource>`` entries pass.  Entries the user
wrote are errors; entries that come from the defaults are dropped, with a warning.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem
from helm_vnp.config.paths import join

_PODS = {"pods"}
_COMPUTE = {"cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"}
_TRACKS = {"BestEffort": _PODS}
for _scope in ("NotBestEffort", "Terminating", "NotTerminating", "PriorityClass", "CrossNamespacePodAffinity"):
    _TRACKS[_scope] = _PODS | _COMPUTE
_STANDARD = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
             "limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.storage", "pods", "resourcequotas",
             "services", "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps",
             "services.nodeports", "services.loadbalancers"}


def _standard(key: str) -> bool:
    return key in _STANDARD or key.startswith(("hugepages-", "requests.hugepages-", "limits.hugepages-"))


def scopes_of(rq: dict) -> list[str]:
    scopes = [s for s in rq.get("scopes") or [] if isinstance(s, str)]
    selector = rq.get("scopeSelector") if isinstance(rq.get("scopeSelector"), dict) else {}
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, dict) and isinstance(expr.get("scopeName"), str):
            scopes.append(expr["scopeName"])
    return scopes


def check(policies: dict, user_quota: dict, locate) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings); drops the default entries a scoped quota cannot hold from ``policies``."""
    rq = policies["resourceQuota"]
    scopes = [s for s in scopes_of(rq) if s in _TRACKS]
    if not rq["enabled"] or not scopes:
        return [], []
    allowed = set.intersection(*(_TRACKS[s] for s in scopes))
    errors, dropped = [], []
    for key in list(rq["quota"]):
        if key in allowed or not _standard(key):
            continue
        if key in user_quota:
            path = join(["policies", "resourceQuota", "quota", key])
            file, line = locate(path)
            errors.append(Problem(f"a quota with scopes {', '.join(scopes)} cannot limit {key}: the API server "
                                  "refuses it (unsupported scope applied to resource)", path=path, file=file,
                                  line=line, expected=" or ".join(sorted(allowed))))
        else:
            dropped.append(key)
            del rq["quota"][key]
    warnings = []
    if dropped:
        file, line = locate("policies.resourceQuota.scopes")
        warnings.append(Problem(f"the quota has scopes ({', '.join(scopes)}): default entries it cannot hold are "
                                f"left out: {', '.join(dropped)}", path="policies.resourceQuota", file=file, line=line))
    return errors, warnings
