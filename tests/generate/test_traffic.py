"""The entry points a release's objects declare (helm_vnp.generate.traffic) and the policies that open them,
judged by the NetworkPolicy semantics: who reaches which release pod on which port."""
from __future__ import annotations

import pytest

from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.config.defaults import INGRESS_CONTROLLER_PRESETS
from helm_vnp.generate import generate_all
from helm_vnp.generate.traffic import entry_points
from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from tests.builders import container, deployment, obj, service
from tests.rules.rulekit import policies_from as config

REL, NS = "rel", "team"
NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"
WEB = Pod(NS, {"app": "web", RELEASE_LABEL: REL}, None, {"http": (8080, "TCP")})
NGINX = Pod("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"})


def web_service(**kw) -> dict:
    return service("web", selector={"app": "web"}, ports=[{"name": "http", "port": 80, "targetPort": "http"}], **kw)


def ingress(name="web", cls: str | None = "nginx", annotations=None, backend=None, api_version="networking.k8s.io/v1"):
    spec = {"defaultBackend": backend or {"service": {"name": "web", "port": {"number": 80}}}}
    if cls:
        spec["ingressClassName"] = cls
    return obj("Ingress", name, api_version=api_version, annotations=annotations, spec=spec)


def route(kind="HTTPRoute", parents=({"name": "gw", "namespace": "infra"},), port=80):
    return obj(kind, "r", api_version="gateway.networking.k8s.io/v1",
               spec={"parentRefs": list(parents), "rules": [{"backendRefs": [{"name": "web", "port": port}]}]})


def webhook(kind="ValidatingWebhookConfiguration", failure=None, port=None,
            api_version="admissionregistration.k8s.io/v1"):
    ref = {"name": "web", "namespace": NS, **({"port": port} if port else {})}
    hook = {"name": "x.example.com", "clientConfig": {"service": ref}}
    if failure:
        hook["failurePolicy"] = failure
    return obj(kind, "hooks", api_version=api_version, webhooks=[hook])


def entries(objects, values=NETPOL_ON):
    policies, _ = config(values)
    return entry_points(objects, policies, REL, NS)


def fence(objects, values=NETPOL_ON):
    """The post-renderer's policies for ``objects`` (the fence and every opened entry point), parsed."""
    policies, _ = config(values)
    return policies_from(generate_all(policies, REL, NS, [], entry_points(objects, policies, REL, NS)), NS)


def test_ingress_backend_reached_by_the_class_controller_on_the_target_port():
    policies = fence([web_service(), ingress()])
    assert allowed(policies, NGINX, WEB, 8080)  # targetPort http -> container port 8080
    assert not allowed(policies, NGINX, WEB, 80) and not allowed(policies, NGINX, WEB, 9090)
    assert not allowed(policies, Pod("other", NGINX.labels), WEB, 8080)
    # a pod the Service does not select, even of the release, is not opened to the controller
    assert not allowed(policies, NGINX, Pod(NS, {"app": "db", RELEASE_LABEL: REL}, None, {"http": (8080, "TCP")}), 8080)
    # a pod with the Service's labels that is not the release's is not selected either
    assert not [p for p in policies if p.name.startswith("vnp-rel-from")
                and "app" in p.pod_selector["matchLabels"] and RELEASE_LABEL not in p.pod_selector["matchLabels"]]


@pytest.mark.parametrize("ing, via", [
    (ingress(), "ingress class nginx"),
    (ingress(cls=None, annotations={"kubernetes.io/ingress.class": "nginx"}), "annotation kubernetes.io/ingress.class"),
    (ingress(cls=None, api_version="extensions/v1beta1", annotations={"kubernetes.io/ingress.class": "nginx"},
             backend={"serviceName": "web", "servicePort": "http"}), "annotation"),
])
def test_ingress_class_sources(ing, via):
    [e] = entries([web_service(), ing])
    assert e.opened and via in e.via and e.peers == tuple(INGRESS_CONTROLLER_PRESETS["nginx"])


