"""Cluster-wide admin policies: AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1).

Read as np-guard's netpol-analyzer reads them (so the answers compare), compiled to the same masks as
NetworkPolicies so they join the equivalence classes:

- ``spec.subject`` holds exactly one of ``namespaces`` (a namespace selector: every pod of those
  namespaces) or ``pods`` (``namespaceSelector`` AND ``podSelector``).  Subjects are pods, never addresses.
- Rules are read as they are: no implicit isolation.  An ingress rule's ``from`` peers are ``namespaces``
  or ``pods``; an egress rule's ``to`` peers also ``networks`` (CIDRs, addresses outside the cluster) and
  ``nodes`` (not supported, as in netpol-analyzer: a warning, and the peer matches nothing).  Each peer
  sets exactly one field; ``from``/``to`` must list at least one.
- ``ports`` (absent: all traffic) list items of exactly one of ``portNumber`` (``port``, ``protocol``
  TCP by default), ``portRange`` (``start``-``end``) or ``namedPort`` (the destination pod's container
  port of that name, with that port's protocol; nothing towards an address).
- ``action``: Allow, Deny or Pass (an AdminNetworkPolicy); Allow or Deny (the baseline).

The precedence, per direction (a connection needs the source's egress and the destination's ingress)
and per connection (protocol and port):

1. AdminNetworkPolicies selecting the pod, lowest ``priority`` number first (0-1000; two with the same
   priority are refused, as netpol-analyzer refuses them: the API leaves their order undefined), and
   within one policy its rules in order: the first rule whose peers and ports match decides.  Allow and
   Deny are final; Pass hands the connection down, like a connection no rule matches.
2. NetworkPolicies: if any selects the pod for that direction, they decide what was handed down
   (allowed only where a rule allows it).
3. Otherwise the BaselineAdminNetworkPolicy (one at most, named ``default``): first matching rule; what
   it does not match is allowed.

A policy that breaks the API's rules (a bad priority, an unknown action, a peer with two fields...) is
refused with its file, line and dotted path: netpol-analyzer refuses the whole input on each of them.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import field, record
from helm_vnp.connectivity.addresses import NOWHERE, AddrSet, ip_block, network
from helm_vnp.connectivity.conns import ALL, NONE, PROTOCOLS, ConnSet
from helm_vnp.connectivity.intervals import EMPTY, IntervalSet
from helm_vnp.connectivity.labels import LabelIndex
from helm_vnp.connectivity.policies import EGRESS, INGRESS, Rule

GROUP = "policy.networking.k8s.io"
API_VERSION = f"{GROUP}/v1alpha1"
ANP, BANP = "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"
ALLOW, DENY, PASS = "Allow", "Deny", "Pass"
MIN_PRIORITY, MAX_PRIORITY = 0, 1000
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@record
class AdminPolicy:
    kind: str  # ANP or BANP
    name: str
    priority: int | None  # None for the baseline
    subject: int  # bitmask of the workloads it selects
    ingress: list = field(default_factory=list)  # Rules (with action and name)
    egress: list = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.kind == BANP:
            return f"BaselineAdminNetworkPolicy {self.name}"
        return f"AdminNetworkPolicy {self.name} (priority {self.priority})"


@record
class Admin:
    """The admin policies of an input: AdminNetworkPolicies by precedence, the baseline (or None)."""
    anps: list = field(default_factory=list)
    banp: AdminPolicy | None = None
    warnings: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.anps) or self.banp is not None


def is_admin(obj) -> bool:
    return isinstance(obj, dict) and obj.get("kind") in (ANP, BANP) and obj.get("apiVersion") == API_VERSION


def selector_problem(sel) -> str | None:
    """Why a LabelSelector is invalid (the API server would refuse it), else None."""
    if not isinstance(sel, dict):
        return "is not a label selector (a mapping)"
    labels = sel.get("matchLabels")
    if labels is not None and not isinstance(labels, dict):
        return "matchLabels is not a mapping"
    exprs = sel.get("matchExpressions")
    if exprs is None:
        return None
    if not isinstance(exprs, list):
        return "matchExpressions is not a list"
    for i, req in enumerate(exprs):
        if not isinstance(req, dict):
            return f"matchExpressions[{i}] is not a mapping"
        op, values = req.get("operator"), req.get("values")
        if op not in OPERATORS:
            return f"matchExpressions[{i}].operator {op!r} is not one of {', '.join(OPERATORS)}"
        if op in ("In", "NotIn") and not (isinstance(values, list) and values):
            return f"matchExpressions[{i}]: operator {op} needs a non-empty values list"
        if op in ("Exists", "DoesNotExist") and values:
            return f"matchExpressions[{i}]: operator {op} takes no values"
    return None


class _Reader:
    """Compiles one object, collecting its problems as (message, dotted path)."""

    def __init__(self, obj: dict, pods: LabelIndex, ns_index: LabelIndex, ns_names, ns_members, warn: list):
        self.obj, self.pods, self.ns_index, self.ns_names, self.ns_members = obj, pods, ns_index, ns_names, ns_members
        self.problems: list[tuple[str, str]] = []
        self.warn = warn
        self.kind = obj.get("kind")
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        self.name = str(meta.get("name") or "")

    def bad(self, path: str, message: str) -> None:
        self.problems.append((message, path))

    def pruned(self, sel, path: str) -> None:
        """Warn about fields a LabelSelector does not have (v0.1.0's ``sameLabels``, a typo): the API server
        prunes them and netpol-analyzer ignores them, so the selector then selects more than it says."""
        if isinstance(sel, dict):
            extra = sorted(str(k) for k in sel if k not in ("matchLabels", "matchExpressions"))
            if extra:
                self.warn.append(f"{self.kind} {self.name}: {path}: unknown selector field(s) {', '.join(extra)} "
                                 "ignored (the API server prunes them): the selector selects more than it says")

    def in_namespaces(self, sel, path: str) -> int:
        problem = selector_problem(sel)
        if problem:
            self.bad(path, f"{problem}")
            return 0
        self.pruned(sel, path)
        m = 0
        mask = self.ns_index.select(sel)
        i = 0
        while mask:
            if mask & 1:
                m |= self.ns_members.get(self.ns_names[i], 0)
            mask >>= 1
            i += 1
        return m

    def pod_selector(self, sel, path: str) -> int:
        problem = selector_problem(sel)
        if problem:
            self.bad(path, problem)
            return 0
        self.pruned(sel, path)
        return self.pods.select(sel)

    def namespaced_pods(self, value, path: str) -> int:
        if not isinstance(value, dict):
            self.bad(path, "is not a mapping (expected namespaceSelector and podSelector)")
            return 0
        ns_sel = value.get("namespaceSelector") if value.get("namespaceSelector") is not None else {}
        pod_sel = value.get("podSelector") if value.get("podSelector") is not None else {}
        return self.in_namespaces(ns_sel, f"{path}.namespaceSelector") & \
            self.pod_selector(pod_sel, f"{path}.podSelector")

    def subject(self, spec: dict) -> int:
        subject = spec.get("subject")
        if not isinstance(subject, dict):
            self.bad("spec.subject", "missing or not a mapping (expected exactly one of namespaces, pods)")
            return 0
        present = [k for k in ("namespaces", "pods") if subject.get(k) is not None]
        if len(present) != 1:
            self.bad("spec.subject", "exactly one field must be set in a subject (namespaces or pods)")
            return 0
        if present[0] == "namespaces":
            return self.in_namespaces(subject["namespaces"], "spec.subject.namespaces")
        return self.namespaced_pods(subject["pods"], "spec.subject.pods")

    def ports(self, items, path: str) -> tuple[ConnSet, tuple]:
        if items is None:
            return ALL, ()
        if not isinstance(items, list):
            self.bad(path, "is not a list")
            return NONE, ()
        numeric: dict = {}
        named = []
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            present = [k for k in ("portNumber", "portRange", "namedPort") if isinstance(item, dict)
                       and item.get(k) is not None]
            if len(present) != 1:
                self.bad(where, "exactly one field must be set in an AdminNetworkPolicyPort "
                                "(portNumber, portRange or namedPort)")
                continue
            key = present[0]
            value = item[key]
            if key == "namedPort":
                if not isinstance(value, str) or not value:
                    self.bad(f"{where}.namedPort", "is not a port name")
                    continue
                named.append((None, value))
                continue
            if not isinstance(value, dict):
                self.bad(f"{where}.{key}", "is not a mapping")
                continue
            protocol = value.get("protocol") or "TCP"
            if protocol not in PROTOCOLS:
                self.bad(f"{where}.{key}.protocol", f"{protocol!r} is not TCP, UDP or SCTP")
                continue
            if key == "portNumber":
                lo = hi = value.get("port")
                if not _port(lo):
                    self.bad(f"{where}.portNumber.port", f"{lo!r} is not a port number 1-65535")
                    continue
            else:
                lo, hi = value.get("start"), value.get("end")
                if not (_port(lo) and _port(hi) and lo <= hi):
                    self.bad(f"{where}.portRange", f"start {lo!r} and end {hi!r} are not a port range "
                                                   "(1 <= start <= end <= 65535)")
                    continue
            numeric[protocol] = numeric.get(protocol, EMPTY) | IntervalSet([(lo, hi)])
        return (ConnSet(numeric) if numeric else NONE), tuple(sorted(set(named), key=lambda x: x[1]))

    def rules(self, spec: dict, policy: AdminPolicy) -> None:
        actions = (ALLOW, DENY, PASS) if self.kind == ANP else (ALLOW, DENY)
        for direction, key, peer_key in ((INGRESS, "ingress", "from"), (EGRESS, "egress", "to")):
            rules = spec.get(key)
            if rules is None:
                continue
            if not isinstance(rules, list):
                self.bad(f"spec.{key}", "is not a list")
                continue
            for i, rule in enumerate(rules):
                path = f"spec.{key}[{i}]"
                if not isinstance(rule, dict):
                    self.bad(path, "is not a mapping")
                    continue
                action = rule.get("action")
                if action not in actions:
                    self.bad(f"{path}.action", f"unrecognized action {action!r} (expected {', '.join(actions)})")
                peers = rule.get(peer_key)
                if not isinstance(peers, list) or not peers:
                    self.bad(f"{path}.{peer_key}", f"{peer_key} must be defined and contain at least one item")
                    peers = []
                fields = ("namespaces", "pods") + (("nodes", "networks") if direction == EGRESS else ())
                pod_mask, addrs = 0, NOWHERE
                for j, peer in enumerate(peers):
                    where = f"{path}.{peer_key}[{j}]"
                    present = [k for k in fields if isinstance(peer, dict) and peer.get(k) is not None]
                    if len(present) != 1:
                        self.bad(where, f"exactly one field must be set in a rule peer ({', '.join(fields)})")
                        continue
                    field_ = present[0]
                    if field_ == "namespaces":
                        pod_mask |= self.in_namespaces(peer["namespaces"], f"{where}.namespaces")
                    elif field_ == "pods":
                        pod_mask |= self.namespaced_pods(peer["pods"], f"{where}.pods")
                    elif field_ == "nodes":
                        self.warn.append(f"{policy.label}: {where}: a nodes peer is not supported (as in "
                                         "netpol-analyzer): it matches nothing here")
                    else:
                        addrs = addrs | self.networks(peer["networks"], f"{where}.networks")
                numeric, named = self.ports(rule.get("ports"), f"{path}.ports")
                r = Rule(policy, direction, i, pod_mask, addrs, numeric, named)
                r.action, r.name = str(action), str(rule.get("name") or "")
                getattr(policy, key).append(r)

    def networks(self, cidrs, path: str) -> AddrSet:
        if not isinstance(cidrs, list) or not cidrs:
            self.bad(path, "is not a non-empty list of CIDRs")
            return NOWHERE
        out = NOWHERE
        for k, cidr in enumerate(cidrs):
            net = network(cidr) if isinstance(cidr, str) and "/" in cidr else None
            if net is None:
                self.bad(f"{path}[{k}]", f"{cidr!r} is not a CIDR")
                continue
            out = out | ip_block({"cidr": cidr})[0]
        return out


def _port(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


def compile_admin(objects, pods: LabelIndex, ns_index: LabelIndex, ns_names, ns_members,
                  source_of=None) -> Admin:
    """The admin policies among ``objects``; raises VnpError (every problem, each with its file, line
    and dotted path from ``source_of(obj) -> (file, line)``) when one breaks the API's rules."""
    out = Admin()
    problems: list[Problem] = []
    by_name: dict[str, AdminPolicy] = {}
    by_priority: dict[int, AdminPolicy] = {}

    def refuse(obj, message: str, path: str = "") -> None:
        file, line = source_of(obj) if source_of else (None, None)
        problems.append(Problem(message, path=path, file=file or None, line=line or None))

    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") not in (ANP, BANP):
            continue
        version = str(obj.get("apiVersion") or "")
        if version != API_VERSION:
            if version.startswith(f"{GROUP}/"):
                out.warnings.append(f"{obj.get('kind')} of {version} is not analysed (only {API_VERSION} is read, "
                                    "as netpol-analyzer reads it)")
            continue
        reader = _Reader(obj, pods, ns_index, ns_names, ns_members, out.warnings)
        kind = reader.kind
        what = f"{kind} {reader.name!r}" if reader.name else kind
        if not reader.name:
            refuse(obj, f"{kind} without metadata.name", "metadata.name")
            continue
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            refuse(obj, f"{what}: spec is missing or not a mapping", "spec")
            continue
        priority = None
        if kind == ANP:
            priority = spec.get("priority")
            if not isinstance(priority, int) or isinstance(priority, bool) \
                    or not MIN_PRIORITY <= priority <= MAX_PRIORITY:
                refuse(obj, f"{what}: priority {priority!r} is not an integer {MIN_PRIORITY}-{MAX_PRIORITY}",
                       "spec.priority")
                continue
        policy = AdminPolicy(kind, reader.name, priority, reader.subject(spec))
        reader.rules(spec, policy)
        for message, path in reader.problems:
            refuse(obj, f"{what}: {path}: {message}", path)
        if reader.problems:
            continue
        if kind == BANP:
            if reader.name != "default":
                refuse(obj, f"{what}: a BaselineAdminNetworkPolicy must be named 'default'", "metadata.name")
            elif out.banp is not None:
                refuse(obj, "a second BaselineAdminNetworkPolicy 'default' (the cluster has one at most)")
            else:
                out.banp = policy
            continue
        if reader.name in by_name:
            refuse(obj, f"{what}: two AdminNetworkPolicies have this name (names are unique in a cluster)",
                   "metadata.name")
            continue
        other = by_priority.get(priority)
        if other is not None:
            refuse(obj, f"{what} and AdminNetworkPolicy {other.name!r} have the same priority {priority}: their "
                        "order is undefined in the API (netpol-analyzer refuses it too); give them different "
                        "priorities", "spec.priority")
            continue
        by_name[reader.name] = by_priority[priority] = policy
        out.anps.append(policy)
    if problems:
        raise VnpError(problems)
    out.anps.sort(key=lambda p: p.priority)
    return out


@record
class Step:
    """One decision on one side: a rule (or the layer) and the connections it decided."""
    layer: str  # "admin", "netpol", "baseline", "default"
    rule: Rule | None
    action: str  # Allow, Deny, Pass; for "netpol": Allow (its rules' union) or Deny (the rest)
    conn: ConnSet


def _first_match(rules, pending: ConnSet, matches, conn_of, layer: str, trace: list | None):
    """Rules in precedence order, each deciding the part of ``pending`` it matches first: (allowed, passed,
    still undecided)."""
    allowed = passed = NONE
    for r in rules:
        if not pending:
            break
        if not matches(r):
            continue
        c = conn_of(r) & pending
        if not c:
            continue
        if r.action == ALLOW:
            allowed = allowed | c
        elif r.action == PASS:
            passed = passed | c
        pending = pending - c
        if trace is not None:
            trace.append(Step(layer, r, r.action, c))
    return allowed, passed, pending


def layered(admin_rules, isolated: bool, np_conn, base_rules, matches, conn_of, trace: list | None = None) -> ConnSet:
    """What one side allows: ``admin_rules`` (AdminNetworkPolicy rules in precedence order), then the
    NetworkPolicies (``isolated``: some select the pod this way; ``np_conn()``: what their rules allow),
    then ``base_rules`` (the baseline's, in order), then allow.  ``matches(rule)``: its peers match the
    other end; ``conn_of(rule)``: the connections its ports name towards the destination.  ``trace``
    receives a Step per decision (explain)."""
    allowed, passed, rest = _first_match(admin_rules, ALL, matches, conn_of, "admin", trace)
    down = rest | passed  # what no admin rule decided, and what one passed down
    if not down:
        return allowed
    if isolated:
        got = down & np_conn()
        if trace is not None:
            trace.append(Step("netpol", None, ALLOW, got))
            if down - got:
                trace.append(Step("netpol", None, DENY, down - got))
        return allowed | got
    more, _, down = _first_match(base_rules, down, matches, conn_of, "baseline", trace)
    allowed = allowed | more
    if down and trace is not None:
        trace.append(Step("default", None, ALLOW, down))
    return allowed | down
