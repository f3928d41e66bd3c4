"""netpol.*: where the release's network isolation leaks."""
from __future__ import annotations

import copy

from helm_vnp.rules import netpol_chart_widens, netpol_dns_port, netpol_exposure, netpol_host_network, netpol_metadata
from tests import builders
from tests.builders import network_policy, stream
from tests.rules.rulekit import NETPOL_ON, REFERENCE, deployment, policies_from, run

HOST_NET = deployment("agent", host_network=True)


def service(kind: str, **spec) -> str:
    return stream(builders.service("web", type=kind, selector={"app": "web"}, **spec))


def web_ingress(app: str = "web", sources: list | None = None) -> str:
    """A chart's NetworkPolicy letting ``sources`` (anyone, when None) reach port 8080 of the pods ``app: APP``."""
    rule = {"ports": [{"port": 8080}]} if sources is None else {"from": sources, "ports": [{"port": 8080}]}
    return stream(network_policy("web-in", pod_selector={"app": app}, ingress=[rule]))


def test_host_network():
    [f] = run(netpol_host_network, HOST_NET + deployment(), "")
    assert f.object.name == "agent" and f.container is None
    assert run(netpol_host_network, deployment(), "") == []


def test_exposure_names_the_nodeport_quota():
    [f] = run(netpol_exposure, service("NodePort"), REFERENCE)
    assert ("type NodePort opens 1 node port" in f.message
            and "services.nodeports: 0 makes it fail to install" in f.message)
    [f] = run(netpol_exposure, service("NodePort"), "")
    assert "fail to install" not in f.message
    [f] = run(netpol_exposure, service("ClusterIP", externalIPs=["203.0.113.7"]), "")
    assert "externalIPs 203.0.113.7" in f.message
    assert run(netpol_exposure, service("ClusterIP"), REFERENCE) == []


def test_metadata_endpoint_default_config_blocks_it():
    assert run(netpol_metadata, deployment(), NETPOL_ON) == []
    assert run(netpol_metadata, deployment(), "") == []  # no isolation claimed


def test_metadata_endpoint_vcluster_default_excepts_leave_it_open():
    vcluster_like = NETPOL_ON + ("    workload:\n      publicEgress:\n        except: [100.64.0.0/10, 127.0.0.0/8, "
                                 "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n")
    [f] = run(netpol_metadata, deployment() + HOST_NET, vcluster_like)
    assert f.object.name == "web"  # the host-network pod is netpol.hostNetwork's
    assert "169.254.169.254 (allowed by egress rule" in f.message and "NetworkPolicy vnp-rel-workload" in f.message
    assert "fd00:ec2::254" not in f.message


def test_metadata_endpoint_ipv6_and_user_rules():
    v6 = NETPOL_ON + ("    workload:\n      publicEgress:\n"
                      "        extraIpBlocks: [{cidr: '::/0', except: ['::1/128']}]\n")
    [f] = run(netpol_metadata, deployment(), v6)
    assert "fd00:ec2::254" in f.message and "169.254.169.254" not in f.message
    anywhere = NETPOL_ON + "    workload:\n      egress:\n      - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n"
    [f] = run(netpol_metadata, deployment(), anywhere)
    assert "169.254.169.254" in f.message


def test_metadata_through_a_chart_policy():
    chart_np = stream(network_policy("open-egress", pod_selector={"app": "web"}, policy_types=["Egress"], egress=[{}]))
    [f] = run(netpol_metadata, deployment() + chart_np, NETPOL_ON)
    assert "NetworkPolicy open-egress" in f.message