def test_ingress_without_class_uses_the_release_default_class_or_the_setting():
    [e] = entries([web_service(), ingress(cls=None)])
    assert not e.opened and "defaultIngressClass" in e.blocked
    default_class = obj("IngressClass", "mine", api_version="networking.k8s.io/v1",
                        annotations={"ingressclass.kubernetes.io/is-default-class": "true"},
                        spec={"controller": "k8s.io/ingress-nginx"})
    [e] = entries([web_service(), ingress(cls=None), default_class])
    assert e.opened and e.peers == tuple(INGRESS_CONTROLLER_PRESETS["nginx"])  # by its controller
    [e] = entries([web_service(), ingress(cls=None)], NETPOL_ON + "    defaultIngressClass: traefik\n")
    assert e.opened and e.peers == tuple(INGRESS_CONTROLLER_PRESETS["traefik"])


def test_ingress_controllers_override_extend_and_switch_off():
    mine = "    ingressControllers:\n      my-lb: {peers: [{namespaceSelector: {matchLabels: {team: lb}}}]}\n"
    [e] = entries([web_service(), ingress(cls="my-lb")], NETPOL_ON + mine)
    assert e.opened and e.peers == ({"namespaceSelector": {"matchLabels": {"team": "lb"}}},)
    [e] = entries([web_service(), ingress(cls="my-lb")])
    assert not e.opened and "has no preset" in e.blocked
    [e] = entries([web_service(), ingress()], NETPOL_ON + "    ingressControllers: {nginx: none}\n")
    assert not e.opened and "nginx is none" in e.blocked


def test_backend_outside_the_release_or_without_the_port_opens_nothing():
    assert entries([ingress()]) == []
    assert entries([web_service(), ingress(backend={"service": {"name": "web", "port": {"number": 9999}}})]) == []
    assert entries([service("web", ports=[80]), ingress()]) == []  # no selector: manual Endpoints


def test_gateway_routes_reach_the_gateway_pods():
    gw_pod = Pod("infra", {"gateway.networking.k8s.io/gateway-name": "gw"})
    eg_pod = Pod("envoy-gateway-system", {"gateway.envoyproxy.io/owning-gateway-name": "gw",
                                          "gateway.envoyproxy.io/owning-gateway-namespace": "infra"})
    for kind in ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"):
        policies = fence([web_service(), route(kind)])
        assert allowed(policies, gw_pod, WEB, 8080) and allowed(policies, eg_pod, WEB, 8080)
        assert not allowed(policies, Pod("infra", {"gateway.networking.k8s.io/gateway-name": "other"}), WEB, 8080)
    [e] = entries([web_service(), route()], NETPOL_ON + "    gateways: {infra/gw: none}\n")
    assert not e.opened and "infra/gw is none" in e.blocked


def test_api_server_reaches_webhooks_apiservices_and_conversion_on_the_target_port():
    api_service = obj("APIService", "v1.x.example.com", api_version="apiregistration.k8s.io/v1",
                      spec={"service": {"name": "web", "namespace": NS}})
    crd = obj("CustomResourceDefinition", "ws.example.com", spec={"conversion": {
        "strategy": "Webhook", "webhook": {"clientConfig": {"service": {"name": "web", "namespace": NS, "port": 80}}}}})
    svc = service("web", selector={"app": "web"}, ports=[{"port": 443, "targetPort": "http"},
                                                           {"name": "m", "port": 80, "targetPort": 9090}])
    values = NETPOL_ON + "    apiServer: {peers: [{ipBlock: {cidr: 10.0.0.0/24}}]}\n"
    found = entries([svc, webhook(), api_service, crd], values)
    assert [(e.kind, [p["port"] for p in e.ports], e.fatal) for e in found] == [
        ("APIService", ["http"], True), ("CustomResourceDefinition", [9090], True),
        ("ValidatingWebhookConfiguration", ["http"], True)]
    policies = fence([svc, webhook()], values)
    assert allowed(policies, "10.0.0.9", WEB, 8080) and not allowed(policies, "10.0.1.9", WEB, 8080)
    assert not allowed(policies, "10.0.0.9", WEB, 9090)


