"""workload.unknownKind: an object of a kind vnp does not know makes pods it cannot label or check.

**What it checks.** Every object of the chart whose kind is neither a core workload
(Deployment, StatefulSet, ... in their built-in API groups), nor one of the custom kinds vnp
knows (Argo Rollouts and Workflows, KubeVirt and Deckhouse VMs, Knative, OpenKruise,
prometheus-operator, KEDA ScaledJob, Spark, Flink, Kubeflow training jobs, Ray, JobSet,
LeaderWorkerSet, OpenShift DeploymentConfig: see the README), nor declared in
``policies.workloadKinds``, but that embeds a pod template: a ``containers`` list somewhere
under its ``spec``.  Its operator will make pods that get no release label (the release's
NetworkPolicies neither isolate them nor let them reach the rest of the release) and that no
Pod Security check saw.  Also an Argo Rollout whose ``spec.workloadRef`` names a Deployment that
is not part of the release.

It applies whenever vnp isolates or checks the release's pods (``networkPolicy.enabled``, in
either selection mode, or a ``podSecurityStandard``), the same condition under which the
post-renderer refuses such a release: with ``policies.unknownWorkloads: error`` (the default)
`helm install` would fail with the same message, which this rule reports for every such object
at once.  With ``unknownWorkloads: warn`` the post-renderer's warning is reported by
``render.warning`` instead; with ``ignore``, nothing is.

**Example that triggers it**::

    apiVersion: example.com/v1
    kind: Worker
    spec:
      template:
        spec:
          containers: [{name: w, image: w:1}]

**Fix.** Declare the kind so vnp labels its pods where the operator reads their labels::

    policies:
      workloadKinds:
        - apiVersion: example.com/*
          kind: Worker
          podTemplatePath: spec.template     # or labelsPath: spec.podLabels... ending in .labels

or accept the risk with ``policies.unknownWorkloads: warn`` (or ``ignore``).
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("workload.unknownKind", "error",
            "an object of an unknown kind embeds a pod template: its pods would escape the release's isolation")


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.base.errors import VnpError
    from helm_vnp.release.pipeline import guards_pods
    from helm_vnp.release.unknown_workloads import unknown_workloads
    policies = release.policies or {}
    if (policies.get("unknownWorkloads") or "error") != "error" or not guards_pods(policies):
        return
    try:
        found = unknown_workloads([d for d in release.docs if not d.is_empty], release.declared_kinds)
    except VnpError:
        return  # a document that does not parse: stream.yaml reports it
    for u in found:
        yield Finding(RULE.id, RULE.severity, f"{u.message}; {u.hint}", release.ref(u.doc), release.source(u.doc))
