"""Why a connection is allowed or denied: on each side, which policies select the pod and which rules decide.

``compute`` answers for all pairs at once; a question about one pair ("why can't my pod reach the
database") is answered here from the same compiled policies, so the answer cannot disagree with the
connlist: the source's egress side and the destination's ingress side, each either not isolated (no
policy selects the pod for that direction: everything allowed), or isolated by named policies, with every
rule whose peers match the other end and the traffic each allows.  The connection is what both allow.
With admin policies, each side also lists the decisions in precedence order (``admin.layered``): the
AdminNetworkPolicy rules that allow, deny or pass (hand down) part of the traffic, what the
NetworkPolicies make of what was handed down, then the BaselineAdminNetworkPolicy's rules and the default.
"""
from __future__ import annotations

import ipaddress

from helm_vnp.base.record import field, record
from helm_vnp.connectivity.addresses import network
from helm_vnp.connectivity.admin import ALLOW, DENY, PASS, Step, layered
from helm_vnp.connectivity.compute import Connectivity
from helm_vnp.connectivity.conns import ALL, NONE, PROTOCOLS, ConnSet
from helm_vnp.connectivity.policies import EGRESS, INGRESS, Rule


@record
class End:
    """One end of the question: a workload (``index``) or an address (``address``)."""
    label: str
    index: int | None = None
    address: tuple | None = None  # (version, integer)


@record
class Side:
    direction: str  # "Egress" (of the source) or "Ingress" (of the destination)
    pod: str
    isolated: bool
    selecting: list[str] = field(default_factory=list)  # "ns/name" of every policy selecting it this way
    allowing: list[tuple[Rule, ConnSet]] = field(default_factory=list)  # (rule, what it allows here)
    conn: ConnSet = ALL
    steps: list[Step] = field(default_factory=list)  # admin policies' decisions, in precedence order
    admin: bool = False  # admin policies select the pod this way

    def as_json(self) -> dict:
        out = {"direction": self.direction, "pod": self.pod, "isolated": self.isolated,
               "selectingPolicies": self.selecting,
               "allowingRules": [{"rule": r.label, "allows": c.as_json(), "text": str(c)} for r, c in self.allowing],
               "allows": self.conn.as_json(), "text": str(self.conn)}
        if self.admin:
            out["decisions"] = [_step_json(st) for st in self.steps]
        return out


_LAYERS = {"admin": "AdminNetworkPolicy", "baseline": "BaselineAdminNetworkPolicy", "netpol": "NetworkPolicy",
           "default": "default"}


def _step_json(st: Step) -> dict:
    out = {"layer": _LAYERS[st.layer], "action": st.action, "connections": st.conn.as_json(), "text": str(st.conn)}
    if st.rule is not None:
        p = st.rule.policy
        out.update(policy=p.name, rule=st.rule.label, ruleName=st.rule.name, index=st.rule.index)
        if p.priority is not None:
            out["priority"] = p.priority
    return out


def _step_text(st: Step) -> str:
    if st.layer == "netpol":
        return (f"NetworkPolicies allow {st.conn} of what was handed down" if st.action == ALLOW
                else f"NetworkPolicies deny {st.conn} (handed down, no rule allows it)")
    if st.layer == "default":
        return f"no admin policy, NetworkPolicy or baseline rule decides {st.conn}: allowed"
    verb = {ALLOW: "allows", DENY: "denies", PASS: "passes (hands down to NetworkPolicies, then the baseline)"}
    return f"{st.rule.label} {verb[st.action]}: {st.conn}"


@record
class Explanation:
    src: End
    dst: End
    sides: list[Side]
    conn: ConnSet
    port: tuple | None = None  # (number, protocol) asked about

    @property
    def allowed(self) -> bool:
        if self.port is None:
            return bool(self.conn)
        number, protocol = self.port
        return number in self.conn.ports[protocol]

    def as_json(self) -> dict:
        out = {"src": self.src.label, "dst": self.dst.label, "allowed": self.allowed,
               "connections": self.conn.as_json(), "text": str(self.conn), "sides": [s.as_json() for s in self.sides]}
        if self.port:
            out["port"] = {"port": self.port[0], "protocol": self.port[1]}
        return out

    def text(self) -> str:
        what = f" on {self.port[0]}/{self.port[1]}" if self.port else ""
        verdict = "ALLOWED" if self.allowed else "DENIED"
        lines = [f"{self.src.label} => {self.dst.label}{what}: {verdict}",
                 f"  allowed connections: {self.conn if self.conn else 'none'}"]
        if not self.sides:
            lines.append("  no workload on either end: NetworkPolicies do not apply")
        for s in self.sides:
            who = f"{s.direction.lower()} of {s.pod}"
            if s.admin:
                head = f"isolated by {', '.join(s.selecting)}" if s.isolated else "no NetworkPolicy selects it"
                lines.append(f"  {who}: {head}; admin policies decide first:")
                lines += [f"    {_step_text(st)}" for st in s.steps]
                if not s.steps:
                    lines.append("    no admin rule matches and nothing is handed down")
                lines.append(f"    => allows {s.conn if s.conn else 'nothing'}")
                if self.port and not self._side_allows(s):
                    lines.append(f"    that excludes {self.port[0]}/{self.port[1]}")
                continue
            if not s.isolated:
                lines.append(f"  {who}: not isolated (no NetworkPolicy selects it for {s.direction}): all allowed")
                continue
            lines.append(f"  {who}: isolated by {', '.join(s.selecting)}")
            if not s.allowing:
                other = self.dst.label if s.direction == EGRESS else self.src.label
                lines.append(f"    no rule of those policies admits {other}: denied")
            for rule, conn in s.allowing:
                lines.append(f"    {rule.label} admits it: {conn if conn else 'no port applies to this destination'}")
            if self.port and s.conn and not self._side_allows(s):
                lines.append(f"    none of that includes {self.port[0]}/{self.port[1]}")
        return "\n".join(lines) + "\n"

    def _side_allows(self, s: Side) -> bool:
        return self.port[0] in s.conn.ports[self.port[1]]