def test_webhook_failure_policy_decides_whether_a_block_is_fatal():
    off = NETPOL_ON + "    apiServer: {peers: []}\n"
    svc = service("web", selector={"app": "web"}, ports=[{"port": 443, "targetPort": "http"}])
    assert [e.fatal for e in entries([svc, webhook()], off)] == [True]  # v1 default: Fail
    assert [e.fatal for e in entries([svc, webhook(failure="Ignore")], off)] == [False]
    assert [e.fatal for e in entries([svc, webhook(api_version="admissionregistration.k8s.io/v1beta1")], off)] \
        == [False]
    assert entries([svc, webhook(port=8443)], off) == []  # the Service has no port 8443


def test_exposed_services_follow_the_chart_or_are_refused():
    lb = service("web", type="LoadBalancer", selector={"app": "web"},
                 ports=[{"port": 80, "targetPort": "http"}])
    policies = fence([lb])
    for client in ("203.0.113.1", "2001:db8::1"):
        assert allowed(policies, client, WEB, 8080) and not allowed(policies, client, WEB, 22)
    deny = NETPOL_ON + "    exposedServices: deny\n"
    [e] = entries([lb], deny)
    assert not e.opened and not allowed(fence([lb], deny), "203.0.113.1", WEB, 8080)
    ext = service("web", selector={"app": "web"}, ports=[80], external_i_ps=["198.51.100.1"])
    [e] = entries([ext])
    assert e.opened and "externalIPs 198.51.100.1" in e.via


def test_monitors_are_scraped_from_the_monitoring_peer():
    svc = service("web", selector={"app": "web"}, ports=[{"name": "metrics", "port": 9000, "targetPort": 9090}])
    svc["metadata"]["labels"] = {"app": "web"}
    sm = obj("ServiceMonitor", "web", api_version="monitoring.coreos.com/v1",
             spec={"selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": "metrics"}]})
    pm = obj("PodMonitor", "pm", api_version="monitoring.coreos.com/v1",
             spec={"selector": {"matchLabels": {"app": "web"}}, "podMetricsEndpoints": [{"port": "http"}]})
    prom = Pod("monitoring", {"app.kubernetes.io/name": "prometheus"})
    policies = fence([svc, sm, pm])
    assert allowed(policies, prom, WEB, 9090) and allowed(policies, prom, WEB, 8080)
    assert not allowed(policies, prom, WEB, 22) and not allowed(policies, Pod("x", prom.labels), WEB, 9090)
    values = NETPOL_ON + "    monitoring: {namespace: observability}\n"
    assert allowed(fence([svc, sm], values), Pod("observability", prom.labels), WEB, 9090)
    assert all(not e.opened for e in entries([svc, sm, pm], NETPOL_ON + "    monitoring: {peers: []}\n"))
    other_ns = obj("ServiceMonitor", "w", api_version="monitoring.coreos.com/v1", spec={
        "selector": {"matchLabels": {"app": "web"}}, "namespaceSelector": {"matchNames": ["elsewhere"]},
        "endpoints": [{"port": "metrics"}]})
    assert entries([svc, other_ns]) == []


def test_selector_that_contradicts_the_release_label_opens_nothing():
    hostile = service("web", selector={"app": "web", RELEASE_LABEL: "other"}, ports=[80])
    assert entries([hostile, ingress()]) == []


def test_isolation_off_generates_nothing_and_output_is_deterministic():
    policies, _ = config("")
    assert generate_all(policies, REL, NS, [], entry_points([web_service(), ingress()], policies, REL, NS)) == []
    on, _ = config(NETPOL_ON)
    objects = [web_service(), ingress(), ingress("b"), deployment("web", containers=[container(ports=[80])])]
    first = generate_all(on, REL, NS, [], entry_points(objects, on, REL, NS))
    assert first == generate_all(on, REL, NS, [], entry_points(list(reversed(objects)), on, REL, NS))
    names = [o["metadata"]["name"] for o in first]
    assert names == ["vnp-rel-workload", "vnp-rel-from-ingress-b-to-web", "vnp-rel-from-ingress-web-to-web"]


