"""vCluster's ``mapServices`` for a Helm release: Services that map across the release namespace's border.

- ``fromHost``: ``from: NS/SVC`` -> ``to: NAME`` (or ``RELEASE-NS/NAME``) becomes a Service ``NAME`` of type
  ExternalName resolving to ``SVC.NS.svc.<clusterDomain>``, plus (isolation on) the egress rule the release's pods
  need to reach it: towards namespace NS by ``kubernetes.io/metadata.name``, on the service's pod ports when
  known (the entry's ``ports``, else the target ports of the Service when the release renders it), all ports
  otherwise.  The rule goes into the workload policy (``networkpolicy.network_policies``), so both selection
  modes get it.
- ``fromVirtual``: ``from: SVC`` (a Service the release renders) -> ``to: NS/NAME`` becomes a Service ``NAME`` in
  NS resolving to the release's, plus (isolation on) an ingress policy into the pods that Service selects, on
  its target ports, from namespace NS (from the release namespace's other pods when NS is the release's).

A Service outside the release namespace is generated only when ``policies.networkPolicy.otherNamespaces`` is
``isolate`` or ``allow`` (vnp's notion of "objects outside the release namespace are allowed").  Every entry
vnp cannot apply is an ``Unapplied`` (the post-renderer raises them all at once, lint reports each as
``netpol.unapplied``).  Pure: the config and the release's parsed Services in, objects out, in config order.
"""
from __future__ import annotations

import copy

from helm_vnp.base.names import MAPPED_FROM_ANNOTATION, REASON_ANNOTATION, RELEASE_LABEL
from helm_vnp.base.record import record
from helm_vnp.generate.meta import metadata, new_object, object_name
from helm_vnp.k8s import services as svc

NAMESPACE_LABEL = "kubernetes.io/metadata.name"
ALLOWED_OUTSIDE = ("isolate", "allow")
OTHER_NAMESPACES = "policies.networkPolicy.otherNamespaces"


@record(frozen=True)
class Unapplied:
    """One mapping (or rewrite) the config asks for that vnp could not apply: why, and where in the config."""
    message: str
    path: str  # dotted config path, e.g. "mapServices.fromHost[0].to"
    hint: str = ""
    file: str = ""  # the chart document it is about, when there is one (a policy to confine)
    line: int = 0


def _ref(ref: dict, home: str) -> str:
    return f"{ref['namespace'] or home}/{ref['name']}"


def _namespace_peer(namespace: str) -> dict:
    return {"namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: namespace}}}


def _services_by_ref(services: list[dict], home: str) -> dict[tuple[str, str], dict]:
    out = {}
    for s in services:
        meta = s.get("metadata") if isinstance(s, dict) else None
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
            continue
        out[(str(meta.get("namespace") or home), meta["name"])] = s
    return out


def _service(name: str, namespace: str, release: str, target: str, domain: str) -> dict:
    """An ExternalName Service ``name`` resolving to ``target`` ("namespace/name"); no namespace: Helm's."""
    meta = metadata(name, namespace or None, release, {}, {MAPPED_FROM_ANNOTATION: target})
    ns_, svc_name = target.split("/", 1)
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta,
            "spec": {"type": "ExternalName", "externalName": f"{svc_name}.{ns_}.svc.{domain}"}}


class Mapping:
    """What ``plan`` decided: the Services to append, the egress rules for the workload policy, the ingress
    policies, and what could not be applied."""

    def __init__(self):
        self.services: list[dict] = []
        self.egress: list[dict] = []
        self.policies: list[dict] = []
        self.unapplied: list[Unapplied] = []


