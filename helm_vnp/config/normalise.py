"""User values (v0.31+ layout, coalesced onto the defaults) -> the canonical ``model.Policies``.

A key that is absent here was deleted by a user ``null`` (defaults are already filled
in), so it reads as its zero value: false, "", [] or {} — as in a Helm template.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from helm_vnp.config.defaults import DNS_PRESETS, INGRESS_CONTROLLER_PRESETS, monitoring_preset

if TYPE_CHECKING:
    from helm_vnp.config.model import Policies

IPBLOCK_EXCEPT = "except"  # an ipBlock's key that is a Python keyword (``model.IPBlock.except_``)


def _map(d: Any, key: str) -> dict:
    v = d.get(key) if isinstance(d, dict) else None
    return v if isinstance(v, dict) else {}


def _list(d: dict, key: str) -> list:
    return copy.deepcopy(d.get(key) or [])


def _strings(d: dict) -> dict[str, str]:
    return {str(k): str(v) for k, v in d.items()}


def quantity_text(value: Any) -> str:
    """A quantity as Kubernetes would store it in a manifest: always a string."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _resources(d: dict) -> dict[str, str]:
    return {k: quantity_text(v) for k, v in sorted(d.items())}


def resolve_enabled(own: Any, other: Any) -> bool:
    """vCluster's "auto": on when the other one is explicitly true."""
    if own is True:
        return True
    return own == "auto" and other is True


def _dns(np: dict) -> dict:
    dns = _map(np, "dns")
    preset = DNS_PRESETS[dns.get("preset") or "kube-dns"]
    ports = dns["ports"] if dns.get("ports") is not None else preset["ports"]  # [] means: no DNS rule
    peer = {}
    for key in ("namespaceSelector", "podSelector"):
        selector = dns[key] if key in dns else preset[key]
        if selector is not None:
            peer[key] = copy.deepcopy(selector)
    return {"ports": list(ports), "peers": [peer] + [{"ipBlock": {"cidr": c}} for c in preset.get("ipBlocks", ())]}


def _inside(cidr: str, excepts: list) -> list:
    """The ``except`` entries strictly inside ``cidr``.  The user's own were checked against it
    already (an error); what is left outside comes from the defaults (a user ``cidr:
    203.0.113.0/24`` keeps the default private-range list) and the API server would refuse it."""
    import ipaddress
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return list(excepts)
    out = []
    for e in excepts:
        try:
            sub = ipaddress.ip_network(str(e), strict=False)
        except ValueError:
            out.append(e)
            continue
        if sub.version == net.version and sub.subnet_of(net) and sub != net:
            out.append(e)
    return out


def _public_egress(workload: dict) -> dict:
    pe = _map(workload, "publicEgress")
    excepts = list(pe.get("except") or [])
    blocks = []
    if pe.get("cidr"):
        blocks.append({"cidr": pe["cidr"], IPBLOCK_EXCEPT: _inside(pe["cidr"], excepts)})
    # an ``except`` entry of the other address family than ``cidr`` (``2001:db8::/32`` beside the default
    # 0.0.0.0/0) is kept out of every extra block that holds it (the default ``::/0``): dropping it would let
    # pods reach the range the user listed; a user ``cidr`` of the other family is refused by validation
    other = [e for e in excepts if _family(e) not in (None, _family(pe.get("cidr")))]
    for extra in pe.get("extraIpBlocks") or []:
        own = list(extra.get("except") or [])
        blocks.append({"cidr": extra["cidr"],
                       IPBLOCK_EXCEPT: own + [e for e in _inside(extra["cidr"], other) if e not in own]})
    return {"enabled": pe.get("enabled") is True, "ipBlocks": blocks}


def _family(cidr) -> int | None:
    import ipaddress
    try:
        return ipaddress.ip_network(str(cidr), strict=False).version
    except ValueError:
        return None


def _peer_map(entries: dict, presets: dict) -> dict[str, list]:
    """Name -> peers: the presets, each replaced by the user's entry; "none" -> [] (nothing opened)."""
    out = {k: copy.deepcopy(v) for k, v in presets.items()}
    for key, value in entries.items():
        out[str(key)] = [] if value == "none" else _list(value if isinstance(value, dict) else {}, "peers")
    return dict(sorted(out.items()))


def _traffic(np: dict) -> dict:
    """The derived-traffic settings (helm-vnp extension): who the release's own objects say must reach it."""
    api = _map(np, "apiServer")
    mon = _map(np, "monitoring")
    namespace = str(mon.get("namespace") or "monitoring")
    return {
        "ingressControllers": _peer_map(_map(np, "ingressControllers"), INGRESS_CONTROLLER_PRESETS),
        "defaultIngressClass": str(np.get("defaultIngressClass") or ""),
        "gateways": _peer_map(_map(np, "gateways"), {}),
        "apiServer": {"peers": _list(api, "peers"), "ports": [int(x) for x in api.get("ports") or []]},
        "exposedServices": "deny" if np.get("exposedServices") == "deny" else "allow",
        "otherNamespaces": np.get("otherNamespaces") if np.get("otherNamespaces") in ("isolate", "allow") else "refuse",
        "monitoring": {"namespace": namespace,
                       "peers": _list(mon, "peers") if "peers" in mon else monitoring_preset(namespace)},
    }


# -- project-scoped isolation, confined chart policies, mapped services (docs/services-and-projects.md) --------

def _project_and_confine(np: dict) -> dict:
    """``project`` (a ``vcluster.io/project`` entry of ``labels`` names it when unset: the seed's example config)
    and ``confineChartPolicies``."""
    from helm_vnp.base.names import PROJECT_LABEL
    project = np.get("project")
    if not project:
        project = _map(np, "labels").get(PROJECT_LABEL) or ""
    return {"project": str(project), "confineChartPolicies": np.get("confineChartPolicies") is True}


