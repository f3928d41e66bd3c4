"""netpol.dnsPort: DNS rules on the wrong port, or egress that cannot reach cluster DNS.

**What it checks.**

1. User egress rules towards in-cluster peers that open port 1053 (vCluster's
   DNS pod port) while ``policies.networkPolicy.dns`` is not the ``vcluster``
   preset: a rule copied from a vCluster set-up opens a port no DNS listens on.
2. User egress rules (``policies.networkPolicy.workload.egress``,
   ``controlPlane.egress``) towards in-cluster peers (pod or namespace
   selectors, or no peers) that open port 53 while the cluster DNS pods listen
   on other ports (``policies.networkPolicy.dns``: 1053 for vCluster's DNS,
   5353 on OpenShift).  NetworkPolicy is enforced on the *pod* port, after the
   Service's DNAT: a rule for 53 does not let pods reach a DNS pod on 1053
   (vCluster issues #390 and #2452).
3. Pods whose effective egress (vnp's policies and the chart's, union) cannot
   reach the cluster DNS pods on any configured DNS port - e.g. a chart's own
   NetworkPolicy that isolates egress and has no DNS rule, while vnp's isolation
   is off (with it on, vnp's DNS rule always reaches them).  Name resolution then fails for every pod (the pods'
   ``/etc/resolv.conf`` points at the cluster DNS Service; the fallback server
   does not help unless the pod sets ``dnsPolicy: None``).

**Why.** Broken DNS is the most common way an isolated release fails after an
otherwise clean install: everything times out on name lookups.

**Example that triggers it** (vCluster DNS preset, pods listen on 1053)::

    policies:
      networkPolicy:
        enabled: true
        dns: {preset: vcluster}
        workload:
          egress:
          - ports: [{port: 53, protocol: UDP}]

**Fix.** Open the port the DNS *pods* listen on (set ``policies.networkPolicy.dns``
to match your cluster and drop the extra rule: the built-in DNS rule already
allows it); for a chart policy without DNS, turn on vnp's isolation or add a DNS
egress rule to the chart's policy.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.dnsPort", severity="warning",
            summary="DNS allowed on port 53 where cluster DNS listens elsewhere, or no egress to cluster DNS")

DNS_PORT = 53
RULE_LISTS = (("workload", "egress"), ("controlPlane", "egress"))


VCLUSTER_DNS_PORT = 1053


def _opens_in_cluster(rule: dict, dns_port: int) -> bool:
    peers = rule.get("to") or []
    if peers and all(isinstance(p, dict) and "ipBlock" in p for p in peers):
        return False  # an external resolver is a different matter
    for p in rule.get("ports") or []:
        if not isinstance(p, dict):
            continue
        port, end = p.get("port"), p.get("endPort")
        if port == dns_port or (isinstance(port, int) and isinstance(end, int) and port <= dns_port <= end):
            return True
    return False


def _dns_pod(dns: dict, namespace: str):
    """A stand-in for a cluster DNS pod, built from the configured DNS peer (None if not describable)."""
    from helm_vnp.k8s.netpol import NS_NAME_LABEL, Pod
    peers = dns.get("peers") or [{}]
    peer = peers[0] if isinstance(peers[0], dict) else {}
    pod_sel = peer.get("podSelector") or {}
    ns_sel = peer.get("namespaceSelector")
    if pod_sel.get("matchExpressions") or (ns_sel or {}).get("matchExpressions"):
        return None
    ns_labels = dict((ns_sel or {}).get("matchLabels") or {})
    ns = ns_labels.get(NS_NAME_LABEL) or (namespace if ns_sel is None else "cluster-dns")
    return Pod(ns, dict(pod_sel.get("matchLabels") or {}), ns_labels)


def check(release: Release, options: dict) -> Iterable[Finding]:
    netpol = release.policies["networkPolicy"]
    if not netpol["enabled"]:
        return
    ports = [p for p in netpol["dns"]["ports"] if isinstance(p, int)]
    if VCLUSTER_DNS_PORT not in ports:
        yield from _vcluster_port(release, netpol)
    if DNS_PORT not in ports and ports:
        for section, key in RULE_LISTS:
            for i, rule in enumerate(netpol[section][key]):
                if isinstance(rule, dict) and _opens_in_cluster(rule, DNS_PORT):
                    path = f"policies.networkPolicy.{section}.{key}[{i}]"
                    yield Finding(RULE.id, RULE.severity,
                                  f"{path} opens port 53, but the cluster DNS pods listen on "
                                  f"{', '.join(map(str, ports))} (policies.networkPolicy.dns): NetworkPolicy "
                                  "matches the pod port after the Service's DNAT, so this rule does not allow DNS "
                                  "(the built-in DNS rule already allows the right port)",
                                  ObjectRef(), release.config_source(path))
    yield from _unreachable(release, netpol, ports)


def _vcluster_port(release: Release, netpol: dict) -> Iterable[Finding]:
    """Rules for 1053, vCluster's DNS pod port, while the DNS preset is not vCluster's: written for a
    vCluster, they open a port nothing answers DNS on here, and the DNS rule for the real port is another."""
    for section, key in RULE_LISTS:
        for i, rule in enumerate(netpol[section][key]):
            if isinstance(rule, dict) and _opens_in_cluster(rule, VCLUSTER_DNS_PORT):
                path = f"policies.networkPolicy.{section}.{key}[{i}]"
                yield Finding(RULE.id, RULE.severity,
                              f"{path} opens port 1053, vCluster's DNS pod port, but policies.networkPolicy.dns is "
                              "not the vcluster preset: the cluster DNS pods here listen on "
                              f"{', '.join(map(str, netpol['dns']['ports'])) or 'no port'} (set dns.preset: "
                              "vcluster inside a vCluster, or drop the rule)",
                              ObjectRef(), release.config_source(path))


def _unreachable(release: Release, netpol: dict, ports: list[int]) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import egress
    dns_pod = _dns_pod(netpol["dns"], release.namespace)
    if dns_pod is None:
        return
    policies = release.network_policies
    cut = []
    for ps in release.pods:
        o = ps.owner
        if ps.host_network or o.namespace != release.namespace or o.test_hook:
            continue
        if ps.spec.get("dnsPolicy") == "None":
            continue  # the pod brings its own resolvers
        pod = ps.pod
        if not any(egress(policies, pod, dns_pod, port, "UDP").allowed for port in ports or [DNS_PORT]):
            cut.append(o.label())
    if cut:
        why = ("policies.networkPolicy.dns.ports is empty, so no DNS egress rule is generated" if not ports
               else f"no egress rule allows the DNS pods on {', '.join(map(str, ports))}/UDP")
        shown = ", ".join(cut[:3]) + (f" and {len(cut) - 3} more" if len(cut) > 3 else "")
        yield Finding(RULE.id, RULE.severity,
                      f"pods of {shown} cannot reach cluster DNS: {why}; name resolution will fail",
                      ObjectRef(),
                      release.config_source("policies.networkPolicy.dns.ports", "policies.networkPolicy.dns"))