def test_dns_port_53_under_vcluster_dns():
    config = NETPOL_ON + ("    dns: {preset: vcluster}\n    workload:\n      egress:\n"
                          "      - ports: [{port: 53, protocol: UDP}]\n")
    [f] = run(netpol_dns_port, deployment(), config)
    assert f.message.startswith("policies.networkPolicy.workload.egress[0] opens port 53")
    assert "listen on 1053" in f.message and f.source.line > 0
    assert run(netpol_dns_port, deployment(), config.replace("preset: vcluster", "preset: kube-dns")) == []
    external = config.replace("      - ports:", "      - to: [{ipBlock: {cidr: 9.9.9.9/32}}]\n        ports:")
    assert run(netpol_dns_port, deployment(), external) == []


def test_dns_unreachable_when_no_dns_port_is_configured():
    policies, _ = policies_from(NETPOL_ON)
    assert run(netpol_dns_port, deployment(), copy.deepcopy(policies)) == []
    policies["networkPolicy"]["dns"]["ports"] = []
    [f] = run(netpol_dns_port, deployment() + deployment("api"), policies)
    assert "pods of Deployment web, Deployment api cannot reach cluster DNS" in f.message
    assert "dns.ports is empty" in f.message


def test_chart_policy_widening_ingress():
    """The exact connections a chart policy adds to vnp's isolation, from each kind of peer."""
    [f] = run(netpol_chart_widens, deployment() + web_ingress(), NETPOL_ON)
    assert "any pod of another namespace => team/web[Deployment] : TCP 8080" in f.message
    assert "0.0.0.0-255.255.255.255 => team/web[Deployment] : TCP 8080" in f.message
    all_ns = web_ingress(sources=[{"namespaceSelector": {}}])
    [f] = run(netpol_chart_widens, deployment() + all_ns, NETPOL_ON)
    assert "any pod of another namespace => team/web[Deployment] : TCP 8080" in f.message
    assert "0.0.0.0" not in f.message  # pods only: no address outside the cluster
    # the forms the old check missed: a tiny except, and every namespace matched by Exists on its name label
    tiny = web_ingress(sources=[{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.1/32"]}}])
    [f] = run(netpol_chart_widens, deployment() + tiny, NETPOL_ON)
    assert "0.0.0.0-10.0.0.0 => team/web[Deployment] : TCP 8080; 10.0.0.2-255.255.255.255 => " in f.message
    exists = web_ingress(sources=[{"namespaceSelector": {"matchExpressions": [
        {"key": "kubernetes.io/metadata.name", "operator": "Exists"}]}}])
    [f] = run(netpol_chart_widens, deployment() + exists, NETPOL_ON)
    assert "any pod of another namespace => team/web[Deployment] : TCP 8080" in f.message
    # a pod of the release namespace outside the release, carrying the label the rule admits
    narrow = web_ingress(sources=[{"podSelector": {"matchLabels": {"app": "lb"}}}])
    [f] = run(netpol_chart_widens, deployment() + narrow, NETPOL_ON)
    assert "a pod of team outside the release (app=lb; ingress rule 1) => team/web[Deployment] : TCP 8080" in f.message
    assert "another namespace" not in f.message
    # a rule vnp already allows (the release's own pods) adds nothing
    own = stream(network_policy("own", pod_selector={"app": "web"}, ingress=[{"from": [
        {"podSelector": {"matchLabels": {"vnp.helm-plugin.io/release": "rel"}}}]}]))
    assert run(netpol_chart_widens, deployment() + own, NETPOL_ON) == []
    # without vnp's isolation there is nothing to widen
    assert run(netpol_chart_widens, deployment() + web_ingress(), "") == []


def test_chart_policy_widening_egress():
    anywhere = stream(network_policy("out", pod_selector={"app": "web"}, policy_types=["Egress"],
                                     egress=[{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 25}]}]))
    [f] = run(netpol_chart_widens, deployment() + anywhere, NETPOL_ON)
    assert "team/web[Deployment] => 10.0.0.0-10.255.255.255 : TCP 25" in f.message
    elsewhere = web_ingress(app="nope")  # selects no pod of the release
    assert run(netpol_chart_widens, deployment() + elsewhere, NETPOL_ON) == []
