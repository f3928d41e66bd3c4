"""quota.fit: the release does not fit in the namespace's ResourceQuota (or barely does).

**What it checks.** For each ResourceQuota in the release namespace - vnp's
(``policies.resourceQuota``) and any the chart renders - and each ``hard``
entry, what installing the release would use at peak:

- compute (``requests.*``, ``limits.*``, ``cpu``, ``memory``, …): per pod, after
  the LimitRange defaults (see ``limitrange.fit``), the effective pod value the
  quota admission charges - max(sum of the app containers and sidecar init
  containers, the peak of the init sequence), or the pod-level ``spec.resources``
  where set (Kubernetes 1.34+), plus ``spec.overhead`` - times the pods running
  at once: ``replicas`` (or an HPA's ``maxReplicas`` when larger),
  Job ``parallelism`` (capped by ``completions``), one run per CronJob (for
  ``concurrencyPolicy: Allow`` an *assumption*: runs only overlap when one
  outlasts the schedule), one pod per node for DaemonSets times the option
  ``nodes`` (default 1: the node count is unknown before install);
- object counts: ``pods`` (pods not finished: the running ones above) and
  ``count/pods`` (every pod: also a Job's succeeded pods, ``completions`` in all,
  and the ``successfulJobsHistoryLimit`` runs a CronJob keeps, default 3), ``services``, ``services.loadbalancers``,
  ``services.nodeports`` (each port of a NodePort Service, and of a
  LoadBalancer one unless ``allocateLoadBalancerNodePorts: false``, and then those
  that name a ``nodePort``),
  ``secrets`` (plus Helm's own release Secret), ``configmaps`` (plus the
  ``kube-root-ca.crt`` every namespace holds),
  ``persistentvolumeclaims`` and ``requests.storage`` (standalone PVCs,
  ``volumeClaimTemplates`` × replicas and generic ephemeral volumes × pods, also per
  storage class), ``count/endpoints``
  (one per Service with a selector) and any ``count/<resource>.<group>``
  (ReplicaSets of Deployments, ControllerRevisions, Jobs of CronJobs included);
- scoped quotas (``scopes``, ``scopeSelector``: BestEffort, NotBestEffort,
  Terminating, NotTerminating, PriorityClass, CrossNamespacePodAffinity) count
  only the pods they match.

Hook Jobs and Pods count (they run during install, and this assumes they
overlap with everything else); ``helm test`` hooks do not.

Pods that operators create from the custom resources vnp knows
(``helm_vnp.k8s.pod_creators``: Argo Rollouts, KubeVirt and Deckhouse VMs,
prometheus-operator, Ray, Kubeflow, JobSet, ... and ``policies.workloadKinds``) are
counted, approximately: pods from the kind's replicas fields (a Rollout's or CloneSet's
``replicas``, a Prometheus's ``replicas`` × ``shards``, a Ray worker group's ``replicas``
× ``numOfHosts``, a LeaderWorkerSet's ``replicas`` × ``size`` for its workers; 1 where the
kind has none, e.g. a VM, a Knative Service at its initial scale, a declared kind; 0 for
templates no pod is made from by themselves, e.g. a WorkflowTemplate); compute from the
pod spec they carry, else from what they state: a KubeVirt VM's ``domain.resources``, a
Deckhouse VM's ``cpu.cores`` × ``coreFraction`` and ``memory.size``, a Prometheus's
``resources`` - *without* a VM's virt-launcher overhead or an operator's sidecars.
Kinds that state neither (Spark, Argo Workflows) count as pods without compute.

Objects already in the namespace are not known either: the quota is
namespace-wide, so leave room.

It also reports pods the quota would refuse outright: with ``requests.cpu``,
``limits.memory`` and the like in ``hard``, every container must specify them
(after LimitRange defaults), or the pod is rejected with "must specify".

Error when the release cannot fit at all; warning when it uses more than the
``headroom`` option (default 0.8, i.e. 80%) of an entry.  The message says by
how much and which workloads weigh most.

**Example that triggers it** (reference quota ``count/pods: 20``)::

    kind: Deployment
    spec:
      replicas: 25

**Fix.** Lower the chart's replicas or resources, or raise the entry in
``policies.resourceQuota.quota`` (e.g. ``count/pods: 40``); for DaemonSets, set the
``nodes`` option to the number of nodes they run on.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterable

from helm_vnp.base.text import plural
from helm_vnp.release.model import Release
from helm_vnp.release.quota_usage import contributors, is_pod_key, normal_key, scope_matches
from helm_vnp.rules.rule import Finding, Option, Rule

RULE = Rule(id="quota.fit", severity="error",
            summary="the release's pods and objects do not fit the namespace's ResourceQuota",
            options=(Option("headroom", float, 0.8, "fraction of a quota entry above which the rule warns",
                            minimum=0, maximum=1, exclusive_minimum=True),
                     Option("nodes", int, 1, "nodes a DaemonSet is counted on (the node count is unknown "
                            "before install)", minimum=0)))

MUST_SPECIFY = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
TOP = 3


def _fmt(q, key):
    from helm_vnp.k8s.quantity import format_quantity
    return format_quantity(q, key)


def _heaviest(charges: list, key: str) -> str:
    ranked = sorted((c for c in charges if c.usage.get(key)), key=lambda c: (-c.usage[key], c.label))
    parts = []
    for c in ranked[:TOP]:
        how = f" ({c.how})" if c.how else ""
        parts.append(f"{c.label} {_fmt(c.usage[key], key)}{how}")
    more = len(ranked) - TOP
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _pct(used: Fraction, hard: Fraction) -> str:
    return f"{float(used * 100 / hard):.0f}%"


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.quantity import try_quantity
    found = release.quotas
    if not found:
        return
    headroom, nodes = Fraction(str(options["headroom"])), options["nodes"]
    charges = contributors(release, release.limit_items, nodes)
    for q in found:
        spec = q.obj.get("spec") if isinstance(q.obj.get("spec"), dict) else {}
        hard = spec.get("hard") if isinstance(spec.get("hard"), dict) else {}
        scoped = bool(spec.get("scopes") or spec.get("scopeSelector"))
        mine = [c for c in charges if c.pod is not None and scope_matches(spec, c)] if scoped else charges
        where = f"ResourceQuota {q.name}" + (" (scoped)" if scoped else "")
        for raw_key in sorted(hard):
            limit = try_quantity(hard[raw_key])
            key = normal_key(str(raw_key))
            if limit is None or (scoped and not is_pod_key(key)):
                continue
            total = sum((c.usage.get(key, Fraction(0)) for c in mine), Fraction(0))
            if total <= limit * headroom and not (limit == 0 and total > 0):
                continue
            ds = any(c.daemonset and c.usage.get(key) for c in mine)
            note = f" (DaemonSets counted on {plural(nodes, 'node')}: option nodes)" if ds else ""
            at = release.source_of(q, f'policies.resourceQuota.quota["{raw_key}"]', "policies.resourceQuota.quota")
            if total > limit:
                msg = (f"{raw_key}: the release needs {_fmt(total, key)} but {where} allows {_fmt(limit, key)} "
                       f"(over by {_fmt(total - limit, key)}){note}; it cannot be installed as is. "
                       f"Heaviest: {_heaviest(mine, key)}")
                yield Finding(RULE.id, "error", msg, release.ref_of(q), at)
            else:
                msg = (f"{raw_key}: the release needs {_fmt(total, key)} of the {_fmt(limit, key)} {where} allows "
                       f"({_pct(total, limit)}, above the {_pct(headroom, Fraction(1))} headroom; "
                       f"{_fmt(limit - total, key)} left for everything else in the namespace){note}. "
                       f"Heaviest: {_heaviest(mine, key)}")
                yield Finding(RULE.id, "warning", msg, release.ref_of(q), at)
        yield from _must_specify(release, q, where, hard, mine)


def _must_specify(release: Release, q, where: str, hard: dict, charges: list) -> Iterable[Finding]:
    required = sorted({normal_key(str(k)) for k in hard} & set(MUST_SPECIFY))
    if not required:
        return
    from helm_vnp.k8s.resources import pod_level
    for c in charges:
        if c.pod is None or pod_level(c.pod.spec, "requests") or pod_level(c.pod.spec, "limits"):
            continue  # pod-level resources (1.34+): the quota admission asks nothing of the containers
        o = c.pod.owner
        for cont in c.containers:
            missing = [k for k in required
                       if k.split(".", 1)[1] not in (cont.requests if k.startswith("requests.") else cont.limits)]
            if missing:
                yield Finding(RULE.id, "error",
                              f"{o.kind} {o.name}: pods would be rejected by {where}: container {cont.name} must "
                              f"specify {', '.join(missing)} (the quota tracks them and no LimitRange default "
                              "fills them in)", release.ref_of(o), release.source(o.doc), container=cont.name)
