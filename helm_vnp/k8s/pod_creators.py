"""Kinds beyond the core workloads whose objects make pods, and where those pods' labels and specs are.

An entry is matched on API group and kind (any version unless it names some).  Each of its
``PodSource``s says where one kind of pod comes from, as a *path*:

- ``template``: a pod template, a mapping with ``metadata`` and ``spec`` (``spec.template``); its
  ``metadata.labels`` are the pods' labels, its ``spec`` their pod spec (``pod_spec=False`` when that
  spec is not a Kubernetes PodSpec, e.g. KubeVirt's VirtualMachineInstanceSpec);
- ``labels``: a labels map the controller copies to its pods (Deckhouse's VirtualMachine
  ``metadata.labels``, prometheus-operator's ``spec.podMetadata.labels``); no pod spec.

Path syntax: keys joined by dots; ``*`` stands for every item of a list or every value of a mapping
(``spec.workerGroupSpecs.*.template``, ``spec.pytorchReplicaSpecs.*.template``); a segment of digits
is also a list index.  ``count`` paths (replicas, for quota) use the same syntax, and their ``*`` take
the values the template's ``*`` took, in order (``spec.workerGroupSpecs.*.replicas`` is the replicas of
the very worker group whose template was found).  Keys that are missing at the end of a path are
created by the labeller from ``create_from`` on (``metadata`` of a template, a Prometheus's
``podMetadata``, a FlinkDeployment's ``podTemplate``); anything missing before that means "no such
pods here".

Every entry's ``cite`` names the upstream API type it was written from.
"""
from __future__ import annotations

import re
from fractions import Fraction

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import field, record

ANY = "*"
SEGMENT = re.compile(r"^(\*|[A-Za-z0-9_-]+)\Z")


def parse_path(text: str) -> tuple[str, ...]:
    """``"spec.groups.*.template"`` -> ``("spec", "groups", "*", "template")``; ValueError if malformed."""
    parts = tuple(text.split(".")) if isinstance(text, str) and text else ()
    if not parts or not all(SEGMENT.match(p) for p in parts):
        raise ValueError(f"not a dotted path of keys and * wildcards: {text!r}")
    return parts


def show_path(path) -> str:
    """A concrete path as messages write it: ``spec.workerGroupSpecs[0].template``."""
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else seg)
    return out


@record(frozen=True)
class PodSource:
    """One place in an object that makes pods (see the module docstring)."""
    template: str = ""
    labels: str = ""
    pod_spec: bool = True  # template sources: is the template's spec a PodSpec?
    count: tuple = (("", 1),)  # factors (path, default) multiplied; path "" is the constant default
    per_node: bool = False  # one pod per node (DaemonSet-like), times the caller's node count
    create: int = 0  # how many keys at the end of the metadata path the labeller may create (0: just the last)
    quota: str = ""  # how to read requests for quota when there is no PodSpec: "kubevirt", "deckhouse", "resources"

    @property
    def metadata_pattern(self) -> tuple[str, ...]:
        """The path of the mapping that holds the pods' ``labels``."""
        if self.template:
            return parse_path(self.template) + ("metadata",)
        return parse_path(self.labels)[:-1]

    @property
    def create_from(self) -> int:
        return len(self.metadata_pattern) - 1 - self.create


@record(frozen=True)
class PodCreator:
    group: str
    kind: str
    sources: tuple[PodSource, ...]
    cite: str = ""
    versions: frozenset | None = None  # None: every version
    declared: bool = False  # from policies.workloadKinds
    note: str = ""

    def matches(self, api_version: str | None, kind: str | None) -> bool:
        if kind != self.kind or not isinstance(api_version, str) or "/" not in api_version:
            return False
        group, version = api_version.rsplit("/", 1)
        return group == self.group and (self.versions is None or version in self.versions)


def _t(template: str, *count, **kw) -> PodSource:
    return PodSource(template=template, count=tuple(count) or (("", 1),), **kw)


def _l(labels: str, *count, **kw) -> PodSource:
    return PodSource(labels=labels, count=tuple(count) or (("", 1),), **kw)


def _replicas(path: str = "spec.replicas", default: int = 1):
    return (path, default)


