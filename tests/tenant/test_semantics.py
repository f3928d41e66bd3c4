"""What each tenant rule means, case by case, on hand-made streams (in process: the same check functions the
post-renderer and lint run): image references resolved as the runtime resolves them, imagePullPolicy as
Kubernetes defaults it, Capsule's allowed and forbidden lists, hostnames, CIDRs, quantities."""
from __future__ import annotations

import pytest

from helm_vnp.k8s.pod_creators import declared_creators
from helm_vnp.release.tenant import violations
from helm_vnp.release.tenant.images import effective_pull_policy, parse_image
from helm_vnp.stream import split
from tests.tenant.kit import TENANT, policies


def found(tmp_path, stream: str, config: str) -> set[tuple[str, str]]:
    """(rule, dotted path) of every violation of ``stream`` under ``policies.tenant`` + ``config``."""
    p = policies(tmp_path, TENANT + config)
    return {(v.rule, v.path) for v in violations(split(stream.encode(), "s.yaml"), p,
                                                  declared_creators(p.get("workloadKinds")))}


def pod(*containers: str, lists: str = "containers", extra: str = "") -> str:
    items = "".join(f"    - {c}\n" for c in containers)
    return f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{extra}  {lists}:\n{items}"


@pytest.mark.parametrize("image, registry, normalised", [
    ("nginx", "docker.io", "docker.io/library/nginx"),
    ("nginx:1.27", "docker.io", "docker.io/library/nginx:1.27"),
    ("bitnami/redis:7", "docker.io", "docker.io/bitnami/redis:7"),
    ("index.docker.io/library/nginx", "docker.io", "docker.io/library/nginx"),
    ("docker.io/nginx", "docker.io", "docker.io/library/nginx"),
    ("localhost/app", "localhost", "localhost/app"),
    ("localhost:5000/team/app:1", "localhost:5000", "localhost:5000/team/app:1"),
    ("Registry/app", "Registry", "Registry/app"),  # upper case: a host (no repository path has it)
    ("quay.io/team-a/web@sha256:" + "a" * 64, "quay.io", "quay.io/team-a/web@sha256:" + "a" * 64),
    ("registry.example.com:443/a/b/c:v1", "registry.example.com:443", "registry.example.com:443/a/b/c:v1"),
])
def test_image_references_resolve_as_the_runtime_resolves_them(image, registry, normalised):
    ref = parse_image(image)
    assert (ref.registry, ref.normalised) == (registry, normalised)


@pytest.mark.parametrize("image, policy, effective", [
    ("nginx", None, "Always"),  # no tag, no digest: latest
    ("nginx:latest", None, "Always"),
    ("nginx:1.27", None, "IfNotPresent"),
    ("nginx@sha256:" + "b" * 64, None, "IfNotPresent"),  # a digest and no tag: no tag "latest"
    ("nginx:latest@sha256:" + "b" * 64, None, "Always"),  # the tag decides (pkg/apis/core/v1 defaults)
    ("localhost:5000/app", None, "Always"),  # the port is no tag
    ("nginx:1.27", "Never", "Never"),
])
def test_the_effective_pull_policy_is_kubernetes_defaulting(image, policy, effective):
    container = {"image": image, **({"imagePullPolicy": policy} if policy else {})}
    assert effective_pull_policy(container, image) == effective


def test_registries_hosts_prefixes_and_regex(tmp_path):
    config = ("    images:\n      registries:\n        allowed: [registry.example.com, quay.io/team-a/, bitnami/]\n"
              "        allowedRegex: ^mirror\\.[a-z]+\\.example\\.com$\n")
    stream = pod("{name: a, image: 'registry.example.com/x/y:1'}", "{name: b, image: 'quay.io/team-a/web:2'}",
                 "{name: c, image: 'quay.io/team-ab/web:2'}", "{name: d, image: bitnami/redis}",
                 "{name: e, image: 'docker.io/bitnami/redis:7'}", "{name: f, image: mirror.eu.example.com/x}",
                 "{name: g, image: nginx}", "{name: h, image: registry.example.com.evil.io/x}",
                 "{name: i, image: evil.io/mirror.eu.example.com}", "{name: j}")
    assert found(tmp_path, stream, config) == {("tenant.imageRegistry", f"spec.containers[{i}].image")
                                               for i in (2, 6, 7, 8, 9)}


def test_docker_io_allows_official_images_written_without_a_host(tmp_path):
    config = "    images:\n      registries: {allowed: [docker.io]}\n"
    assert found(tmp_path, pod("{name: a, image: busybox}", "{name: b, image: index.docker.io/x/y}"), config) == set()
    assert found(tmp_path, pod("{name: a, image: ghcr.io/x/y}"), config) == {
        ("tenant.imageRegistry", "spec.containers[0].image")}