def _split_ref(text: str) -> dict:
    """``ns/name`` -> {"namespace": ns, "name": name}; a bare ``name`` has namespace "" (the release's)."""
    ns, _, name = str(text).rpartition("/")
    return {"namespace": ns, "name": name}


def map_services(user) -> dict:
    """The top-level ``mapServices`` block (validated) -> {"fromHost": [...], "fromVirtual": [...],
    "clusterDomain": str}; each entry's ``from``/``to`` split into namespace and name, ``ports`` None when
    not given (read from the Service, else all)."""
    user = user if isinstance(user, dict) else {}
    host = []
    for e in user.get("fromHost") or []:
        ports = e.get("ports")
        host.append({"from": _split_ref(e["from"]), "to": _split_ref(e["to"]),
                     "ports": None if ports is None else copy.deepcopy(list(ports))})
    virtual = [{"from": _split_ref(e["from"]), "to": _split_ref(e["to"])} for e in user.get("fromVirtual") or []]
    return {"fromHost": host, "fromVirtual": virtual,
            "clusterDomain": str(user.get("clusterDomain") or "cluster.local")}


def _workload_kind(entry: dict) -> dict:
    """One ``workloadKinds`` entry with both path keys present ("" for the one not set)."""
    return {"apiVersion": str(entry["apiVersion"]), "kind": str(entry["kind"]),
            "podTemplatePath": str(entry.get("podTemplatePath") or ""),
            "labelsPath": str(entry.get("labelsPath") or "")}


_HARDENING_FIELDS = ("runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile",
                     "allowPrivilegeEscalation", "dropAllCapabilities")


def _mutations(p: dict) -> dict:
    """The opt-in post-render mutations (helm-vnp extensions): hardening, nodeIsolation, serviceAccountTokens."""
    h = _map(p, "hardening")
    n = _map(p, "nodeIsolation")
    t = _map(p, "serviceAccountTokens")
    return {
        "hardening": {"enabled": h.get("enabled") is True, **{k: h.get(k) for k in _HARDENING_FIELDS}},
        "nodeIsolation": {"nodeSelector": _strings(_map(n, "nodeSelector")),
                          "tolerations": [copy.deepcopy(x) for x in _list(n, "tolerations") if isinstance(x, dict)],
                          "runtimeClassName": str(n.get("runtimeClassName") or ""),
                          "priorityClassName": str(n.get("priorityClassName") or ""),
                          "override": n.get("override") is True},
        "serviceAccountTokens": {"disableAutomount": t.get("disableAutomount") is True,
                                 "allow": [str(x) for x in t.get("allow") or []]},
    }


TENANT_GROUPS = ("services", "images", "classes", "ingress", "resources", "metadata")


def tenant(t: dict) -> dict:
    """``policies.tenant``: its mode and each rule group the user set (validated), as given; a group left
    out (or set to null) is off.  ``{"mode": ...}`` alone: nothing is checked."""
    out = {"mode": "warn" if t.get("mode") == "warn" else "enforce"}
    for key in TENANT_GROUPS:
        if isinstance(t.get(key), dict):
            out[key] = copy.deepcopy(t[key])
    return out


def build(p: dict) -> Policies:
    np = _map(p, "networkPolicy")
    cp = _map(np, "controlPlane")
    wl = _map(np, "workload")
    rq = _map(p, "resourceQuota")
    lr = _map(p, "limitRange")
    ps = _map(p, "podSecurity")
    return {
        "selection": p.get("selection") or "podLabel",
        "podSecurityStandard": p.get("podSecurityStandard") or "",
        "podSecurityVersion": p.get("podSecurityVersion") or "latest",
        "podSecurity": {"mode": ps.get("mode") or "enforce",
                        "exemptions": [{"kind": e["kind"], "name": e["name"]} for e in ps.get("exemptions") or []]},
        "workloadKinds": [_workload_kind(e) for e in p.get("workloadKinds") or []],
        "unknownWorkloads": p.get("unknownWorkloads") or "error",
        **_mutations(p),
        "tenant": tenant(_map(p, "tenant")),
        "networkPolicy": {
            "enabled": np.get("enabled") is True,
            "fallbackDns": np.get("fallbackDns") or "",
            "labels": _strings(_map(np, "labels")),
            "annotations": _strings(_map(np, "annotations")),
            "dns": _dns(np),
            "controlPlane": {"selector": (copy.deepcopy(cp["selector"])
                                          if isinstance(cp.get("selector"), dict) else None),
                             "platform": cp.get("platform") is True,
                             "ingress": _list(cp, "ingress"), "egress": _list(cp, "egress")},
            "workload": {"publicEgress": _public_egress(wl),
                         "ingress": _list(wl, "ingress"), "egress": _list(wl, "egress")},
            **_traffic(np),
            **_project_and_confine(np),
        },
        "resourceQuota": {
            "enabled": resolve_enabled(rq.get("enabled"), lr.get("enabled")),
            "quota": _resources(_map(rq, "quota")),
            "scopes": _list(rq, "scopes"),
            "scopeSelector": copy.deepcopy(_map(rq, "scopeSelector")),
            "labels": _strings(_map(rq, "labels")),
            "annotations": _strings(_map(rq, "annotations")),
        },
        "limitRange": {
            "enabled": resolve_enabled(lr.get("enabled"), rq.get("enabled")),
            "default": _resources(_map(lr, "default")),
            "defaultRequest": _resources(_map(lr, "defaultRequest")),
            "min": _resources(_map(lr, "min")),
            "max": _resources(_map(lr, "max")),
            "labels": _strings(_map(lr, "labels")),
            "annotations": _strings(_map(lr, "annotations")),
        },
    }