def plan(policies: dict, release: str, namespace: str | None, services: list[dict],
         taken: set[tuple[str, str]]) -> Mapping:
    """The objects and rules ``mapServices`` asks for.  ``services``: the release's parsed Service objects;
    ``taken``: (namespace, name) of every Service the chart renders (a mapped name must not collide)."""
    out = Mapping()
    config = policies.get("mapServices") or {}
    if not config.get("fromHost") and not config.get("fromVirtual"):
        return out
    home = namespace or ""
    netpol = policies["networkPolicy"]
    isolating = bool(netpol["enabled"])
    outside_ok = netpol.get("otherNamespaces") in ALLOWED_OUTSIDE
    domain = config.get("clusterDomain") or "cluster.local"
    by_ref = _services_by_ref(services, home)
    made: set[tuple[str, str]] = set()

    def place(path: str, to: dict) -> str | None:
        """The namespace the Service ``to`` goes to, or None (an Unapplied recorded)."""
        ns = to["namespace"] or home
        if to["namespace"] and home and ns != home and not outside_ok:
            out.unapplied.append(Unapplied(
                f"Service {ns}/{to['name']} would be created in namespace {ns}, not the release namespace {home}: "
                f"vnp creates objects outside the release namespace only when {OTHER_NAMESPACES} is isolate or "
                "allow", f"{path}.to",
                hint=f"map it into the release namespace ({home}/{to['name']}), or set {OTHER_NAMESPACES}: allow"))
            return None
        if to["namespace"] and not home:
            out.unapplied.append(Unapplied(
                f"cannot tell whether {to['namespace']}/{to['name']} is in the release namespace: the release "
                "namespace is unknown", f"{path}.to",
                hint="pass --post-renderer-args=--namespace=NS (or VNP_NAMESPACE), or use the wrappers"))
            return None
        key = (ns, to["name"])
        if key in taken:
            out.unapplied.append(Unapplied(f"the chart renders a Service {ns}/{to['name']} already: vnp does not "
                                           "replace the chart's objects", f"{path}.to",
                                           hint="map it under another name"))
            return None
        if key in made:
            out.unapplied.append(Unapplied(f"Service {ns}/{to['name']} is mapped twice", f"{path}.to"))
            return None
        made.add(key)
        return ns

    for i, e in enumerate(config.get("fromHost") or []):
        path = f"mapServices.fromHost[{i}]"
        source = f"{e['from']['namespace']}/{e['from']['name']}"
        ns = place(path, e["to"])
        if ns is None:
            continue
        out.services.append(_service(e["to"]["name"], ns, release, source, domain))
        if not isolating:
            continue
        ports = e.get("ports")
        if ports is None:
            host = by_ref.get((e["from"]["namespace"], e["from"]["name"]))
            ports = svc.target_ports(host) if host is not None else []
        rule: dict = {"to": [_namespace_peer(e["from"]["namespace"])]}
        if ports:
            rule["ports"] = [dict(p, protocol=p.get("protocol") or "TCP") for p in copy.deepcopy(ports)]
        if rule not in out.egress:
            out.egress.append(rule)

    for i, e in enumerate(config.get("fromVirtual") or []):
        path = f"mapServices.fromVirtual[{i}]"
        src_ns = e["from"]["namespace"] or home
        if not home:
            out.unapplied.append(Unapplied(
                f"cannot expose Service {e['from']['name']}: the release namespace is unknown (the generated "
                "Service must name it)", f"{path}.from",
                hint="pass --post-renderer-args=--namespace=NS (or VNP_NAMESPACE), or use the wrappers"))
            continue
        if src_ns != home:
            out.unapplied.append(Unapplied(
                f"{src_ns}/{e['from']['name']} is not in the release namespace {home}: fromVirtual exposes a "
                "Service of the release", f"{path}.from", hint=f"name a Service the release renders in {home}"))
            continue
        own = by_ref.get((src_ns, e["from"]["name"]))
        selector = svc.selector(own) if own is not None else None
        if own is None or selector is None:
            why = "the release renders no such Service" if own is None else "it has no pod selector"
            out.unapplied.append(Unapplied(f"cannot expose Service {_ref(e['from'], home)}: {why}", f"{path}.from",
                                           hint="name a Service with a selector that the release renders"))
            continue
        ns = place(path, e["to"])
        if ns is None:
            continue
        target = f"{home}/{e['from']['name']}"
        out.services.append(_service(e["to"]["name"], ns, release, target, domain))
        if not isolating:
            continue
        ports = svc.target_ports(own)
        match = dict(sorted(selector.items()))
        if policies["selection"] == "podLabel":
            if match.get(RELEASE_LABEL, release) != release:
                continue  # selects no pod of the release
            match[RELEASE_LABEL] = release
        peer = _namespace_peer(ns) if ns != home else {"podSelector": {}}
        rule: dict = {"from": [peer]}
        if ports:
            rule["ports"] = ports
        reason = (f"mapServices.fromVirtual: Service {ns}/{e['to']['name']} -> Service "
                  f"{target}:{','.join(svc.show_port(p) for p in ports) or 'all ports'}")
        meta = metadata(object_name(release, "from", ns, e["to"]["name"], "to", e["from"]["name"]), namespace,
                        release, netpol["labels"], {**netpol["annotations"], REASON_ANNOTATION: reason})
        out.policies.append(new_object("networking.k8s.io/v1", "NetworkPolicy", meta,
                                       {"podSelector": {"matchLabels": dict(sorted(match.items()))},
                                        "policyTypes": ["Ingress"], "ingress": [rule]}))
    return out
