"""Differential NetworkPolicy check: our simulator (helm_vnp.k8s.netpol) against network-config-analyzer (NCA).

NCA (np-guard, https://github.com/np-guard/network-config-analyzer) is an independent implementation of the
same semantics.  For one set of namespaces, concrete pods and NetworkPolicies, ``compare`` asks both for the
allowed connections of every ordered pair of pods and of every pod with every address range, and returns where
they differ.  The comparison is exact, not sampled:

- ports: the answer of our simulator can change only at a port some policy or pod names (a rule's ``port``,
  ``endPort + 1``, a resolved named port), so one probe per elementary interval between those boundaries gives
  its whole answer for TCP, UDP and SCTP; protocols without ports (ICMP...) are one more probe.  NCA's answer is
  parsed into the same form (protocol -> port intervals, plus the set of other protocols allowed).
- addresses: likewise, an ipBlock verdict can change only at a CIDR or ``except`` boundary; the boundaries of
  every policy's blocks and of every range NCA prints cut IPv4 and IPv6 into elementary ranges, and each pod is
  compared with each range (one probe address: its first) in both directions.

NCA runs as a subprocess on YAML files (``nca --connectivity <policies> --pod_list <pods> --ns_list <namespaces>
-o txt_no_fw_rules --print_ipv6``): one line per allowed (source, destination, connection set).
"""
from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from helm_vnp.k8s import netpol
from helm_vnp.k8s.pod_creators import creator_for, find_sources
from helm_vnp.k8s.workloads import is_workload, pod_template

TCP, UDP, SCTP = 6, 17, 132
PORT_PROTOCOLS = {"TCP": TCP, "UDP": UDP, "SCTP": SCTP}
PORT_NAMES = {v: k for k, v in PORT_PROTOCOLS.items()}
ALL_PORTS = ((1, 65535),)
NCA_TIMEOUT = 120


def nca_executable() -> str | None:
    """The ``nca`` of this interpreter's environment (the test extra installs it), else one on PATH."""
    here = Path(sys.executable).parent / "nca"
    return str(here) if os.access(here, os.X_OK) else shutil.which("nca")


# -- the model: endpoints and connection sets --------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    """A concrete pod: NCA sees it as ``namespace/name[Pod]``, our simulator as a ``netpol.Pod``."""
    namespace: str
    name: str
    labels: dict = field(hash=False)
    ports: dict = field(default_factory=dict, hash=False)  # named container port -> (number, protocol)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class Cluster:
    namespaces: dict  # name -> labels (kubernetes.io/metadata.name is added)
    endpoints: list
    policies: list  # NetworkPolicy objects, metadata.namespace set

    def ns_labels(self, name: str) -> dict:
        return {**self.namespaces.get(name, {}), netpol.NS_NAME_LABEL: name}


def _merge(intervals) -> tuple:
    out: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def _minus(a: tuple, b: tuple) -> tuple:
    out = []
    for lo, hi in a:
        cur = lo
        for blo, bhi in b:
            if bhi < cur or blo > hi:
                continue
            if blo > cur:
                out.append((cur, blo - 1))
            cur = max(cur, bhi + 1)
        if cur <= hi:
            out.append((cur, hi))
    return _merge(out)


@dataclass(frozen=True)
class Conn:
    """Allowed connections: port intervals per port protocol, and the other protocols (numbers) allowed."""
    ports: tuple = ((TCP, ()), (UDP, ()), (SCTP, ()))
    other: frozenset = frozenset()

    @staticmethod
    def of(ports: dict, other) -> Conn:
        return Conn(tuple((p, _merge(ports.get(p, ()))) for p in (TCP, UDP, SCTP)), frozenset(other))

    def __or__(self, o: Conn) -> Conn:
        a, b = dict(self.ports), dict(o.ports)
        return Conn.of({p: a[p] + b[p] for p in a}, self.other | o.other)

    def __sub__(self, o: Conn) -> Conn:
        a, b = dict(self.ports), dict(o.ports)
        return Conn.of({p: _minus(a[p], b[p]) for p in a}, self.other - o.other)

    def __bool__(self) -> bool:
        return any(iv for _, iv in self.ports) or bool(self.other)

    def __str__(self) -> str:
        if self == ALL:
            return "all connections"
        if not self:
            return "nothing"
        parts = [f"{PORT_NAMES[p]} " + ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in iv)
                 for p, iv in self.ports if iv]
        if self.other == OTHER_PROTOCOLS:
            parts.append("every protocol without ports")
        elif self.other:
            parts.append("protocols " + ",".join(map(str, sorted(self.other))))
        return "; ".join(parts)


OTHER_PROTOCOLS = frozenset(range(256)) - {TCP, UDP, SCTP}
NONE = Conn()
ALL = Conn.of({p: ALL_PORTS for p in (TCP, UDP, SCTP)}, OTHER_PROTOCOLS)


