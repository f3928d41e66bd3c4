"""The connectivity engine against the lint rules' pair-by-pair simulator (helm_vnp.k8s.netpol), on many
random clusters: two implementations of the same semantics written apart (bitmasks and interval sets vs a
literal reading per pod, port and address), compared on every pod pair and every address range, every
port and protocol.  No network-config-analyzer needed, so it runs many more examples than the NCA test."""
from __future__ import annotations

import ipaddress
import os

from hypothesis import HealthCheck, given, settings

from helm_vnp.connectivity.conns import NONE
from helm_vnp.k8s import netpol
from tests.netpol.engine_nca import as_conn, engine_of
from tests.netpol.nca import _port_boundaries, simulate
from tests.netpol.test_engine_random import clusters

EXAMPLES = int(os.environ.get("VNP_SIM_EXAMPLES", "200"))  # more for a longer search


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(clusters())
def test_engine_agrees_with_the_simulator(cluster):
    result = engine_of(cluster)
    policies = netpol.policies_from(cluster.policies, "")
    pods = [netpol.Pod(e.namespace, e.labels, cluster.ns_labels(e.namespace), e.ports) for e in cluster.endpoints]
    cuts = _port_boundaries(cluster)
    for s in range(len(pods)):
        for d in range(len(pods)):
            if s != d:
                assert as_conn(result.between(s, d)) == simulate(policies, pods[s], pods[d], cuts), (s, d)
    ext = {(direction, w, r): c for direction, w, r, c in result.external()}
    for r, (version, lo, hi) in enumerate(result.ranges):
        for value in {lo, hi}:
            address = str(ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value))
            for w, pod in enumerate(pods):
                assert as_conn(ext.get(("egress", w, r), NONE)) == simulate(policies, pod, address, cuts)
                assert as_conn(ext.get(("ingress", w, r), NONE)) == simulate(policies, address, pod, cuts)