_KUBEFLOW = {
    # kind -> the replica-specs field (map of role -> ReplicaSpec{replicas, template})
    "PyTorchJob": "pytorchReplicaSpecs", "TFJob": "tfReplicaSpecs", "MPIJob": "mpiReplicaSpecs",
    "XGBoostJob": "xgbReplicaSpecs", "PaddleJob": "paddleReplicaSpecs", "JAXJob": "jaxReplicaSpecs",
    "MXJob": "mxReplicaSpecs",
}


def _ray(prefix: str) -> tuple[PodSource, ...]:
    return (_t(f"{prefix}.headGroupSpec.template"),
            _t(f"{prefix}.workerGroupSpecs.*.template", _replicas(f"{prefix}.workerGroupSpecs.*.replicas"),
               _replicas(f"{prefix}.workerGroupSpecs.*.numOfHosts")))


def _workflow(prefix: str, runs: int) -> tuple[PodSource, ...]:
    return (_l(f"{prefix}.podMetadata.labels", ("", runs)),
            _l(f"{prefix}.templates.*.metadata.labels", ("", 0)))


_PROMETHEUS_COUNT = (_replicas(), _replicas("spec.shards"))

REGISTRY: tuple[PodCreator, ...] = (
    PodCreator("argoproj.io", "Rollout", (_t("spec.template", _replicas()),),
               "github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1 RolloutSpec.Template "
               "(corev1.PodTemplateSpec), .Replicas, .WorkloadRef (ObjectRef to a Deployment whose template "
               "the rollout uses instead)",
               note="with spec.workloadRef the pods come from the referenced Deployment's template: "
                    "a Deployment of the release is labelled as one"),
    *(PodCreator("argoproj.io", kind, _workflow(prefix, runs),
                 "github.com/argoproj/argo-workflows/pkg/apis/workflow/v1alpha1 WorkflowSpec.PodMetadata "
                 "(*Metadata{labels}), WorkflowSpec.Templates[].Metadata; CronWorkflowSpec.WorkflowSpec")
      for kind, prefix, runs in (("Workflow", "spec", 1), ("CronWorkflow", "spec.workflowSpec", 1),
                                 ("WorkflowTemplate", "spec", 0), ("ClusterWorkflowTemplate", "spec", 0))),
    PodCreator("kubevirt.io", "VirtualMachine",
               (_t("spec.template", pod_spec=False, quota="kubevirt"),),
               "kubevirt.io/api/core/v1 VirtualMachineSpec.Template (*VirtualMachineInstanceTemplateSpec: "
               "ObjectMeta + VirtualMachineInstanceSpec); the VMI's labels reach its virt-launcher pod"),
    PodCreator("kubevirt.io", "VirtualMachineInstance", (_l("metadata.labels", quota="kubevirt"),),
               "kubevirt.io/api/core/v1 VirtualMachineInstance: ObjectMeta.Labels are copied to the "
               "virt-launcher pod; Spec is a VirtualMachineInstanceSpec (not a PodSpec)"),
    PodCreator("kubevirt.io", "VirtualMachineInstanceReplicaSet",
               (_t("spec.template", _replicas(), pod_spec=False, quota="kubevirt"),),
               "kubevirt.io/api/core/v1 VirtualMachineInstanceReplicaSetSpec.Template, .Replicas"),
    PodCreator("pool.kubevirt.io", "VirtualMachinePool",
               (_t("spec.virtualMachineTemplate.spec.template", _replicas(), pod_spec=False, quota="kubevirt"),),
               "kubevirt.io/api/pool/v1alpha1 VirtualMachinePoolSpec.VirtualMachineTemplate "
               "(VirtualMachineTemplateSpec: ObjectMeta + VirtualMachineSpec), .Replicas"),
    PodCreator("virtualization.deckhouse.io", "VirtualMachine", (_l("metadata.labels", quota="deckhouse"),),
               "github.com/deckhouse/virtualization/api/core/v1alpha2 VirtualMachine: no pod template; the "
               "VM's metadata.labels are copied to its virt-launcher pod (the module's network-policy docs "
               "select VMs by them); VirtualMachineSpec.CPU.Cores/.CoreFraction, .Memory.Size"),
    *(PodCreator("serving.knative.dev", kind, (_t("spec.template"),),
                 "knative.dev/serving/pkg/apis/serving/v1 ServiceSpec/ConfigurationSpec.Template "
                 "(RevisionTemplateSpec: ObjectMeta + RevisionSpec, which inlines corev1.PodSpec)")
      for kind in ("Service", "Configuration")),
    PodCreator("apps.kruise.io", "CloneSet", (_t("spec.template", _replicas()),),
               "github.com/openkruise/kruise/apis/apps/v1alpha1 CloneSetSpec.Template, .Replicas"),
    PodCreator("apps.kruise.io", "StatefulSet", (_t("spec.template", _replicas()),),
               "github.com/openkruise/kruise/apis/apps/v1beta1 StatefulSetSpec.Template, .Replicas "
               "(Advanced StatefulSet; also v1alpha1)"),
    PodCreator("apps.kruise.io", "DaemonSet", (_t("spec.template", per_node=True),),
               "github.com/openkruise/kruise/apis/apps/v1alpha1 DaemonSetSpec.Template (Advanced DaemonSet)"),
    PodCreator("apps.kruise.io", "BroadcastJob", (_t("spec.template", per_node=True),),
               "github.com/openkruise/kruise/apis/apps/v1alpha1 BroadcastJobSpec.Template (one pod per node)"),
    PodCreator("apps.kruise.io", "AdvancedCronJob",
               (_t("spec.template.jobTemplate.spec.template", _replicas("spec.template.jobTemplate.spec.parallelism")),
                _t("spec.template.broadcastJobTemplate.spec.template", per_node=True)),
               "github.com/openkruise/kruise/apis/apps/v1alpha1 AdvancedCronJobSpec.Template (CronJobTemplate: "
               "JobTemplate batchv1.JobTemplateSpec | BroadcastJobTemplate)"),
    *(PodCreator("monitoring.coreos.com", kind, (_l("spec.podMetadata.labels", *count, quota="resources"),),
                 f"github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1 {kind}Spec.PodMetadata "
                 "(*EmbeddedObjectMetadata{labels}), .Replicas, .Resources (the main container's)")
      for kind, count in (("Prometheus", _PROMETHEUS_COUNT), ("PrometheusAgent", _PROMETHEUS_COUNT),
                          ("Alertmanager", (_replicas(),)), ("ThanosRuler", (_replicas(),)))),
    PodCreator("keda.sh", "ScaledJob", (_t("spec.jobTargetRef.template", _replicas("spec.maxReplicaCount", 100)),),
               "github.com/kedacore/keda/apis/keda/v1alpha1 ScaledJobSpec.JobTargetRef (*batchv1.JobSpec), "
               ".MaxReplicaCount (default 100)"),
    PodCreator("sparkoperator.k8s.io", "SparkApplication",
               (_l("spec.driver.labels"), _l("spec.executor.labels", _replicas("spec.executor.instances"))),
               "github.com/kubeflow/spark-operator/api/v1beta2 SparkApplicationSpec.Driver/.Executor "
               "(SparkPodSpec.Labels), ExecutorSpec.Instances"),
    PodCreator("sparkoperator.k8s.io", "ScheduledSparkApplication",
               (_l("spec.template.driver.labels"),
                _l("spec.template.executor.labels", _replicas("spec.template.executor.instances"))),
               "github.com/kubeflow/spark-operator/api/v1beta2 ScheduledSparkApplicationSpec.Template"),
    PodCreator("flink.apache.org", "FlinkDeployment",
               (_t("spec.podTemplate", ("", 0), create=1),
                _t("spec.jobManager.podTemplate", _replicas("spec.jobManager.replicas")),
                _t("spec.taskManager.podTemplate", _replicas("spec.taskManager.replicas"))),
               "github.com/apache/flink-kubernetes-operator org.apache.flink.kubernetes.operator.api.spec "
               "FlinkDeploymentSpec.podTemplate (shared by both), JobManagerSpec/TaskManagerSpec.podTemplate, "
               ".replicas (pod templates merged onto the operator's pods)"),
    *(PodCreator("kubeflow.org", kind, (_t(f"spec.{field_}.*.template", _replicas(f"spec.{field_}.*.replicas")),),
                 f"github.com/kubeflow/training-operator/pkg/apis/kubeflow.org/v1 {kind}Spec.{field_[0].upper()}"
                 f"{field_[1:]} (map of role -> ReplicaSpec{{Replicas, Template corev1.PodTemplateSpec}}); "
                 "MPIJob also github.com/kubeflow/mpi-operator/pkg/apis/kubeflow/v2beta1")
      for kind, field_ in _KUBEFLOW.items()),
    PodCreator("ray.io", "RayCluster", _ray("spec"),
               "github.com/ray-project/kuberay/ray-operator/apis/ray/v1 RayClusterSpec.HeadGroupSpec.Template, "
               ".WorkerGroupSpecs[].Template/.Replicas/.NumOfHosts"),
    PodCreator("ray.io", "RayJob", _ray("spec.rayClusterSpec") + (_t("spec.submitterPodTemplate"),),
               "github.com/ray-project/kuberay/ray-operator/apis/ray/v1 RayJobSpec.RayClusterSpec, "
               ".SubmitterPodTemplate",
               note="without spec.submitterPodTemplate (K8sJobMode) the operator makes a submitter pod vnp "
                    "cannot label; set one, or submissionMode: HTTPMode"),
    PodCreator("ray.io", "RayService", _ray("spec.rayClusterConfig"),
               "github.com/ray-project/kuberay/ray-operator/apis/ray/v1 RayServiceSpec.RayClusterSpec "
               "(json: rayClusterConfig)"),
    PodCreator("jobset.x-k8s.io", "JobSet",
               (_t("spec.replicatedJobs.*.template.spec.template", _replicas("spec.replicatedJobs.*.replicas"),
                   _replicas("spec.replicatedJobs.*.template.spec.parallelism")),),
               "sigs.k8s.io/jobset/api/jobset/v1alpha2 ReplicatedJob.Template (batchv1.JobTemplateSpec), "
               ".Replicas"),
    PodCreator("leaderworkerset.x-k8s.io", "LeaderWorkerSet",
               (_t("spec.leaderWorkerTemplate.leaderTemplate", _replicas()),
                _t("spec.leaderWorkerTemplate.workerTemplate", _replicas(),
                   _replicas("spec.leaderWorkerTemplate.size"))),
               "sigs.k8s.io/lws/api/leaderworkerset/v1 LeaderWorkerTemplate.LeaderTemplate "
               "(*corev1.PodTemplateSpec), .WorkerTemplate, .Size; LeaderWorkerSetSpec.Replicas"),
    PodCreator("apps.openshift.io", "DeploymentConfig", (_t("spec.template", _replicas()),),
               "github.com/openshift/api/apps/v1 DeploymentConfigSpec.Template (*corev1.PodTemplateSpec), "
               ".Replicas"),
)