# -- release pods ------------------------------------------------------------------------------------------

def _dns_name(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")[:63].rstrip("-")


def _named_ports(spec) -> dict:
    spec = spec if isinstance(spec, dict) else {}
    return {p["name"]: (int(p["containerPort"]), p.get("protocol") or "TCP")
            for c in spec.get("containers") or [] for p in c.get("ports") or [] if p.get("name")}


def release_endpoints(objects: list[dict], namespace: str, declared: tuple = ()) -> list[Endpoint]:
    """One concrete pod per pod template (or labels map) of the post-rendered objects, named ``kind-name[-i]``."""
    out = []
    for obj in objects:
        kind, api = obj.get("kind"), obj.get("apiVersion")
        ns = (obj.get("metadata") or {}).get("namespace") or namespace
        base = _dns_name(f"{kind}-{obj['metadata']['name']}")
        if is_workload(kind, api):
            template = pod_template(obj, kind) or {}
            sources = [((template.get("metadata") or {}).get("labels") or {}, template.get("spec"))]
        else:
            creator = creator_for(api, kind, declared)
            sources = [(f.labels, f.spec) for f in find_sources(obj, creator)] if creator else []
        for i, (labels, spec) in enumerate(sources):
            name = base if len(sources) == 1 else f"{base}-{i}"
            out.append(Endpoint(ns, name, {str(k): str(v) for k, v in labels.items()}, _named_ports(spec)))
    return out


def network_policies(objects: list[dict], namespace: str) -> list[dict]:
    """The NetworkPolicies of ``objects``, each with its namespace written out (NCA needs it)."""
    out = []
    for obj in objects:
        if obj.get("kind") == "NetworkPolicy":
            meta = {**obj["metadata"], "namespace": obj["metadata"].get("namespace") or namespace}
            out.append({**obj, "metadata": meta})
    return out


# -- NCA ---------------------------------------------------------------------------------------------------

@dataclass
class NcaAnswer:
    pods: dict  # (src key, dst key) -> Conn
    ranges: dict  # (pod key, "from"|"to", (version, lo, hi)) -> Conn; "to": pod -> range (egress)
    endpoints: int
    output: str


def _pod_yaml(e: Endpoint) -> dict:
    ports = [{"name": n, "containerPort": num, "protocol": proto} for n, (num, proto) in sorted(e.ports.items())]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": e.name, "namespace": e.namespace,
                                                            "labels": dict(e.labels)},
            "spec": {"containers": [{"name": "c", "image": "probe", **({"ports": ports} if ports else {})}]}}


def _nca_order(policy: dict) -> dict:
    """``policyTypes: [Egress, Ingress]`` written as ``[Ingress, Egress]``, the only order NCA 2.1.0 accepts.

    NCA's parser checks the list against ``[['Ingress'], ['Egress'], ['Ingress', 'Egress']]``
    (nca/Parsers/K8sPolicyYamlParser.py, ``parse_policy``) and rejects the whole input otherwise
    ("policyTypes has invalid value in spec"); the API server accepts either order and reads the list as a
    set (vCluster v0.36 writes ``[Egress, Ingress]``).  Same meaning, so NCA gets the order it reads.
    """
    spec = policy.get("spec") or {}
    if isinstance(spec.get("policyTypes"), list) and sorted(spec["policyTypes"]) == ["Egress", "Ingress"]:
        return {**policy, "spec": {**spec, "policyTypes": ["Ingress", "Egress"]}}
    return policy