def test_every_container_list_and_every_pod_creating_kind(tmp_path):
    config = "    images:\n      registries: {allowed: [ok.io]}\n  workloadKinds:\n" \
             "    - {apiVersion: example.com/v1, kind: Worker, podTemplatePath: spec.pool.template}\n"
    stream = (pod("{name: a, image: ok.io/a}", extra="  initContainers: [{name: i, image: bad.io/i}]\n"
                  "  ephemeralContainers: [{name: e, image: bad.io/e}]\n")
              + "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n"
                "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
                "          containers: [{name: c, image: bad.io/c}]\n"
              + "---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n"
                "    spec:\n      containers: [{name: r, image: bad.io/r}]\n"
              + "---\napiVersion: example.com/v1\nkind: Worker\nmetadata: {name: w}\nspec:\n  pool:\n    template:\n"
                "      spec:\n        containers: [{name: w, image: bad.io/w}]\n"
              + "---\napiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n"
                "    containers: [{name: t, image: bad.io/t}]\n"
              + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {image: bad.io/m}\n")
    assert found(tmp_path, stream, config) == {
        ("tenant.imageRegistry", "spec.initContainers[0].image"),
        ("tenant.imageRegistry", "spec.ephemeralContainers[0].image"),
        ("tenant.imageRegistry", "spec.jobTemplate.spec.template.spec.containers[0].image"),
        ("tenant.imageRegistry", "spec.template.spec.containers[0].image"),
        ("tenant.imageRegistry", "spec.pool.template.spec.containers[0].image"),
        ("tenant.imageRegistry", "template.spec.containers[0].image")}


def test_pull_policy_and_digest(tmp_path):
    digest = "sha256:" + "c" * 64
    config = "    images:\n      pullPolicy: {allowed: [Always]}\n      requireDigest: true\n"
    stream = pod("{name: a, image: nginx}", "{name: b, image: 'nginx:1.27'}", f"{{name: c, image: 'nginx@{digest}'}}",
                 f"{{name: d, image: 'nginx:1@{digest}', imagePullPolicy: Always}}")
    assert found(tmp_path, stream, config) == {
        ("tenant.imageDigest", "spec.containers[0].image"), ("tenant.imageDigest", "spec.containers[1].image"),
        ("tenant.imagePullPolicy", "spec.containers[1].imagePullPolicy"),
        ("tenant.imagePullPolicy", "spec.containers[2].imagePullPolicy")}


SVC = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n{meta}spec:\n{spec}  ports: [{{port: 80}}]\n"


def svc(name: str, spec: str = "", meta: str = "") -> str:
    return SVC.format(name=name, spec=spec, meta=meta)


def test_service_types_default_to_cluster_ip(tmp_path):
    config = "    services: {allowedTypes: [ClusterIP]}\n"
    stream = svc("a") + svc("b", "  type: ClusterIP\n") + svc("c", "  type: ExternalName\n  externalName: x.io\n")
    assert found(tmp_path, stream, config) == {("tenant.serviceType", "spec.type")}


def test_external_ips_and_source_ranges_lie_inside_allowed_networks(tmp_path):
    config = ("    services:\n      externalIPs: {allowed: [10.0.0.0/8, 2001:db8::/32]}\n"
              "      loadBalancerSourceRanges: {allowed: [10.0.0.0/8, 2001:db8::/32], required: true}\n")
    lb = "  type: LoadBalancer\n"
    stream = (svc("ips", "  externalIPs: [10.1.2.3, '2001:db8::1', 11.0.0.1, '2001:db9::1', not-an-ip]\n")
              + svc("ok", lb + "  loadBalancerSourceRanges: [10.1.0.0/16, 10.0.0.0/8, '2001:db8:1::/48']\n")
              + svc("sloppy", lb + "  loadBalancerSourceRanges: [10.0.0.1/8]\n")
              + svc("wide", lb + "  loadBalancerSourceRanges: [10.0.0.0/7]\n")
              + svc("open", lb)
              + svc("annotated", lb, "  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: "
                                     "'10.0.0.0/16, 0.0.0.0/0'\n")
              + svc("field-wins", lb + "  loadBalancerSourceRanges: [10.0.0.0/16]\n",
                    "  annotations: {service.beta.kubernetes.io/load-balancer-source-ranges: 0.0.0.0/0}\n")
              + svc("not-lb", "  loadBalancerSourceRanges: [0.0.0.0/0]\n"))
    p = policies(tmp_path, TENANT + config)
    got = {(v.doc.name, v.rule, v.path) for v in violations(split(stream.encode()), p, ())}
    # 10.0.0.1/8 is read as the API server reads it (sloppily: 10.0.0.0/8): inside; the annotation counts only
    # when the field is empty; a ClusterIP Service's ranges are ignored, by Kubernetes and by the rule
    assert got == {
        ("ips", "tenant.serviceExternalIPs", "spec.externalIPs[2]"),
        ("ips", "tenant.serviceExternalIPs", "spec.externalIPs[3]"),
        ("ips", "tenant.serviceExternalIPs", "spec.externalIPs[4]"),
        ("wide", "tenant.serviceSourceRanges", "spec.loadBalancerSourceRanges[0]"),
        ("open", "tenant.serviceSourceRanges", "spec.loadBalancerSourceRanges"),
        ("annotated", "tenant.serviceSourceRanges",
         'metadata.annotations["service.beta.kubernetes.io/load-balancer-source-ranges"]')}


def test_load_balancer_classes_and_service_metadata(tmp_path):
    config = ("    services:\n      loadBalancerClasses: {allowedRegex: ^internal\\.}\n"
              "      forbiddenAnnotations: {denied: [metallb.universe.tf/address-pool]}\n"
              "      forbiddenLabels: {deniedRegex: ^platform/}\n")
    lb = "  type: LoadBalancer\n"
    stream = (svc("default-class", lb) + svc("internal", lb + "  loadBalancerClass: internal.example.com/lb\n")
              + svc("public", lb + "  loadBalancerClass: public.example.com/lb\n")
              + svc("meta", "", "  labels: {platform/x: y, app: z}\n"
                                "  annotations: {metallb.universe.tf/address-pool: a}\n"))
    assert found(tmp_path, stream, config) == {
        ("tenant.serviceLoadBalancerClass", "spec.loadBalancerClass"),
        ("tenant.serviceMetadata", 'metadata.labels["platform/x"]'),
        ("tenant.serviceMetadata", 'metadata.annotations["metallb.universe.tf/address-pool"]')}


def ingress(rules: str, extra: str = "") -> str:
    return (f"---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: i}}\nspec:\n{extra}"
            f"  rules: {rules}\n")


def test_hostnames_exact_wildcard_regex_and_catch_alls(tmp_path):
    config = ("    ingress:\n      hostnames:\n        allowed: [shop.example.com, '*.team-a.example.com']\n"
              "        allowedRegex: ^[a-z]+\\.preview\\.example\\.com$\n")
    stream = ingress("[{host: SHOP.example.com}, {host: a.b.team-a.example.com}, {host: '*.team-a.example.com'}, "
                     "{host: team-a.example.com}, {host: x.preview.example.com}, {host: evilteam-a.example.com}, "
                     "{http: {paths: []}}]", "  defaultBackend: {service: {name: s, port: {number: 80}}}\n"
                     "  tls: [{hosts: [shop.example.com, other.example.com]}]\n")
    stream += ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h}\nspec:\n"
               "  hostnames: [x.team-a.example.com, x.example.org]\n"
               "---\napiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\nspec: {}\n"
               "---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata: {name: t}\nspec:\n"
               "  hostnames: [shop.example.com]\n"
               "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n"
               "  listeners: [{name: a, hostname: gw.example.org}, {name: b}]\n"
               "---\napiVersion: example.com/v1\nkind: HTTPRoute\nmetadata: {name: other-group}\nspec:\n"
               "  hostnames: [x.example.org]\n")
    assert found(tmp_path, stream, config) == {
        ("tenant.ingressHostname", "spec.rules[3].host"), ("tenant.ingressHostname", "spec.rules[5].host"),
        ("tenant.ingressHostname", "spec.rules[6].host"), ("tenant.ingressHostname", "spec.defaultBackend"),
        ("tenant.ingressHostname", "spec.tls[0].hosts[1]"), ("tenant.ingressHostname", "spec.hostnames[1]"),
        ("tenant.ingressHostname", "spec.hostnames"), ("tenant.ingressHostname", "spec.listeners[0].hostname"),
        ("tenant.ingressHostname", "spec.listeners[1].hostname")}


