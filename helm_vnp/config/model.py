"""The canonical, normalised configuration every other part of vnp reads.

``helm_vnp.config.load_config`` turns values files and ``--set`` flags (either
vCluster layout, legacy keys included) into one ``Policies`` dict of exactly
this shape, with every default filled in, so generators and checks never look
at raw user keys and never care which layout the user wrote.

Plain dicts (TypedDict) rather than classes: they are what the generators
emit and what ``helm-vnp config --dump`` prints.  The rest of vnp imports this module only for type
checkers (``TYPE_CHECKING``): building its TypedDicts costs a few milliseconds of every start.
"""
from __future__ import annotations

from typing import Literal, TypedDict


class IPBlock(TypedDict):
    cidr: str
    except_: list[str]  # key is "except" in the dict: helm_vnp.config.normalise.IPBLOCK_EXCEPT




class PublicEgress(TypedDict):
    enabled: bool
    # one ipBlock per address family; the first comes from the reference's
    # cidr/except (v0.30: outgoingConnections.ipBlock, v0.31+: workload.publicEgress),
    # the others from vnp's extension ``publicEgress.extraIpBlocks`` (IPv6 by default).
    ipBlocks: list[dict]  # [{"cidr": str, "except": [str, ...]}]


class Workload(TypedDict):
    publicEgress: PublicEgress
    ingress: list[dict]  # NetworkPolicyIngressRule, Kubernetes shape
    egress: list[dict]  # NetworkPolicyEgressRule, Kubernetes shape


class ControlPlane(TypedDict):
    # label selector ({"matchLabels": {...}, "matchExpressions": [...]}) naming the
    # release's control-plane pods; None -> no control-plane policy (vnp extension)
    selector: dict | None
    platform: bool  # egress to the loft platform (v0.30 outgoingConnections.platform)
    ingress: list[dict]
    egress: list[dict]


class Dns(TypedDict):
    # where the cluster DNS pods are and which *pod* ports they listen on
    # (NetworkPolicy sees the pod port after DNAT: 53 kube-dns, 1053 vCluster, 5353 OpenShift)
    ports: list[int]
    peers: list[dict]  # NetworkPolicyPeer list, e.g. [{"namespaceSelector":..., "podSelector":...}]


class ApiServer(TypedDict):
    peers: list[dict]  # NetworkPolicyPeer list: where the API server is ([]: nowhere known, nothing opened)
    ports: list[int]  # its ports after the `kubernetes` Service's DNAT (pods' egress to it)


class Monitoring(TypedDict):
    namespace: str  # where prometheus-operator's Prometheus runs (the preset's namespace)
    peers: list[dict]  # the scraping pods ([]: none, nothing opened)


class NetworkPolicy(TypedDict):
    enabled: bool
    fallbackDns: str  # "" disables the fallback DNS egress rule
    labels: dict[str, str]
    annotations: dict[str, str]
    dns: Dns
    controlPlane: ControlPlane
    workload: Workload
    # traffic the release's own objects declare (helm-vnp extension; helm_vnp.generate.traffic)
    ingressControllers: dict[str, list[dict]]  # ingress class -> controller pods (presets merged; [] = none)
    defaultIngressClass: str  # the class of an Ingress naming none, when the release has no default IngressClass
    gateways: dict[str, list[dict]]  # "namespace/name" of a Gateway -> its pods ([] = none); else the preset
    apiServer: ApiServer
    exposedServices: Literal["allow", "deny"]  # LoadBalancer/NodePort/externalIPs Services: open or refuse
    # pod creators rendered into another namespace: fail, generate the release's NetworkPolicies there too, or warn
    otherNamespaces: Literal["refuse", "isolate", "allow"]
    # project-scoped isolation: pods also carry PROJECT_LABEL=project, same-project pods anywhere get in/out
    project: str  # "" = none
    confineChartPolicies: bool  # rewrite the chart's NetworkPolicies so their peers match only release pods
    monitoring: Monitoring


class ResourceQuota(TypedDict):
    enabled: bool  # "auto" already resolved
    quota: dict[str, str]  # resource name -> quantity string, e.g. {"requests.cpu": "10"}
    scopes: list[str]
    scopeSelector: dict
    labels: dict[str, str]
    annotations: dict[str, str]


class LimitRange(TypedDict):
    enabled: bool  # "auto" already resolved
    default: dict[str, str]
    defaultRequest: dict[str, str]
    min: dict[str, str]
    max: dict[str, str]
    labels: dict[str, str]
    annotations: dict[str, str]


class Exemption(TypedDict):
    kind: str  # "Deployment", "*" for any
    name: str  # object name, "*" for any


class PodSecurity(TypedDict):
    mode: Literal["enforce", "warn"]
    exemptions: list[Exemption]


class WorkloadKind(TypedDict):
    apiVersion: str  # "group/version" or "group/*"
    kind: str
    podTemplatePath: str  # dotted path with * wildcards, or ""
    labelsPath: str  # dotted path ending in .labels, or "" (exactly one of the two is set)


class Hardening(TypedDict):
    enabled: bool
    # each None: the chosen standard's default (helm_vnp.release.mutations.hardening_values)
    runAsNonRoot: bool | None
    runAsUser: int | None
    runAsGroup: int | None
    fsGroup: int | None
    seccompProfile: str | None  # "RuntimeDefault", "" (off)
    allowPrivilegeEscalation: bool | None
    dropAllCapabilities: bool | None


class NodeIsolation(TypedDict):
    nodeSelector: dict[str, str]
    tolerations: list[dict]
    runtimeClassName: str
    priorityClassName: str
    override: bool


class ServiceAccountTokens(TypedDict):
    disableAutomount: bool
    allow: list[str]  # ServiceAccount names that keep their token


class ServiceRef(TypedDict):
    namespace: str  # "" = the release namespace
    name: str


class MapServices(TypedDict):
    fromHost: list[dict]  # {"from": ServiceRef, "to": ServiceRef, "ports": list[NetworkPolicyPort] | None}
    fromVirtual: list[dict]  # {"from": ServiceRef, "to": ServiceRef}
    clusterDomain: str  # suffix of each generated ExternalName


class Policies(TypedDict):
    # how the release's pods are selected: "podLabel" (inject RELEASE_LABEL into every
    # pod template) or "workloadSelectors" (label nothing; use each workload's spec.selector)
    selection: Literal["podLabel", "workloadSelectors"]
    podSecurityStandard: Literal["", "privileged", "baseline", "restricted"]
    podSecurityVersion: str  # "latest" or "v1.0" ... "v1.37"
    podSecurity: PodSecurity
    # custom kinds that create pods (besides helm_vnp.k8s.pod_creators.REGISTRY), and what to do
    # with objects of unknown kinds that embed a pod template
    workloadKinds: list[WorkloadKind]
    unknownWorkloads: Literal["error", "warn", "ignore"]
    hardening: Hardening
    nodeIsolation: NodeIsolation
    serviceAccountTokens: ServiceAccountTokens
    tenant: dict  # policies.tenant as given ({}: not configured); release.tenant reads it
    networkPolicy: NetworkPolicy
    resourceQuota: ResourceQuota
    limitRange: LimitRange
    mapServices: MapServices  # vCluster's top-level mapServices key (not under policies in the values)
    # tenant guardrails: {"mode": "enforce"|"warn", <group>: its validated config, ...}; a group absent is off
    tenant: dict


# The one label vnp adds to every pod template the chart renders (value: release name).
# Labels on every object vnp generates; they tie the object to the release and
# mark it as vnp's own (the post-renderer replaces, never duplicates, its own objects).
# Helm 4 files each post-rendered document under this annotation.
