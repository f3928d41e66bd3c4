"""Kubernetes objects for tests, built as plain dicts from keyword arguments, and YAML text made from them.

A test says what it needs (``deployment("web", replicas=3, host_network=True)``,
``container("app", limits={"cpu": "1"})``) instead of pasting YAML at a fixed indentation;
``stream()`` / ``dump()`` write the YAML in one place.  Keyword arguments in snake_case
become the API's camelCase fields (``service_account_name`` -> ``serviceAccountName``);
``None`` leaves a field out.  Nothing here imports helm_vnp: fixtures are built
independently of the code under test.

Keep hand-written YAML where the exact text is the point (byte preservation, label
edits, parser and hostile-input cases, line numbers inside a document).
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter

Obj = dict[str, Any]

API_VERSIONS = {
    "Pod": "v1", "Service": "v1", "ConfigMap": "v1", "Secret": "v1", "ServiceAccount": "v1",
    "ResourceQuota": "v1", "LimitRange": "v1", "PersistentVolumeClaim": "v1", "ReplicationController": "v1",
    "PodTemplate": "v1", "List": "v1",
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1",
    "Job": "batch/v1", "CronJob": "batch/v1",
    "NetworkPolicy": "networking.k8s.io/v1", "HorizontalPodAutoscaler": "autoscaling/v2",
    "Role": "rbac.authorization.k8s.io/v1", "ClusterRole": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1", "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
    "CustomResourceDefinition": "apiextensions.k8s.io/v1",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def fields(**kw: Any) -> Obj:
    """``kw`` as API fields: snake_case keys in camelCase, ``None`` values left out."""
    return {_camel(k): v for k, v in kw.items() if v is not None}


def metadata(name: str | None = None, *, namespace: str | None = None, labels: dict | None = None,
             annotations: dict | None = None) -> Obj:
    return fields(name=name, namespace=namespace, labels=labels, annotations=annotations)


def obj(kind: str, name: str | None = None, *, api_version: str | None = None, namespace: str | None = None,
        labels: dict | None = None, annotations: dict | None = None, **top: Any) -> Obj:
    """Any object: ``kind``, its metadata, then the top-level fields given (``spec=...``, ``data=...``)."""
    out: Obj = {"apiVersion": api_version or API_VERSIONS[kind], "kind": kind}
    meta = metadata(name, namespace=namespace, labels=labels, annotations=annotations)
    if meta:
        out["metadata"] = meta
    out.update(fields(**top))
    return out


# --- pods ----------------------------------------------------------------------------------------

def container(name: str = "app", image: str = "nginx", *, ports: list[int | dict] | None = None,
              requests: dict | None = None, limits: dict | None = None, security_context: dict | None = None,
              env: dict[str, str] | None = None, **extra: Any) -> Obj:
    """A container; ``ports`` as container port numbers (or full port dicts), ``env`` as a name -> value map."""
    out: Obj = {"name": name, "image": image}
    if ports is not None:
        out["ports"] = [p if isinstance(p, dict) else {"containerPort": p} for p in ports]
    if env is not None:
        out["env"] = [{"name": k, "value": v} for k, v in env.items()]
    resources = fields(requests=requests, limits=limits)
    if resources:
        out["resources"] = resources
    out.update(fields(security_context=security_context, **extra))
    return out


def pod_spec(containers: list[Obj] | None = None, *, init_containers: list[Obj] | None = None, **pod: Any) -> Obj:
    """A pod spec: the fields given (``host_network=True``, ``security_context={...}``), then the containers
    (one ``container()`` unless given)."""
    out = fields(**pod)
    if init_containers is not None:
        out["initContainers"] = init_containers
    out["containers"] = containers if containers is not None else [container()]
    return out


def pod_template(*, labels: dict | None = None, annotations: dict | None = None, containers: list[Obj] | None = None,
                 init_containers: list[Obj] | None = None, **pod: Any) -> Obj:
    """A pod template: metadata only when labels or annotations are given."""
    out: Obj = {}
    meta = metadata(labels=labels, annotations=annotations)
    if meta:
        out["metadata"] = meta
    out["spec"] = pod_spec(containers, init_containers=init_containers, **pod)
    return out


def pod(name: str = "pod", *, namespace: str | None = None, labels: dict | None = None,
        annotations: dict | None = None, containers: list[Obj] | None = None,
        init_containers: list[Obj] | None = None, **spec: Any) -> Obj:
    return obj("Pod", name, namespace=namespace, labels=labels, annotations=annotations,
               spec=pod_spec(containers, init_containers=init_containers, **spec))


def workload(kind: str, name: str, *, api_version: str | None = None, namespace: str | None = None,
             labels: dict | None = None, annotations: dict | None = None, spec: dict | None = None,
             pod_labels: dict | None = None, pod_annotations: dict | None = None,
             containers: list[Obj] | None = None, init_containers: list[Obj] | None = None, **pod: Any) -> Obj:
    """A workload of any kind with a pod template: ``spec`` holds the workload's own fields (replicas, selector,
    parallelism, ...), every other keyword goes to the pod spec.  No selector unless given in ``spec``.
    A CronJob's template sits under ``jobTemplate``: there ``spec`` is the CronJob's (``schedule`` defaults
    to every minute) and its ``job_spec`` entry the Job's."""
    template = pod_template(labels=pod_labels, annotations=pod_annotations, containers=containers,
                            init_containers=init_containers, **pod)
    own = fields(**(spec or {}))
    if kind == "CronJob":
        job_spec = own.pop("jobSpec", {})
        body = {"schedule": "* * * * *", **own, "jobTemplate": {"spec": {**job_spec, "template": template}}}
    else:
        body = {**own, "template": template}
    return obj(kind, name, api_version=api_version, namespace=namespace, labels=labels, annotations=annotations,
               spec=body)