def test_wildcards_only_when_refused(tmp_path):
    stream = ingress("[{host: '*.example.com'}, {host: a.example.com}]")
    assert found(tmp_path, stream, "    ingress: {allowWildcardHostnames: false}\n") == {
        ("tenant.wildcardHostname", "spec.rules[0].host")}
    assert found(tmp_path, stream, "    ingress: {allowWildcardHostnames: true}\n") == set()


def resources(res: str, lists: str = "containers") -> str:
    return pod(f"{{name: a, image: x, resources: {res}}}", lists=lists)


@pytest.mark.parametrize("res, expected", [
    ("{}", {("tenant.resourceRequests", "spec.containers[0].resources.requests"),
            ("tenant.resourceLimits", "spec.containers[0].resources.limits"),
            ("tenant.resourceRatio", "spec.containers[0].resources")}),
    # a limit alone is the request (Kubernetes defaults it); limit 2 / request 2 = 1
    ("{limits: {cpu: '2', memory: 1Gi}}", set()),
    ("{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}", set()),  # ratio exactly 4
    ("{requests: {cpu: 499m, memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}",
     {("tenant.resourceRatio", "spec.containers[0].resources")}),
    ("{requests: {cpu: 100m, memory: 1Gi}, limits: {cpu: 400m, memory: 5Gi}}",
     {("tenant.resourceMax", "spec.containers[0].resources.limits.memory")}),
    ("{requests: {cpu: '3', memory: 1Gi}, limits: {cpu: '3', memory: 1Gi}}",
     {("tenant.resourceMax", "spec.containers[0].resources.requests.cpu"),
      ("tenant.resourceMax", "spec.containers[0].resources.limits.cpu")}),
    ("{requests: {cpu: 1x, memory: 1Gi}, limits: {cpu: '1', memory: 1Gi}}",
     {("tenant.resourceMax", "spec.containers[0].resources.requests.cpu"),
      ("tenant.resourceRatio", "spec.containers[0].resources.requests.cpu")}),
])
def test_resources(tmp_path, res, expected):
    config = ("    resources:\n      requireRequests: [cpu, memory]\n      requireLimits: [memory]\n"
              "      maxLimitRequestRatio: {cpu: '4'}\n      max: {cpu: '2', memory: 4Gi}\n")
    assert found(tmp_path, resources(res), config) == expected


