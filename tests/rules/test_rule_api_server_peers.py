"""config.apiServerPeers: with a control plane, apiServer.peers left unset (issue 13 item 11)."""
from __future__ import annotations

from helm_vnp.rules import config_api_server_peers
from tests.rules.rulekit import NETPOL_ON, deployment, run

CONTROL_PLANE = NETPOL_ON + "    controlPlane:\n      selector: {matchLabels: {app: web}}\n"


def test_unset_peers_with_a_control_plane_are_reported_at_the_selector():
    [f] = run(config_api_server_peers, deployment(), CONTROL_PLANE, namespace="ns")
    assert f.rule == "config.apiServerPeers" and f.severity == "warning"
    assert "every address" in f.message and "policies.networkPolicy.apiServer.peers" in f.message
    assert f.source.line == 5  # controlPlane.selector in the values file


def test_set_peers_no_control_plane_or_no_isolation_are_quiet():
    peers = CONTROL_PLANE + "    apiServer:\n      peers: [{ipBlock: {cidr: 10.0.0.10/32}}]\n"
    assert run(config_api_server_peers, deployment(), peers, namespace="ns") == []
    everywhere = CONTROL_PLANE + ("    apiServer:\n"
                                  "      peers: [{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: '::/0'}}]\n")
    assert run(config_api_server_peers, deployment(), everywhere, namespace="ns") == []  # said explicitly
    assert run(config_api_server_peers, deployment(), NETPOL_ON, namespace="ns") == []
    off = CONTROL_PLANE.replace("enabled: true", "enabled: false")
    assert run(config_api_server_peers, deployment(), off, namespace="ns") == []