_BY_KIND: dict[str, list[PodCreator]] = {}
for _entry in REGISTRY:
    _BY_KIND.setdefault(_entry.kind, []).append(_entry)


def declared_creators(entries) -> tuple[PodCreator, ...]:
    """``policies.workloadKinds`` (normalised) as entries; they take precedence over the registry."""
    out = []
    for e in entries or ():
        group, version = str(e["apiVersion"]).rsplit("/", 1)
        source = _t(e["podTemplatePath"]) if e.get("podTemplatePath") else _l(e["labelsPath"])
        out.append(PodCreator(group, e["kind"], (source,), "policies.workloadKinds",
                              None if version == ANY else frozenset({version}), declared=True))
    return tuple(out)


def creator_for(api_version: str | None, kind: str | None, declared: tuple = ()) -> PodCreator | None:
    """The entry for objects of this apiVersion and kind: a declared one first, then the registry."""
    if not kind or not api_version:
        return None
    for entry in declared:
        if entry.matches(api_version, kind):
            return entry
    for entry in _BY_KIND.get(kind, ()):
        if entry.matches(api_version, kind):
            return entry
    return None


# -- reading an object -----------------------------------------------------------------------------------

@record
class Found:
    """One concrete place of a source in one object."""
    source: PodSource
    metadata_path: tuple  # concrete path of the mapping holding the pods' labels (str keys, int indices)
    labels: dict  # the labels there now (raw values)
    spec: dict | None  # the PodSpec, when the source has one
    node: dict | None  # the template (template sources) or the labels' parent mapping, when present
    bindings: tuple = field(default_factory=tuple)

    @property
    def where(self) -> str:
        return show_path(self.metadata_path[:-1] if self.source.template else self.metadata_path + ("labels",))