def run_nca(cluster: Cluster, workdir: Path) -> NcaAnswer:
    exe = nca_executable()
    assert exe, "nca not installed"
    namespaces = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n, "labels": cluster.ns_labels(n)}}
                  for n in sorted(cluster.namespaces)]
    files = {"namespaces.yaml": {"apiVersion": "v1", "kind": "NamespaceList", "items": namespaces},
             "pods.yaml": {"apiVersion": "v1", "kind": "PodList", "items": [_pod_yaml(e) for e in cluster.endpoints]},
             "policies.yaml": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList",
                               "items": [_nca_order(p) for p in cluster.policies]}}
    for name, doc in files.items():
        (workdir / name).write_text(json.dumps(doc, indent=1, sort_keys=True))  # YAML reads JSON
    cmd = [exe, "--connectivity", str(workdir / "policies.yaml"), "--pod_list", str(workdir / "pods.yaml"),
           "--ns_list", str(workdir / "namespaces.yaml"), "-o", "txt_no_fw_rules", "--print_ipv6"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=NCA_TIMEOUT, cwd=workdir)
    if proc.returncode != 0:
        raise AssertionError(f"nca exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return parse_nca(proc.stdout + proc.stderr)


_LINE = re.compile(r"^(\S+) => (\S+) : (.+)$")
_POD = re.compile(r"^([^/\s]+)/([^/\s\[]+)\[Pod\]$")


def parse_nca(text: str) -> NcaAnswer:
    pods: dict = defaultdict(lambda: NONE)
    ranges: dict = defaultdict(lambda: NONE)
    count = re.search(r"cluster has (\d+) unique endpoints", text)
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m:
            continue
        src, dst, conn = m.group(1), m.group(2), parse_conn(m.group(3))
        s_pod, d_pod = _POD.match(src), _POD.match(dst)
        if s_pod and d_pod:
            pods[(src[:-5], dst[:-5])] |= conn
        elif s_pod:
            ranges[(src[:-5], "to", parse_range(dst))] |= conn
        elif d_pod:
            ranges[(dst[:-5], "from", parse_range(src))] |= conn
        else:
            raise AssertionError(f"NCA line between two addresses: {line}")
    return NcaAnswer(dict(pods), dict(ranges), int(count.group(1)) if count else -1, text)


def parse_range(text: str) -> tuple:
    """``a-b``, ``a`` or ``a/n`` -> (IP version, first, last) as integers."""
    if "/" in text:
        net = ipaddress.ip_network(text, strict=False)
        return net.version, int(net.network_address), int(net.broadcast_address)
    lo, _, hi = text.partition("-")
    a, b = ipaddress.ip_address(lo), ipaddress.ip_address(hi or lo)
    assert a.version == b.version, text
    return a.version, int(a), int(b)


def _protocol_numbers(text: str) -> set[int]:
    from nca.CoreDS.ProtocolNameResolver import ProtocolNameResolver  # the test extra: only run with nca

    def number(name: str) -> int:
        return int(name) if name.isdigit() else ProtocolNameResolver.get_protocol_number(name)
    text = text.strip()
    if text == "*":
        return set(range(256))
    if text.startswith("all but "):
        return set(range(256)) - {number(n.strip()) for n in text[len("all but "):].split(",")}
    return {number(n.strip()) for n in text.split(",")}


def _ports(text: str) -> tuple:
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.append((int(lo), int(hi or lo)))
    return _merge(out)


_CUBE = re.compile(r"protocols:(?P<p>[^:{}]+?)(?:,dst_ports:(?P<d>[0-9,-]+))?")


def parse_conn(text: str) -> Conn:
    """NCA's connection set text: ``All connections``, ``All but <cubes>`` or ``<cubes>``, where a cube is
    ``{protocols:TCP, UDP,dst_ports:80,8000-8080}``.  Anything else is an error, not a guess."""
    text = text.strip()
    if text == "All connections":
        return ALL
    if text == "No connections":
        return NONE
    if text.startswith("All but "):
        return ALL - parse_conn(text[len("All but "):])
    cubes = re.findall(r"\{([^{}]*)\}", text)
    if not cubes or ",".join("{" + c + "}" for c in cubes) != text:
        raise AssertionError(f"unexpected NCA connection set: {text!r}")
    out = NONE
    for body in cubes:
        m = _CUBE.fullmatch(body)
        if not m:
            raise AssertionError(f"unexpected NCA connection cube: {body!r}")
        protocols = _protocol_numbers(m.group("p"))
        ports = _ports(m.group("d")) if m.group("d") else ALL_PORTS
        if m.group("d") and protocols - {TCP, UDP, SCTP}:
            raise AssertionError(f"ports on a protocol without ports: {body!r}")
        out |= Conn.of({p: ports for p in protocols & {TCP, UDP, SCTP}}, protocols - {TCP, UDP, SCTP})
    return out


# -- our simulator -----------------------------------------------------------------------------------------

def _port_boundaries(cluster: Cluster) -> list[int]:
    """Ports where our simulator's answer may change: the start of each elementary interval (and 65536)."""
    cuts = {1, 65536}
    for e in cluster.endpoints:
        for num, _ in e.ports.values():
            cuts |= {num, num + 1}
    for pol in cluster.policies:
        for direction in ("ingress", "egress"):
            for rule in (pol.get("spec") or {}).get(direction) or []:
                for p in (rule or {}).get("ports") or []:
                    number = p.get("port")
                    if isinstance(number, str) and number.isdigit():
                        number = int(number)
                    if isinstance(number, int):
                        cuts |= {number, number + 1}
                    if isinstance(p.get("endPort"), int):
                        cuts.add(p["endPort"] + 1)
    return sorted(c for c in cuts if 1 <= c <= 65536)


def _ip_boundaries(cluster: Cluster, answer: NcaAnswer) -> dict[int, list[int]]:
    cuts = {4: {0, 2 ** 32}, 6: {0, 2 ** 128}}
    for pol in cluster.policies:
        for direction, key in (("ingress", "from"), ("egress", "to")):
            for rule in (pol.get("spec") or {}).get(direction) or []:
                for peer in (rule or {}).get(key) or []:
                    block = (peer or {}).get("ipBlock")
                    for cidr in ([block.get("cidr")] + list(block.get("except") or [])) if block else []:
                        net = ipaddress.ip_network(str(cidr), strict=False)
                        cuts[net.version] |= {int(net.network_address), int(net.broadcast_address) + 1}
    for _, _, (version, lo, hi) in answer.ranges:
        cuts[version] |= {lo, hi + 1}
    return {v: sorted(c) for v, c in cuts.items()}


def simulate(policies: list, src, dst, port_cuts: list[int]) -> Conn:
    ports = {}
    for name, number in PORT_PROTOCOLS.items():
        ports[number] = [(lo, hi - 1) for lo, hi in zip(port_cuts, port_cuts[1:])
                         if netpol.allowed(policies, src, dst, lo, name)]
    return Conn.of(ports, OTHER_PROTOCOLS if netpol.allowed(policies, src, dst, 0, "ICMP") else ())


# -- the comparison ----------------------------------------------------------------------------------------

@dataclass
class Result:
    pod_pairs: int
    range_pairs: int
    diffs: list  # readable lines
    answer: NcaAnswer

    @property
    def pairs(self) -> int:
        return self.pod_pairs + self.range_pairs

    def report(self) -> str:
        head = (f"{len(self.diffs)} disagreement(s) over {self.pod_pairs} pod pairs and {self.range_pairs} "
                f"pod/address-range pairs (ours vs NCA):")
        return "\n".join([head, *self.diffs])


def _show_range(version: int, lo: int, hi: int) -> str:
    cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return str(cls(lo)) if lo == hi else f"{cls(lo)}-{cls(hi)}"


def compare(cluster: Cluster, workdir: Path, ours_read: list | None = None) -> Result:
    """Both answers on every pair.  ``ours_read``: other policies for our side only (to show that a real
    difference is caught)."""
    answer = run_nca(cluster, workdir)
    keys = [e.key for e in cluster.endpoints]
    assert len(set(keys)) == len(keys), keys
    unknown = {k for pair in answer.pods for k in pair} - set(keys)
    unknown |= {k for k, _, _ in answer.ranges} - set(keys)
    assert not unknown, f"NCA reports endpoints we did not give it (LiveSim?): {sorted(unknown)}\n{answer.output}"
    assert answer.endpoints == len(keys), f"NCA counted {answer.endpoints} endpoints of {len(keys)}:\n{answer.output}"
    policies = netpol.policies_from(cluster.policies if ours_read is None else ours_read, "")
    pods = {e.key: netpol.Pod(e.namespace, e.labels, cluster.ns_labels(e.namespace), e.ports)
            for e in cluster.endpoints}
    port_cuts = _port_boundaries(cluster)
    diffs: list[str] = []
    pod_pairs = 0
    for s in keys:
        for d in keys:
            if s == d:
                continue
            pod_pairs += 1
            ours, theirs = simulate(policies, pods[s], pods[d], port_cuts), answer.pods.get((s, d), NONE)
            if ours != theirs:
                diffs.append(f"{s} => {d}: ours {ours} | NCA {theirs}")
    range_pairs = 0
    for version, cuts in _ip_boundaries(cluster, answer).items():
        elementary = [(lo, hi - 1) for lo, hi in zip(cuts, cuts[1:])]
        for key in keys:
            for direction in ("from", "to"):
                theirs_by = [(r, c) for (k, dirn, r), c in answer.ranges.items()
                             if k == key and dirn == direction and r[0] == version]
                shown: list = []  # merge adjacent ranges with the same disagreement, for the report
                for lo, hi in elementary:
                    range_pairs += 1
                    addr = _show_range(version, lo, lo)
                    src, dst = (addr, pods[key]) if direction == "from" else (pods[key], addr)
                    ours = simulate(policies, src, dst, port_cuts)
                    theirs = NONE
                    for (_, rlo, rhi), conn in theirs_by:
                        if rlo <= lo and hi <= rhi:
                            theirs |= conn
                        elif not (rhi < lo or hi < rlo):
                            raise AssertionError(f"NCA range {rlo}-{rhi} cuts an elementary range {lo}-{hi}")
                    if ours == theirs:
                        continue
                    if shown and shown[-1][1] == lo - 1 and shown[-1][2:] == (ours, theirs):
                        shown[-1] = (shown[-1][0], hi, ours, theirs)
                    else:
                        shown.append((lo, hi, ours, theirs))
                for lo, hi, ours, theirs in shown:
                    where = _show_range(version, lo, hi)
                    pair = (where, key) if direction == "from" else (key, where)
                    diffs.append(f"{pair[0]} => {pair[1]}: ours {ours} | NCA {theirs}")
    return Result(pod_pairs, range_pairs, diffs, answer)