class NotFound(ValueError):
    pass


def resolve(result: Connectivity, text: str) -> End:
    """A workload (``ns/name[Kind]``, ``ns/name``, ``name``: exactly one must match) or an IP address."""
    text = text.strip()
    try:
        addr = ipaddress.ip_address(text)
        return End(text, address=(addr.version, int(addr)))
    except ValueError:
        pass
    if network(text) is not None and "/" in text:
        raise NotFound(f"{text!r} is a network; give one address of it")
    found = [i for i, w in enumerate(result.workloads)
             if text in (w.key, f"{w.namespace}/{w.name}", w.name, f"{w.name}[{w.kind}]")]
    if len(found) == 1:
        return End(result.workloads[found[0]].key, index=found[0])
    if not found:
        names = ", ".join(w.key for w in result.workloads[:20]) or "none"
        raise NotFound(f"no workload or address {text!r} (workloads: {names})")
    raise NotFound(f"{text!r} names {len(found)} workloads ({', '.join(result.workloads[i].key for i in found)}): "
                   "give ns/name[Kind]")


def _peer_matches(rule: Rule, peer: End) -> bool:
    if peer.index is not None:
        return bool((rule.pods >> peer.index) & 1)
    version, value = peer.address
    return value in (rule.addrs.v4 if version == 4 else rule.addrs.v6)


def _side(result: Connectivity, direction: str, pod: End, peer: End, dst: End) -> Side:
    w = result.workloads[pod.index]
    dst_ports = result.workloads[dst.index].ports if dst.index is not None else None
    side = Side(direction, w.key, False)
    for p in result.policies:
        if direction not in p.types or not (p.subject >> pod.index) & 1:
            continue
        side.isolated = True
        side.selecting.append(f"{p.namespace}/{p.name}")
        for rule in (p.egress if direction == EGRESS else p.ingress):
            if _peer_matches(rule, peer):
                side.allowing.append((rule, rule.conn(dst_ports)))
    if side.isolated:
        conn = NONE
        for _, c in side.allowing:
            conn = conn | c
        side.conn = conn
    admin_rules, base_rules = [], []
    for p in result.admin.anps:
        if (p.subject >> pod.index) & 1:
            admin_rules += p.egress if direction == EGRESS else p.ingress
    banp = result.admin.banp
    if banp is not None and (banp.subject >> pod.index) & 1:
        base_rules = banp.egress if direction == EGRESS else banp.ingress
    if admin_rules or (base_rules and not side.isolated):
        side.admin = True
        np_conn = side.conn
        side.conn = layered(admin_rules, side.isolated, lambda: np_conn, base_rules,
                            lambda r: _peer_matches(r, peer), lambda r: r.conn(dst_ports), side.steps)
    return side


def explain(result: Connectivity, src: str, dst: str, port: str | None = None) -> Explanation:
    a, b = resolve(result, src), resolve(result, dst)
    asked = None
    if port:
        number, _, protocol = port.partition("/")
        protocol = (protocol or "TCP").upper()
        if not number.isdigit() or not 1 <= int(number) <= 65535 or protocol not in PROTOCOLS:
            raise NotFound(f"--port {port!r}: expected PORT[/PROTOCOL], a port 1-65535 and TCP, UDP or SCTP")
        asked = (int(number), protocol)
    if a.index is None and b.index is None:
        raise NotFound("one end must be a workload: NetworkPolicies do not police traffic between two addresses")
    if a.index is not None and a.index == b.index:
        raise NotFound("source and destination are the same workload (traffic within a pod is not policed)")
    return decide(result, a, b, asked)


def decide(result: Connectivity, a: End, b: End, asked: tuple | None = None) -> Explanation:
    """The explanation for two resolved ends (``asked``: (port, protocol) or None)."""
    sides = []
    if a.index is not None:
        sides.append(_side(result, EGRESS, a, b, b))
    if b.index is not None:
        sides.append(_side(result, INGRESS, b, a, b))
    conn = ALL
    for s in sides:
        conn = conn & s.conn
    return Explanation(a, b, sides, conn, asked)


def address(text: str) -> End:
    """An address end (``text`` must be an IP address)."""
    addr = ipaddress.ip_address(text)
    return End(text, address=(addr.version, int(addr)))
