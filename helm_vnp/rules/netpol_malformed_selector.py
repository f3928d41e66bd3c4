"""netpol.malformedSelector: a selector written in the wrong shape, read as "everything" or rejected.

**What it checks.** Every label selector of the chart's objects that decides who is
isolated, admitted or counted:

* NetworkPolicy ``spec.podSelector`` and every peer's ``podSelector`` and
  ``namespaceSelector`` (``from``/``to``);
* PodDisruptionBudget ``spec.selector``;
* the ``spec.selector`` of Deployments, StatefulSets, DaemonSets, ReplicaSets and Jobs;
* a Service's ``spec.selector``, which is a different shape: a plain ``label: value`` map.

A ``LabelSelector`` has two fields, ``matchLabels`` and ``matchExpressions``.
``podSelector: {app: web}`` has neither: ``app`` is an unknown field, which the API
server drops unless the client asks for strict field validation (kubectl's default;
``--validate=false``, Helm's ``--disable-openapi-validation`` and clients that send
no ``fieldValidation`` let it through), and what is left, ``{}``, selects every pod.
In a NetworkPolicy that means the policy applies to every pod of the namespace, or,
as a peer, admits every pod; ``namespaceSelector: {name: x}`` admits every namespace
of the cluster.  In a ``policy/v1`` PodDisruptionBudget an empty selector covers
every pod of the namespace.  A workload's empty selector, a matchExpressions item
the API refuses (unknown operator, ``In`` without values, ``Exists`` with values) and
a Service selector holding a map (``selector: {matchLabels: {...}}``) are rejected:
the install fails.  Either way the selector does not say what was meant.

Affinity and topology-spread selectors are not checked (they place pods, they do
not isolate them).

**Example that triggers it**::

    kind: NetworkPolicy
    spec:
      podSelector: {app: web}          # should be {matchLabels: {app: web}}

**Fix.** Write ``matchLabels:`` (or ``matchExpressions:``) under a LabelSelector, and a
plain map under a Service's ``selector``.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.malformedSelector", severity="error",
            summary="a label selector in the wrong shape selects everything or is rejected")

CONTROLLERS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")


def _selectors(o) -> Iterable[tuple[str, object, bool]]:
    """(path, selector, plain map?) of every selector of ``o`` this rule judges."""
    from helm_vnp.k8s.workloads import is_workload
    spec = o.obj.get("spec") if isinstance(o.obj.get("spec"), dict) else {}
    if o.kind == "NetworkPolicy" and o.api_version.startswith("networking.k8s.io/"):
        if "podSelector" in spec:
            yield "spec.podSelector", spec.get("podSelector"), False
        for direction, key in (("ingress", "from"), ("egress", "to")):
            for i, rule in enumerate(spec.get(direction) if isinstance(spec.get(direction), list) else []):
                peers = rule.get(key) if isinstance(rule, dict) and isinstance(rule.get(key), list) else []
                for j, peer in enumerate(peers):
                    for field in ("podSelector", "namespaceSelector"):
                        if isinstance(peer, dict) and field in peer:
                            yield f"spec.{direction}[{i}].{key}[{j}].{field}", peer[field], False
    elif o.kind == "PodDisruptionBudget" and o.api_version.startswith("policy/"):
        if "selector" in spec:
            yield "spec.selector", spec.get("selector"), False
    elif o.kind in CONTROLLERS and is_workload(o.kind, o.api_version):
        if spec.get("selector") is not None:
            yield "spec.selector", spec.get("selector"), False
    elif o.kind == "Service" and o.api_version == "v1":
        if spec.get("selector") is not None:
            yield "spec.selector", spec.get("selector"), True


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.selectors import label_selector_problem, plain_selector_problem
    for o in release.objects:
        if o.generated:
            continue
        for path, selector, plain in _selectors(o):
            problem = plain_selector_problem(selector) if plain else label_selector_problem(selector)
            if problem:
                yield Finding(RULE.id, RULE.severity, f"{o.kind} {o.name}: {path} {problem}",
                              release.ref_of(o), release.source(o.doc))
