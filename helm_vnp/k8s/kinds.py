"""Which kinds are cluster-scoped, and what each kind's resource is called.

Built-in API kinds are classified from a table (no cluster needed).  For other
kinds the only authority is a CustomResourceDefinition: one rendered in the same
stream answers for its group and kind; otherwise the scope is ``UNKNOWN``, never
guessed.
"""
from __future__ import annotations

from helm_vnp.base.record import record

NAMESPACED = "Namespaced"
CLUSTER = "Cluster"
UNKNOWN = "unknown"

_N, _C = NAMESPACED, CLUSTER

# group -> kind -> (plural resource, scope); "" is the core group
BUILTIN: dict[str, dict[str, tuple[str, str]]] = {
    "": {
        "Pod": ("pods", _N), "Service": ("services", _N), "ConfigMap": ("configmaps", _N),
        "Secret": ("secrets", _N), "ServiceAccount": ("serviceaccounts", _N),
        "PersistentVolumeClaim": ("persistentvolumeclaims", _N), "Endpoints": ("endpoints", _N),
        "Event": ("events", _N), "LimitRange": ("limitranges", _N), "ResourceQuota": ("resourcequotas", _N),
        "ReplicationController": ("replicationcontrollers", _N), "PodTemplate": ("podtemplates", _N),
        "Binding": ("bindings", _N),
        "Namespace": ("namespaces", _C), "Node": ("nodes", _C), "PersistentVolume": ("persistentvolumes", _C),
        "ComponentStatus": ("componentstatuses", _C),
    },
    "apps": {"Deployment": ("deployments", _N), "StatefulSet": ("statefulsets", _N),
             "DaemonSet": ("daemonsets", _N), "ReplicaSet": ("replicasets", _N),
             "ControllerRevision": ("controllerrevisions", _N)},
    "extensions": {"Deployment": ("deployments", _N), "DaemonSet": ("daemonsets", _N),
                   "ReplicaSet": ("replicasets", _N), "Ingress": ("ingresses", _N),
                   "NetworkPolicy": ("networkpolicies", _N), "PodSecurityPolicy": ("podsecuritypolicies", _C)},
    "batch": {"Job": ("jobs", _N), "CronJob": ("cronjobs", _N)},
    "autoscaling": {"HorizontalPodAutoscaler": ("horizontalpodautoscalers", _N)},
    "policy": {"PodDisruptionBudget": ("poddisruptionbudgets", _N),
               "PodSecurityPolicy": ("podsecuritypolicies", _C), "Eviction": ("evictions", _N)},
    "networking.k8s.io": {"NetworkPolicy": ("networkpolicies", _N), "Ingress": ("ingresses", _N),
                          "IngressClass": ("ingressclasses", _C), "IPAddress": ("ipaddresses", _C),
                          "ServiceCIDR": ("servicecidrs", _C)},
    "discovery.k8s.io": {"EndpointSlice": ("endpointslices", _N)},
    "rbac.authorization.k8s.io": {"Role": ("roles", _N), "RoleBinding": ("rolebindings", _N),
                                  "ClusterRole": ("clusterroles", _C),
                                  "ClusterRoleBinding": ("clusterrolebindings", _C)},
    "storage.k8s.io": {"StorageClass": ("storageclasses", _C), "VolumeAttachment": ("volumeattachments", _C),
                       "CSIDriver": ("csidrivers", _C), "CSINode": ("csinodes", _C),
                       "CSIStorageCapacity": ("csistoragecapacities", _N),
                       "VolumeAttributesClass": ("volumeattributesclasses", _C)},
    "admissionregistration.k8s.io": {
        "MutatingWebhookConfiguration": ("mutatingwebhookconfigurations", _C),
        "ValidatingWebhookConfiguration": ("validatingwebhookconfigurations", _C),
        "ValidatingAdmissionPolicy": ("validatingadmissionpolicies", _C),
        "ValidatingAdmissionPolicyBinding": ("validatingadmissionpolicybindings", _C),
        "MutatingAdmissionPolicy": ("mutatingadmissionpolicies", _C),
        "MutatingAdmissionPolicyBinding": ("mutatingadmissionpolicybindings", _C)},
    "apiextensions.k8s.io": {"CustomResourceDefinition": ("customresourcedefinitions", _C)},
    "apiregistration.k8s.io": {"APIService": ("apiservices", _C)},
    "scheduling.k8s.io": {"PriorityClass": ("priorityclasses", _C)},
    "node.k8s.io": {"RuntimeClass": ("runtimeclasses", _C)},
    "coordination.k8s.io": {"Lease": ("leases", _N), "LeaseCandidate": ("leasecandidates", _N)},
    "certificates.k8s.io": {"CertificateSigningRequest": ("certificatesigningrequests", _C),
                            "ClusterTrustBundle": ("clustertrustbundles", _C)},
    "flowcontrol.apiserver.k8s.io": {"FlowSchema": ("flowschemas", _C),
                                     "PriorityLevelConfiguration": ("prioritylevelconfigurations", _C)},
    "events.k8s.io": {"Event": ("events", _N)},
    "resource.k8s.io": {"ResourceClaim": ("resourceclaims", _N),
                        "ResourceClaimTemplate": ("resourceclaimtemplates", _N),
                        "DeviceClass": ("deviceclasses", _C), "ResourceSlice": ("resourceslices", _C),
                        "DeviceTaintRule": ("devicetaintrules", _C)},
    "authentication.k8s.io": {"TokenReview": ("tokenreviews", _C),
                              "SelfSubjectReview": ("selfsubjectreviews", _C)},
    "authorization.k8s.io": {"SubjectAccessReview": ("subjectaccessreviews", _C),
                             "SelfSubjectAccessReview": ("selfsubjectaccessreviews", _C),
                             "SelfSubjectRulesReview": ("selfsubjectrulesreviews", _C),
                             "LocalSubjectAccessReview": ("localsubjectaccessreviews", _N)},
    "storagemigration.k8s.io": {"StorageVersionMigration": ("storageversionmigrations", _C)},
    "internal.apiserver.k8s.io": {"StorageVersion": ("storageversions", _C)},
}