def _matches(root, pattern: tuple) -> list[tuple[tuple, object, tuple]]:
    """Every (concrete path, node, wildcard bindings) that ``pattern`` reaches in ``root``; iterative."""
    found = [((), root, ())]
    for seg in pattern:
        nxt = []
        for path, node, bound in found:
            if seg == ANY:
                if isinstance(node, dict):
                    nxt += [(path + (k,), v, bound + (k,)) for k, v in node.items() if isinstance(k, str)]
                elif isinstance(node, list):
                    nxt += [(path + (i,), v, bound + (i,)) for i, v in enumerate(node)]
            elif isinstance(node, dict) and seg in node:
                nxt.append((path + (seg,), node[seg], bound))
            elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
                nxt.append((path + (int(seg),), node[int(seg)], bound))
        found = nxt
    return found


def _bind(pattern: tuple, bindings: tuple) -> tuple:
    out, it = [], iter(bindings)
    for seg in pattern:
        out.append(next(it, ANY) if seg == ANY else seg)
    return tuple(out)


def _value_at(root, path: tuple):
    node = root
    for seg in path:
        if isinstance(node, dict):
            node = node.get(seg)
        elif isinstance(node, list) and isinstance(seg, int) and seg < len(node):
            node = node[seg]
        else:
            return None
    return node


