"""A user's own publicEgress cidr keeps only the default `except` entries that lie inside it:
the API server refuses an ipBlock whose except is not a strict subset of its cidr."""
from __future__ import annotations

import ipaddress

import pytest

from helm_vnp.config import ValuesInput, load_config


@pytest.mark.parametrize("cidr,kept", [
    ("203.0.113.0/24", []),
    ("10.0.0.0/8", []),  # the default 10.0.0.0/8 equals it: not a strict subset
    ("0.0.0.0/0", ["100.64.0.0/10", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]),
    ("172.0.0.0/8", ["172.16.0.0/12"]),
])
def test_default_excepts_outside_a_user_cidr_are_dropped(cidr, kept):
    policies = load_config(ValuesInput(sets=["policies.networkPolicy.enabled=true",
                                                 f"policies.networkPolicy.workload.publicEgress.cidr={cidr}"]),
                           use_cache=False).policies
    block = policies["networkPolicy"]["workload"]["publicEgress"]["ipBlocks"][0]
    assert block["cidr"] == cidr and block["except"] == kept
    net = ipaddress.ip_network(cidr)
    assert all(ipaddress.ip_network(e).subnet_of(net) and ipaddress.ip_network(e) != net for e in block["except"])