def test_pods_bound_to_rbac_roles_reach_the_api_server_peers_on_its_ports():
    operator = deployment("operator", service_account_name="operator", labels={"app": "operator"})
    binding = obj("ClusterRoleBinding", "operator", roleRef={"kind": "ClusterRole", "name": "operator"},
                  subjects=[{"kind": "ServiceAccount", "name": "operator", "namespace": NS}])
    pod = Pod(NS, {"app": "operator", RELEASE_LABEL: REL})
    values = NETPOL_ON + "    apiServer: {peers: [{ipBlock: {cidr: 10.0.0.0/24}}]}\n"
    policies = fence([operator, binding], values)
    assert allowed(policies, pod, "10.0.0.1", 6443) and allowed(policies, pod, "10.0.0.1", 443)
    assert not allowed(policies, pod, "10.0.0.1", 5432) and not allowed(policies, pod, "10.1.0.1", 443)
    assert not allowed(policies, WEB, "10.0.0.1", 443)  # not bound: no API egress
    [e] = entries([operator, binding], values)
    assert e.direction == "egress" and e.reason == ("Deployment operator -> the API server:443/TCP,6443/TCP "
                                                    "(ServiceAccount operator, bound by ClusterRoleBinding operator "
                                                    "(ClusterRole operator))")
    # a binding to a role the release renders and that grants nothing is no evidence: no egress opened
    empty_role = obj("ClusterRole", "operator", rules=[])
    assert entries([operator, binding, empty_role], values) == []
    no_token = deployment("operator", service_account_name="operator", automount_service_account_token=False)
    assert entries([no_token, binding], values) == []
    assert entries([operator], values) == []  # no binding: no evidence it calls the API


HOSTILE = [
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: 'x'\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {ingressClassName: [1], rules: "
    "[{http: {paths: [{backend: {service: {name: web, port: {number: {a: 1}}}}}, 5]}}, 'x']}\n",
    "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec: {backend: {serviceName: web, "
    "servicePort: [80]}}\n",
    "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec: {parentRefs: 'x', "
    "rules: [{backendRefs: [{name: web, port: [1]}]}]}\n",
    "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: v}\n"
    "webhooks: [{clientConfig: {service: {name: web, port: true}}}, 5, {clientConfig: 'x'}]\n",
    "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: a}\nspec: {service: [1]}\n",
    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: s}\nspec: {selector: "
    "{matchLabels: [1]}, endpoints: 'x', namespaceSelector: {matchNames: 'x'}}\n",
    "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: p}\nspec: {selector: "
    "{matchExpressions: [{key: a, operator: Bogus}]}, podMetricsEndpoints: [{port: {a: 1}}]}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer, selector: {app: web}, "
    "ports: [{port: 80, targetPort: [1]}, 'x', {port: 81, protocol: ICMP}]}\n",
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nsubjects: "
    "[{kind: ServiceAccount, name: [1]}, 5]\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: [1]}, template: "
    "{metadata: {labels: {app: d}}, spec: {serviceAccountName: {a: 1}, containers: [{name: c, image: x}]}}}\n",
]


@pytest.mark.parametrize("doc", HOSTILE)
def test_malformed_entry_points_open_nothing_odd_and_never_crash(doc):
    from helm_vnp.release.pipeline import post_render
    policies, _ = config(NETPOL_ON)
    result = post_render(("---\n" + doc).encode(), policies, REL, NS)
    opened = [o for o in result.generated if "vnp.helm-plugin.io/reason" in o["metadata"].get("annotations", {})]
    for o in opened:
        [rule] = o["spec"].get("ingress", []) + o["spec"].get("egress", [])
        assert rule["ports"] and all(isinstance(p["port"], (int, str)) and not isinstance(p["port"], bool)
                                     and p["protocol"] in ("TCP", "UDP", "SCTP") for p in rule["ports"])
        assert all(isinstance(v, str) for v in o["spec"]["podSelector"].get("matchLabels", {}).values())
    # only the LoadBalancer's well-formed ports are opened
    assert [[p["port"] for p in o["spec"]["ingress"][0]["ports"]] for o in opened] == \
        ([[81]] if "LoadBalancer" in doc else [])