def deployment(name: str = "web", *, replicas: int | None = None, namespace: str | None = None,
               labels: dict | None = None, annotations: dict | None = None, pod_labels: dict | None = None,
               containers: list[Obj] | None = None, init_containers: list[Obj] | None = None, **pod: Any) -> Obj:
    """A Deployment as charts write it: pods labelled ``app: NAME`` (plus ``pod_labels``), selected by that label."""
    selector = {"app": name}
    return workload("Deployment", name, namespace=namespace, labels=labels, annotations=annotations,
                    spec=fields(replicas=replicas, selector={"matchLabels": selector}),
                    pod_labels={**selector, **(pod_labels or {})}, containers=containers,
                    init_containers=init_containers, **pod)


def stateful_set(name: str = "db", *, replicas: int | None = None, volume_claim_templates: list[Obj] | None = None,
                 containers: list[Obj] | None = None, **pod: Any) -> Obj:
    selector = {"app": name}
    return workload("StatefulSet", name, spec=fields(replicas=replicas, selector={"matchLabels": selector},
                                                      volume_claim_templates=volume_claim_templates),
                    pod_labels=dict(selector), containers=containers, **pod)


def daemon_set(name: str = "agent", *, pod_labels: dict | None = None, containers: list[Obj] | None = None,
               **pod: Any) -> Obj:
    selector = pod_labels or {"app": name}
    return workload("DaemonSet", name, spec={"selector": {"matchLabels": selector}}, pod_labels=dict(selector),
                    containers=containers, **pod)


def job(name: str = "job", *, annotations: dict | None = None, parallelism: int | None = None,
        completions: int | None = None, containers: list[Obj] | None = None, restart_policy: str | None = None,
        **pod: Any) -> Obj:
    return workload("Job", name, annotations=annotations, spec=fields(parallelism=parallelism, completions=completions),
                    containers=containers, restart_policy=restart_policy, **pod)


def cron_job(name: str = "cron", *, schedule: str = "* * * * *", concurrency_policy: str | None = None,
             parallelism: int | None = None, containers: list[Obj] | None = None, restart_policy: str | None = None,
             **pod: Any) -> Obj:
    return workload("CronJob", name, spec=fields(schedule=schedule, concurrency_policy=concurrency_policy,
                                                  job_spec=fields(parallelism=parallelism)),
                    containers=containers, restart_policy=restart_policy, **pod)


# --- everything else -----------------------------------------------------------------------------

def service(name: str = "web", *, type: str | None = None, ports: Sequence[int | dict] = (80,),
            selector: dict | None = None, namespace: str | None = None, **spec: Any) -> Obj:
    """A Service; ``ports`` as port numbers (or full port dicts); other keywords are spec fields."""
    body = fields(type=type, **spec)
    if selector is not None:
        body["selector"] = selector
    body["ports"] = [p if isinstance(p, dict) else {"port": p} for p in ports]
    return obj("Service", name, namespace=namespace, spec=body)


def network_policy(name: str = "np", *, pod_selector: dict | None = None, policy_types: list[str] | None = None,
                   ingress: list[Obj] | None = None, egress: list[Obj] | None = None,
                   namespace: str | None = None) -> Obj:
    """A NetworkPolicy; ``pod_selector`` is a matchLabels map ({} selects every pod)."""
    spec = {"podSelector": {"matchLabels": pod_selector} if pod_selector else {}}
    spec.update(fields(policy_types=policy_types, ingress=ingress, egress=egress))
    return obj("NetworkPolicy", name, namespace=namespace, spec=spec)


