"""networking.k8s.io/v1 NetworkPolicies compiled against a population of workloads.

What each field means, as the API reference and the API server's defaulting say:

- ``spec.podSelector`` selects pods of the policy's own namespace; ``{}`` (or absent) selects all of them.
- ``policyTypes``: when absent or empty the API server stores ``[Ingress]``, plus ``Egress`` when the
  policy has at least one egress rule (``egress: []`` adds nothing).  A pod is isolated in a direction only
  when some policy selecting it lists that direction; a listed direction without rules denies everything.
- A rule whose ``from``/``to`` is absent or empty matches every peer (all pods, all addresses); whose
  ``ports`` is absent or empty matches all traffic (every port of every protocol, ICMP too).
- A peer with ``namespaceSelector`` and ``podSelector`` matches pods satisfying both (AND); two peers of
  one list are alternatives (OR).  A peer without ``namespaceSelector`` (absent or null) means the policy's
  namespace; without ``podSelector`` every pod of the selected namespaces.  ``ipBlock`` peers match
  addresses outside the cluster only.
- A port is TCP unless it says otherwise; ``endPort`` makes it a range; a named port matches the
  destination pod's container port of that name and of the rule's protocol, and nothing on an address.
"""
from __future__ import annotations

from helm_vnp.base.record import field, record
from helm_vnp.connectivity.addresses import EVERYWHERE, NOWHERE, AddrSet, ip_block
from helm_vnp.connectivity.conns import ALL, NONE, PROTOCOLS, ConnSet
from helm_vnp.connectivity.intervals import EMPTY, IntervalSet
from helm_vnp.connectivity.labels import LabelIndex

INGRESS, EGRESS = "Ingress", "Egress"


@record
class Rule:
    """One ingress or egress rule: the peers it admits and the traffic it allows."""
    policy: Policy
    direction: str
    index: int
    pods: int  # bitmask of the workloads its peers match
    addrs: AddrSet  # the addresses its ipBlocks match
    numeric: ConnSet  # the traffic its numbered ports (or no ports: everything) allow
    named: tuple  # ((protocol, port name), ...), resolved per destination (protocol None: the port's own)
    mask_id: int = -1  # set by the engine: the id of ``pods`` among the distinct masks
    action: str = ""  # admin policies (``admin``): Allow, Deny or Pass; "" for a NetworkPolicy rule
    name: str = ""  # admin policies: the rule's name

    def conn(self, dst_ports: dict | None) -> ConnSet:
        """The traffic this rule allows to a destination with those named ports (None: an address)."""
        if not self.named or not dst_ports:
            return self.numeric
        extra = {}
        for protocol, name in self.named:
            found = dst_ports.get(name)
            if found is None or not 1 <= found[0] <= 65535 or found[1] not in PROTOCOLS:
                continue
            if protocol is None or found[1] == protocol:
                extra[found[1]] = extra.get(found[1], EMPTY) | IntervalSet([(found[0], found[0])])
        return self.numeric | ConnSet(extra) if extra else self.numeric

    @property
    def label(self) -> str:
        if self.action:  # an admin policy's rule
            name = f" {self.name!r}" if self.name else ""
            return f"{self.policy.label} {self.direction.lower()}[{self.index}]{name} ({self.action})"
        return f"{self.policy.namespace}/{self.policy.name} {self.direction.lower()}[{self.index}]"


@record
class Policy:
    name: str
    namespace: str
    subject: int  # bitmask of the workloads it selects
    types: tuple
    ingress: list = field(default_factory=list)
    egress: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def policy_types(spec: dict) -> tuple:
    """``policyTypes`` as stored by the API server (defaulted when absent or empty)."""
    types = spec.get("policyTypes")
    if isinstance(types, list) and types:
        return tuple(t for t in (INGRESS, EGRESS) if t in types)
    egress = spec.get("egress")
    return (INGRESS, EGRESS) if isinstance(egress, list) and egress else (INGRESS,)


def _port_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _ports(items, problems: list) -> tuple[ConnSet, tuple]:
    if not isinstance(items, list) or not items:
        return ALL, ()
    numeric: dict = {}
    named = []
    for item in items:
        if not isinstance(item, dict):
            problems.append("a ports item is not a mapping")
            continue
        protocol = str(item.get("protocol") or "TCP")
        if protocol not in PROTOCOLS:
            problems.append(f"protocol {protocol!r} is not TCP, UDP or SCTP")
            continue
        port = item.get("port")
        if port is None:
            numeric[protocol] = IntervalSet([(1, 65535)])
            continue
        number = _port_number(port)
        if number is None:
            named.append((protocol, str(port)))
            continue
        end = _port_number(item.get("endPort"))
        hi = end if end is not None else number
        rng = IntervalSet([(max(number, 1), min(hi, 65535))])
        numeric[protocol] = numeric.get(protocol, EMPTY) | rng
    return (ConnSet(numeric) if numeric else NONE), tuple(sorted(set(named)))


def compile_policies(objects, default_namespace: str, pods: LabelIndex, ns_index: LabelIndex,
                     ns_names: list[str], ns_members: dict[str, int]) -> list[Policy]:
    """Every NetworkPolicy of ``objects`` (other kinds skipped) against the workloads of ``pods`` (their
    namespaces: ``ns_members`` name -> bitmask) and the namespaces of ``ns_index`` (named ``ns_names``)."""
    out = []
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") != "NetworkPolicy":
            continue
        if not str(obj.get("apiVersion") or "").startswith("networking.k8s.io/"):
            continue
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        namespace = str(meta.get("namespace") or default_namespace)
        here = ns_members.get(namespace, 0)
        selector = spec.get("podSelector")
        policy = Policy(str(meta.get("name") or ""), namespace, here & pods.select(selector), policy_types(spec))

        def namespaces(sel) -> int:
            m = 0
            for i in _bits_of(ns_index.select(sel)):
                m |= ns_members.get(ns_names[i], 0)
            return m

        for direction, key, peer_key in ((INGRESS, "ingress", "from"), (EGRESS, "egress", "to")):
            rules = spec.get(key) if isinstance(spec.get(key), list) else []
            for i, rule in enumerate(rules):
                rule = rule if isinstance(rule, dict) else {}
                numeric, named = _ports(rule.get("ports"), policy.problems)
                peers = rule.get(peer_key)
                if not isinstance(peers, list) or not peers:
                    pod_mask, addrs = pods.all, EVERYWHERE
                else:
                    pod_mask, addrs = 0, NOWHERE
                    for peer in peers:
                        if not isinstance(peer, dict):
                            continue
                        if "ipBlock" in peer and peer["ipBlock"] is not None:
                            block, problem = ip_block(peer["ipBlock"])
                            addrs = addrs | block
                            if problem:
                                policy.problems.append(problem)
                            continue
                        ns_sel = peer.get("namespaceSelector")
                        in_ns = here if ns_sel is None else namespaces(ns_sel)
                        pod_mask |= in_ns & pods.select(peer.get("podSelector"))
                getattr(policy, key).append(Rule(policy, direction, i, pod_mask, addrs, numeric, named))
        out.append(policy)
    return out


def _bits_of(mask: int):
    i = 0
    while mask:
        if mask & 1:
            yield i
        mask >>= 1
        i += 1