def test_ephemeral_containers_may_not_set_resources_and_are_not_required_to(tmp_path):
    config = "    resources:\n      requireRequests: [cpu]\n"
    assert found(tmp_path, resources("{}", lists="ephemeralContainers"), config) == set()
    assert found(tmp_path, resources("{}", lists="initContainers"), config) == {
        ("tenant.resourceRequests", "spec.initContainers[0].resources.requests")}


def test_metadata_on_objects_and_pod_templates(tmp_path):
    config = ("    metadata:\n      forbiddenLabels: {deniedRegex: ^platform\\.example\\.com/}\n"
              "      forbiddenAnnotations: {denied: [backup.example.com/exclude]}\n"
              "      requiredLabels: {team: '*', tier: web}\n")
    stream = ("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  labels: {team: a, tier: web}\n"
              "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wrong\n  labels: {tier: db}\n"
              "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"
              "  labels: {team: a, tier: web, \"platform.example.com/trusted\": 'true'}\nspec:\n  template:\n"
              "    metadata:\n      labels: {platform.example.com/x: y}\n"
              "      annotations: {backup.example.com/exclude: 'true'}\n"
              "    spec: {containers: [{name: a, image: x}]}\n")
    p = policies(tmp_path, TENANT + config)
    got = {(v.doc.name, v.rule, v.path) for v in violations(split(stream.encode()), p, ())}
    assert got == {
        ("wrong", "tenant.requiredLabel", "metadata.labels"),
        ("wrong", "tenant.requiredLabel", "metadata.labels.tier"),
        ("d", "tenant.forbiddenLabel", 'metadata.labels["platform.example.com/trusted"]'),
        ("d", "tenant.forbiddenLabel", 'spec.template.metadata.labels["platform.example.com/x"]'),
        ("d", "tenant.forbiddenAnnotation", 'spec.template.metadata.annotations["backup.example.com/exclude"]')}


def test_the_label_vnp_adds_to_pod_templates_is_not_the_charts(tmp_path):
    from tests.tenant.kit import in_process
    values = ("policies:\n  networkPolicy: {enabled: true}\n  tenant:\n    metadata:\n"
              "      forbiddenLabels: {deniedRegex: helm-plugin\\.io}\n")
    stream = ("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
              "    metadata: {labels: {app: d}}\n    spec: {containers: [{name: a, image: x}]}\n")
    result = in_process(tmp_path, stream, values)
    assert b'"vnp.helm-plugin.io/release": "shop"' in result.docs[0].raw  # labelled, and not refused for it


def test_groups_left_out_check_nothing(tmp_path):
    p = policies(tmp_path, "policies:\n  tenant:\n    mode: warn\n")
    assert p["tenant"] == {"mode": "warn"}
    assert violations(split(pod("{name: a, image: evil.io/x}").encode()), p, ()) == []