def resource_quota(name: str = "quota", hard: dict | None = None, *, namespace: str | None = None, **spec: Any) -> Obj:
    return obj("ResourceQuota", name, namespace=namespace, spec={"hard": hard or {}, **fields(**spec)})


def limit_range(name: str = "limits", *limits: Obj, namespace: str | None = None) -> Obj:
    """A LimitRange of the given items (``{"type": "Container", "max": {...}}``)."""
    return obj("LimitRange", name, namespace=namespace, spec={"limits": list(limits)})


def pvc(name: str = "data", storage: str = "1Gi", *, storage_class: str | None = None, namespace: str | None = None,
        **spec: Any) -> Obj:
    body = {"resources": {"requests": {"storage": storage}}, **fields(storage_class_name=storage_class, **spec)}
    return obj("PersistentVolumeClaim", name, namespace=namespace, spec=body)


def config_map(name: str = "config", data: dict | None = None, *, namespace: str | None = None) -> Obj:
    return obj("ConfigMap", name, namespace=namespace, data=data)


def secret(name: str = "secret", *, string_data: dict | None = None, data: dict | None = None,
           namespace: str | None = None) -> Obj:
    return obj("Secret", name, namespace=namespace, string_data=string_data, data=data)


def service_account(name: str, *, automount_service_account_token: bool | None = None) -> Obj:
    return obj("ServiceAccount", name, automount_service_account_token=automount_service_account_token)


def role(name: str, *, kind: str = "Role", rules: list | None = None, namespace: str | None = None) -> Obj:
    """A Role (or, with ``kind="ClusterRole"``, a ClusterRole)."""
    return obj(kind, name, namespace=namespace, rules=rules if rules is not None else [])


def role_binding(name: str, *, kind: str = "RoleBinding", role_kind: str = "ClusterRole", role_name: str,
                 service_accounts: Sequence[tuple[str, str | None]] = ()) -> Obj:
    """A RoleBinding (or ClusterRoleBinding) of ``role_name`` to ServiceAccounts given as (name, namespace or None)."""
    subjects = [fields(kind="ServiceAccount", name=sa, namespace=ns) for sa, ns in service_accounts]
    return obj(kind, name, role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
               subjects=subjects)


def crd(group: str, kind: str, plural: str, *, scope: str = "Namespaced", versions: list | None = None) -> Obj:
    return obj("CustomResourceDefinition", f"{plural}.{group}",
               spec={"group": group, "scope": scope, "names": {"kind": kind, "plural": plural},
                     "versions": versions if versions is not None else []})


def hpa(name: str, *, target: tuple[str, str, str], min_replicas: int | None = None, max_replicas: int) -> Obj:
    """A HorizontalPodAutoscaler scaling ``target`` = (apiVersion, kind, name)."""
    api_version, kind, target_name = target
    return obj("HorizontalPodAutoscaler", name,
               spec={"scaleTargetRef": {"apiVersion": api_version, "kind": kind, "name": target_name},
                     **fields(min_replicas=min_replicas, max_replicas=max_replicas)})


# --- YAML --------------------------------------------------------------------------------------------

# strings a YAML 1.1 reader (go-yaml, as Helm and kubectl use) would not read as strings: quoted on output
_AMBIGUOUS = re.compile(r"(?i:y|yes|n|no|on|off|true|false|null|~)\Z|[-+]?[0-9][0-9_.:eE+-]*\Z|[-+]?\.(?i:inf|nan)\Z")


class _Representer(RoundTripRepresenter):
    def ignore_aliases(self, data) -> bool:
        return True  # a dict used twice (selector and pod labels) is written twice, never as an anchor

    def represent_str(self, data: str):
        if _AMBIGUOUS.match(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)

    def represent_none(self, data):
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(str, _Representer.represent_str)
_Representer.add_representer(type(None), _Representer.represent_none)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Representer = _Representer
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # one line per scalar, however long
    return y


def dump(o: Obj) -> str:
    """One object as a YAML document (block style, keys in the order built, no ``---``)."""
    out = io.StringIO()
    _yaml().dump(o, out)
    return out.getvalue()


def stream(*objects: Obj) -> str:
    """The objects as a YAML stream, each document starting with ``---``."""
    return "".join("---\n" + dump(o) for o in objects)