def group_of(api_version: str | None) -> str:
    """``apps/v1`` -> ``apps``; ``v1`` -> ``""`` (core)."""
    api_version = api_version or ""
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


@record(frozen=True)
class KindInfo:
    plural: str
    scope: str  # NAMESPACED, CLUSTER or UNKNOWN
    source: str  # "built-in", "CRD <name>", or "" when unknown


def crd_index(crd_objects) -> dict[tuple[str, str], KindInfo]:
    """(group, kind) -> KindInfo for every parsed CustomResourceDefinition given."""
    out = {}
    for obj in crd_objects:
        spec = obj.get("spec") if isinstance(obj, dict) else None
        if not isinstance(spec, dict):
            continue
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        group, kind, scope = spec.get("group"), names.get("kind"), spec.get("scope")
        if not (isinstance(group, str) and isinstance(kind, str)):
            continue
        scope = scope if scope in (NAMESPACED, CLUSTER) else UNKNOWN
        name = (obj.get("metadata") or {}).get("name") or f"{names.get('plural', '')}.{group}"
        out[(group, kind)] = KindInfo(str(names.get("plural") or kind.lower()), scope, f"CRD {name}")
    return out


def kind_info(api_version: str | None, kind: str | None, crds: dict | None = None) -> KindInfo:
    group = group_of(api_version)
    builtin = BUILTIN.get(group, {}).get(kind or "")
    if builtin is not None:
        return KindInfo(builtin[0], builtin[1], "built-in")
    if crds and (group, kind) in crds:
        return crds[(group, kind)]
    return KindInfo((kind or "").lower() + "s", UNKNOWN, "")


def scope_of(api_version: str | None, kind: str | None, crds: dict | None = None) -> str:
    return kind_info(api_version, kind, crds).scope


def count_key(api_version: str | None, kind: str | None, crds: dict | None = None) -> str:
    """The object-count quota key: ``count/pods``, ``count/deployments.apps``."""
    group = group_of(api_version)
    plural = kind_info(api_version, kind, crds).plural
    return f"count/{plural}.{group}" if group else f"count/{plural}"