def _not_mapping(what: str, node, path: tuple) -> VnpError:
    got = "a list" if isinstance(node, list) else f"the scalar {node!r}"[:80]
    return VnpError(Problem(f"{what} at {show_path(path)} is {got}, not a mapping: vnp cannot label its pods",
                            path=show_path(path), expected="a mapping"))


def find_sources(obj, creator: PodCreator) -> list[Found]:
    """Every concrete place of the creator's sources in ``obj``, in source order.

    Raises VnpError (with the path) when a template or a labels' parent is there but is not a mapping:
    the pods it makes could not get the release label.
    """
    out: list[Found] = []
    if not isinstance(obj, dict):
        return out
    for source in creator.sources:
        meta = source.metadata_pattern
        first_created = source.create_from if meta[-1] != ANY else len(meta)
        what = "the pod template" if source.template else "the pod metadata"
        for path, node, bound in _matches(obj, meta[:first_created]):
            tail = meta[first_created:]
            if not tail:  # the path ends in *: each existing value is the metadata
                if not isinstance(node, dict):
                    raise _not_mapping(what, node, path)
                path, node, tail = path[:-1], _value_at(obj, path[:-1]), (path[-1],)
            where, cur = path, node
            for seg in tail[:-1]:
                child = cur.get(seg) if isinstance(cur, dict) else cur
                if isinstance(child, dict):
                    where, cur = where + (seg,), child
                elif child is None and isinstance(cur, dict):
                    where, cur = where + (seg,), {}  # the labeller creates it
                else:
                    raise _not_mapping(what, child, where + (seg,))
            if not isinstance(cur, dict):
                if cur is None:
                    continue  # e.g. spec.template: ~ (nothing to run)
                raise _not_mapping(what, cur, where)
            last = tail[-1]
            metadata = cur.get(last)
            if metadata is not None and not isinstance(metadata, dict):
                raise _not_mapping("the pod metadata", metadata, where + (last,))
            labels = metadata.get("labels") if isinstance(metadata, dict) else None
            spec = None
            if source.template and source.pod_spec and isinstance(cur.get("spec"), dict):
                spec = cur["spec"]
            out.append(Found(source, where + (last,), labels if isinstance(labels, dict) else {}, spec, cur, bound))
    return out


