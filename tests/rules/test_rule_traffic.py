"""netpol.opened and netpol.blocked: every entry point the release declares is either opened (info, naming
the policy) or blocked (warning; error when a Fail webhook, an APIService or a conversion webhook goes down)."""
from __future__ import annotations

from helm_vnp.rules import netpol_blocked, netpol_opened
from tests.builders import obj, service, stream
from tests.rules.rulekit import NETPOL_ON, deployment, run

WEB = deployment("web") + stream(service("web", selector={"app": "web"}, ports=[{"port": 443, "targetPort": 8443}]))
HOOK = stream(obj("ValidatingWebhookConfiguration", "hooks", api_version="admissionregistration.k8s.io/v1",
                  webhooks=[{"name": "x.example.com", "clientConfig": {"service": {"name": "web", "namespace": "team"}},
                             "failurePolicy": "Fail"}]))
LB = deployment("lb") + stream(service("lb", type="LoadBalancer", selector={"app": "lb"}, ports=[80]))
MONITOR = stream(obj("PodMonitor", "pm", api_version="monitoring.coreos.com/v1",
                     spec={"selector": {"matchLabels": {"app": "web"}}, "podMetricsEndpoints": [{"port": "metrics"}]}))


def test_opened_names_the_object_the_policy_and_the_peers():
    [f] = run(netpol_opened, WEB + HOOK, NETPOL_ON)
    assert (f.severity, f.object.kind, f.object.name) == ("info", "ValidatingWebhookConfiguration", "hooks")
    assert f.message.startswith("ValidatingWebhookConfiguration hooks -> Service web:8443/TCP")
    assert "NetworkPolicy vnp-rel-from-apiserver-validatingwebhookconfiguration-hooks-to-web admits " \
           "0.0.0.0/0, ::/0" in f.message and "control-plane addresses to narrow it" in f.message
    assert run(netpol_opened, WEB + HOOK, "") == []  # no isolation: vnp opens nothing
    assert run(netpol_blocked, WEB + HOOK, NETPOL_ON) == []


def test_blocked_severity_follows_what_goes_down():
    off = NETPOL_ON + "    apiServer: {peers: []}\n    exposedServices: deny\n    monitoring: {peers: []}\n"
    found = {(f.object.kind, f.severity) for f in run(netpol_blocked, WEB + HOOK + LB + MONITOR, off)}
    assert found == {("ValidatingWebhookConfiguration", "error"), ("Service", "warning"), ("PodMonitor", "warning")}
    [hook] = [f for f in run(netpol_blocked, WEB + HOOK, off)]
    assert "the API server cannot reach Service web (port 8443/TCP)" in hook.message
    assert "failurePolicy Fail" in hook.message
    ignore = HOOK.replace("failurePolicy: Fail", "failurePolicy: Ignore")
    assert [f.severity for f in run(netpol_blocked, WEB + ignore, off)] == ["warning"]
    assert run(netpol_opened, WEB + HOOK + LB + MONITOR, off) == []
