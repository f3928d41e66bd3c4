"""netpol.apiServer: pods that use the Kubernetes API, but whose egress cannot reach it.

**What it checks.** Every pod template of the release whose ServiceAccount is bound
to a Role or ClusterRole by a RoleBinding or ClusterRoleBinding *of the release*
(the plainest evidence that its pods call the API: operators, controllers,
kube-state-metrics, sidecars that watch ConfigMaps), unless the pod turns off
``automountServiceAccountToken``.  A binding counts as evidence when its role grants
something: a Role or ClusterRole the release renders with at least one rule that
names verbs and resources (or non-resource URLs), an aggregated ClusterRole
(``aggregationRule``: the controller fills in its rules from other ClusterRoles), or a
role the release does not render (a built-in ClusterRole such as ``view``, or one
installed by someone else: vnp cannot see its rules, and such bindings are made to be
used).  A binding to a role with no rules, or only rules that grant nothing (empty
``verbs`` or ``resources``), is not: argo-cd's repo-server, for one, is bound to an
empty Role and never calls the API.  Under the effective egress (vnp's policies and the
chart's own), can such a pod open a connection to a private address on port 443 or
6443?  Checked when isolation is on (``networkPolicy.enabled``) or when a chart
policy isolates the pod's egress; host-network pods are ``netpol.hostNetwork``'s.

**Why.** Pods reach the API server through the ``kubernetes`` Service, which the
node rewrites (DNAT) to the API server's own address and port (``6443`` on kubeadm,
``443`` on most managed clusters) before NetworkPolicy is applied.  That address is
private on most clusters (kubeadm, EKS, AKS, private GKE), and the workload policy's
public egress excludes private ranges, so the pod's API calls time out: the operator
never reconciles, the controller crash-loops.  vnp gives exactly these pods egress
to ``networkPolicy.apiServer.peers`` on ``networkPolicy.apiServer.ports`` (by default
every address on 443 and 6443; ``netpol.opened`` names each policy), so the rule
fires when those peers are ``[]`` or miss the API server, and for pods a chart's own
policy isolates.  Nothing fails at install: this is the failure a user sees an hour
later.

**Example that triggers it**::

    kind: Deployment            # serviceAccountName: operator
    ---
    kind: ClusterRoleBinding
    subjects: [{kind: ServiceAccount, name: operator, namespace: team-a}]
    # values: policies.networkPolicy.enabled: true, no controlPlane.selector

**Fix.** Set ``policies.networkPolicy.apiServer.peers`` to the API server's
addresses (``kubectl get endpoints kubernetes -n default``), or add a
``policies.networkPolicy.workload.egress`` rule towards the API server's address.
Naming those pods in ``policies.networkPolicy.controlPlane.selector`` does not
help by itself: the control plane, too, reaches the API server only at
``apiServer.peers``.  On a cluster whose API server
has a public address the default public egress already reaches it: disable the rule.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.k8s.rbac import service_account_bindings
from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="netpol.apiServer", severity="warning",
            summary="pods bound to RBAC roles cannot reach the Kubernetes API server under the isolation")

# where an API server listens after the `kubernetes` Service's DNAT: a private address, 443 or 6443
PORTS = (443, 6443)
PROBES = tuple((ip, port) for ip in ("10.0.0.1", "172.16.0.1", "192.168.0.1") for port in PORTS)


def _probes(policies) -> list[tuple[str, int]]:
    """PROBES, plus a private address inside every ipBlock an egress rule names (the API server's own
    address, once a user allows it, must count as reaching it)."""
    import ipaddress
    out = list(PROBES)
    for p in policies:
        for rule in p.egress:
            for peer in rule.get("to") if isinstance(rule.get("to"), list) else []:
                block = peer.get("ipBlock") if isinstance(peer, dict) else None
                try:
                    net = ipaddress.ip_network(str(block["cidr"]), strict=False) if isinstance(block, dict) else None
                except (KeyError, ValueError):
                    continue
                if net is not None and net.is_private and net.prefixlen >= 8:
                    host = net.network_address + (1 if net.num_addresses > 2 else 0)
                    out += [(str(host), port) for port in PORTS]
    return sorted(set(out))


def _service_account_automounts(objects) -> dict:
    """(namespace, name) -> automountServiceAccountToken of the release's ServiceAccounts that set it."""
    return {(o.namespace, o.name): o.obj["automountServiceAccountToken"] for o in objects
            if o.kind == "ServiceAccount" and isinstance(o.obj.get("automountServiceAccountToken"), bool)}


def check(release: Release, options: dict) -> Iterable[Finding]:
    from helm_vnp.k8s.netpol import egress
    policies = release.network_policies
    enabled = bool(release.policies["networkPolicy"]["enabled"])
    if not enabled and not policies:
        return
    bindings = service_account_bindings((o.obj for o in release.objects if o.doc is not None), release.namespace)
    if not bindings:
        return
    automount = _service_account_automounts(release.objects)
    probes = _probes(policies)
    for ps in release.pods:
        o = ps.owner
        if ps.host_network or o.namespace != release.namespace or o.test_hook:
            continue
        sa = str(ps.spec.get("serviceAccountName") or ps.spec.get("serviceAccount") or "default")
        bound = bindings.get((o.namespace, sa))
        if not bound:
            continue
        mounts = ps.spec.get("automountServiceAccountToken")
        if mounts is False or (mounts is None and automount.get((o.namespace, sa)) is False):
            continue
        pod = ps.pod
        verdicts = [egress(policies, pod, ip, port) for ip, port in probes]
        if any(vd.allowed for vd in verdicts) or not any(vd.isolated for vd in verdicts):
            continue
        shown = ", ".join(bound[:2]) + (f" and {len(bound) - 2} more" if len(bound) > 2 else "")
        yield Finding(RULE.id, RULE.severity,
                      f"{o.kind} {o.name}: pods run as ServiceAccount {sa}, bound by {shown}, so they call the "
                      "Kubernetes API, but their egress reaches no private address on port 443 or 6443, where "
                      "the API server listens on most clusters: set policies.networkPolicy.apiServer.peers to its "
                      "addresses or allow the API server in workload.egress",
                      release.ref_of(o), release.source(o.doc))