def pod_count(obj, found: Found, nodes: int = 1) -> tuple[int, str]:
    """How many pods of this source run at once: the product of its count paths (replicas, shards, ...),
    times ``nodes`` for per-node sources."""
    n, parts = 1, []
    for pattern, default in found.source.count:
        if not pattern:
            value, name = default, ""
        else:
            path = _bind(parse_path(pattern), found.bindings)
            value = _value_at(obj, path)
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            value, name = (value if ok else default), show_path(path)
        n *= value
        if name:
            parts.append(f"{name} {value}")
    if found.source.per_node:
        n *= nodes
        parts.append(f"1 per node × {nodes} node{'s' if nodes != 1 else ''}")
    return n, ", ".join(parts) or f"{n} pod{'s' if n != 1 else ''}"


def quota_spec(obj, found: Found) -> dict | None:
    """A pod spec for quota only, when the kind has no PodSpec but states what its pod requests
    (an approximation: a VM's virt-launcher overhead and operators' sidecars are not counted)."""
    how = found.source.quota
    node = found.node if isinstance(found.node, dict) else {}
    if how == "kubevirt":
        spec = node.get("spec") if found.source.template else obj.get("spec")
        domain = spec.get("domain") if isinstance(spec, dict) else None
        resources = domain.get("resources") if isinstance(domain, dict) else None
        return {"containers": [{"name": "compute", "resources": resources}]} if isinstance(resources, dict) else None
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if how == "resources":
        resources = spec.get("resources")
        return {"containers": [{"name": "main", "resources": resources}]} if isinstance(resources, dict) else None
    if how == "deckhouse":
        cpu = spec.get("cpu") if isinstance(spec.get("cpu"), dict) else {}
        memory = spec.get("memory") if isinstance(spec.get("memory"), dict) else {}
        requests = {}
        cores = cpu.get("cores")
        if isinstance(cores, int) and not isinstance(cores, bool):
            fraction = str(cpu.get("coreFraction") or "100%").rstrip("%")
            share = Fraction(int(fraction), 100) if fraction.isdigit() else Fraction(1)
            requests["cpu"] = f"{int(cores * share * 1000)}m"
        if isinstance(memory.get("size"), str):
            requests["memory"] = memory["size"]
        return {"containers": [{"name": "compute", "resources": {"requests": requests, "limits": {
            k: v for k, v in (("memory", requests.get("memory")),) if v}}}]} if requests else None
    return None


def workload_ref(obj) -> tuple[str, str] | None:
    """An Argo Rollout's ``spec.workloadRef`` as (kind, name)."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    ref = spec.get("workloadRef") if isinstance(spec, dict) else None
    if isinstance(ref, dict) and isinstance(ref.get("kind"), str) and isinstance(ref.get("name"), str):
        return ref["kind"], ref["name"]
    return None


# -- objects of no known kind that make pods -----------------------------------------------------------

# API groups whose objects hold ``containers`` lists that are patterns or patches applied to other pods,
# never pods of their own: policy engines (Kyverno's validate/mutate patterns, Gatekeeper's mutators).
# Their objects are not taken for unknown pod-making kinds.
NO_PODS_GROUPS = frozenset({"kyverno.io", "policies.kyverno.io", "mutations.gatekeeper.sh",
                            "templates.gatekeeper.sh", "constraints.gatekeeper.sh", "expansion.gatekeeper.sh"})

def embedded_containers(obj) -> str | None:
    """The path of a ``containers`` list somewhere under ``spec`` (a pod template vnp does not know
    about), or None.  Iterative: hostile documents nest thousands of levels deep."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    stack = [(("spec",), spec)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("containers"), list):
                return show_path(path + ("containers",))
            stack += [(path + (k,), v) for k, v in reversed(node.items()) if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += [(path + (i,), v) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list))]
    return None


def is_pod_creator(api_version: str | None, kind: str | None, declared: tuple = ()) -> bool:
    """A core workload, or a kind of the registry or of ``declared``."""
    from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload
    if kind in POD_METADATA_PATH and is_workload(kind, api_version):
        return True
    return creator_for(api_version, kind, declared) is not None


def suggested_template_path(containers_path: str) -> str:
    """``spec.worker.template.spec.containers`` -> ``spec.worker.template`` (for the hint of a refusal)."""
    cut = containers_path.rsplit(".spec.containers", 1)
    if len(cut) == 2 and not cut[1]:
        return re.sub(r"\[\d+\]", ".*", cut[0])
    return "<path to the object holding metadata and spec>"
