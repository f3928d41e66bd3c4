"""How many pods of a workload can run at once, before anything is running.

- Deployment, StatefulSet, ReplicaSet, ReplicationController: ``spec.replicas``
  (default 1), or the ``maxReplicas`` of a HorizontalPodAutoscaler targeting it
  when that is larger (the autoscaler may scale up to it).
- Job: ``parallelism`` (default 1), capped by ``completions``; 0 when suspended.
- CronJob: that per run, times the runs that may overlap: ``Forbid`` and
  ``Replace`` allow one; ``Allow`` allows any number - counted as one (an
  assumption: overlapping only happens when a run outlasts the schedule).
- DaemonSet: one per node; the node count is unknown before install and comes
  from the caller (the ``nodes`` option of quota.fit, default 1).
- Pod: 1.

``Count.kept`` adds the finished pods that stay and still count against ``count/pods``
(it counts pods in every state; ``pods`` counts those not finished): a Job's succeeded
pods stay until the Job is deleted, so a Job makes ``completions`` pods (at least: failed
retries add more); a CronJob keeps ``successfulJobsHistoryLimit`` (default 3) finished runs.
"""
from __future__ import annotations

from helm_vnp.base.record import record


@record(frozen=True)
class Count:
    pods: int  # running at once
    how: str  # short explanation for messages, e.g. "maxReplicas 10 of HPA web"
    kept: int = 0  # finished pods that stay (count/pods counts them, pods does not)
    kept_how: str = ""


def _int(value, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _job_pods(spec: dict) -> tuple[int, str]:
    if spec.get("suspend") is True:
        return 0, "suspended"
    parallelism = _int(spec.get("parallelism"), 1)
    completions = spec.get("completions")
    if isinstance(completions, int) and not isinstance(completions, bool) and 0 <= completions < parallelism:
        return completions, f"completions {completions}"
    return parallelism, f"parallelism {parallelism}"


def _job_total(spec: dict) -> int:
    """Pods one Job run makes in all when every pod succeeds: ``completions`` (default: as parallelism)."""
    if spec.get("suspend") is True:
        return 0
    completions = spec.get("completions")
    if isinstance(completions, int) and not isinstance(completions, bool) and completions >= 0:
        return completions
    return _int(spec.get("parallelism"), 1)


def concurrent_pods(kind: str, obj: dict, hpa_max: tuple[int, str] | None = None, nodes: int = 1) -> Count:
    """Peak concurrent pods of one workload object."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if kind == "Pod":
        return Count(1, "1 pod")
    if kind == "DaemonSet":
        return Count(nodes, f"1 per node × {nodes} node{'s' if nodes != 1 else ''}")
    if kind == "Job":
        n, how = _job_pods(spec)
        total = _job_total(spec)
        return Count(n, how, max(0, total - n), f"{total} pods in all (completions)" if total > n else "")
    if kind == "CronJob":
        if spec.get("suspend") is True:
            return Count(0, "suspended")
        job = ((spec.get("jobTemplate") or {}).get("spec")) or {}
        job = job if isinstance(job, dict) else {}
        n, how = _job_pods(job)
        policy = spec.get("concurrencyPolicy") or "Allow"
        history = _int(spec.get("successfulJobsHistoryLimit"), 3)
        per_run = _job_total(job)
        kept = history * per_run + max(0, per_run - n)
        return Count(n, f"{how}, 1 concurrent run ({policy})", kept,
                     f"{history} finished run{'s' if history != 1 else ''} kept (successfulJobsHistoryLimit)"
                     if kept else "")
    replicas = _int(spec.get("replicas"), 1)
    if hpa_max is not None and hpa_max[0] > replicas:
        return Count(hpa_max[0], f"maxReplicas {hpa_max[0]} of HorizontalPodAutoscaler {hpa_max[1]}")
    return Count(replicas, f"{replicas} replica{'s' if replicas != 1 else ''}")
