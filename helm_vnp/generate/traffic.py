"""The traffic the release's own objects declare: who must reach which of its pods, on which ports.

The release says it: an Ingress or a Gateway API route sends its controller's
traffic to a backend Service; an admission webhook, an APIService or a CRD
conversion webhook is called by the API server through a Service; a
LoadBalancer/NodePort Service (or one with externalIPs) takes traffic from
outside; a ServiceMonitor/PodMonitor is scraped by Prometheus.  Each becomes
an ``Entry``: the object that caused it, the release pods it reaches (the
release label AND the Service's selector), the pod ports (the Service's
target ports; a named targetPort stays a name, which NetworkPolicy resolves
against each selected pod's container ports exactly as the Service does),
and the peers from ``policies.networkPolicy`` - or why no peer is known, in
which case the entry point stays blocked.

Only objects in the release's namespace are considered: vnp isolates only
there.  A backend Service that the release does not render opens nothing (its
pods are not the release's to open; if they are, the chart should render it).
Pure: parsed objects in, entries out, in a stable order.
"""
from __future__ import annotations

from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.base.record import field, record
from helm_vnp.k8s import services as svc
from helm_vnp.k8s.ingress import CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION
from helm_vnp.k8s.rbac import BINDING_KINDS as RBAC_BINDING_KINDS
from helm_vnp.k8s.rbac import RBAC_GROUP, ROLE_KINDS, service_account_bindings
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload, pod_template, selector_of

INGRESS, ROUTE, API_SERVER, EXPOSED, SCRAPE = "ingress", "route", "apiServer", "exposed", "scrape"
API_CALLER = "apiCaller"  # the one egress path: release pods that call the API server
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
WEBHOOK_KINDS = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")
MONITOR_KINDS = ("ServiceMonitor", "PodMonitor")
# what says which ServiceAccounts call the API (k8s.rbac.service_account_bindings reads them)
RBAC_KINDS = ROLE_KINDS + RBAC_BINDING_KINDS
# every kind an entry point can come from (what the post-renderer parses; nothing else is)
KINDS = frozenset(("Service", "Ingress", "IngressClass", "APIService", "CustomResourceDefinition")
                  + ROUTE_KINDS + WEBHOOK_KINDS + MONITOR_KINDS)
# what says which pods call the API server: parsed only when the release binds a ServiceAccount
CALLER_KINDS = frozenset(("ServiceAccount",) + tuple(POD_METADATA_PATH))
NETPOL = "policies.networkPolicy"


@record(frozen=True)
class Entry:
    """One way into the release that one of its objects declares."""
    category: str  # INGRESS, ROUTE, API_SERVER, EXPOSED, SCRAPE
    kind: str  # the object that declares it
    name: str
    target: str  # "Service web" / "pods selected by PodMonitor x"
    selector: dict  # the release pods it reaches (a LabelSelector)
    ports: tuple  # NetworkPolicyPort dicts (pod side)
    peers: tuple  # NetworkPolicyPeer dicts; () = blocked
    via: str  # how the peers were chosen ("ingress class nginx", "policies.networkPolicy.apiServer.peers")
    blocked: str = ""  # why nothing is opened (empty when opened)
    fatal: bool = False  # when blocked, something else stops working (a Fail webhook, an APIService, conversion)
    fatal_why: str = ""
    namespace: str = field(default="", compare=False)  # the declaring object's namespace ("" cluster-scoped)
    direction: str = "ingress"  # "egress" for API_CALLER: the selected pods reach the peers

    @property
    def opened(self) -> bool:
        return bool(self.peers) and not self.blocked

    @property
    def reason(self) -> str:
        """``Ingress web -> Service web:http/TCP (ingress class nginx)``: the generated policy's annotation."""
        shown = ",".join(svc.show_port(p) for p in self.ports)
        if self.target == f"{self.kind} {self.name}":  # an exposed Service
            return f"{self.target}:{shown} ({self.via})"
        return f"{self.kind} {self.name} -> {self.target}:{shown} ({self.via})"


def _meta(obj: dict) -> dict:
    m = obj.get("metadata")
    return m if isinstance(m, dict) else {}


def _name(obj: dict) -> str:
    return str(_meta(obj).get("name") or "")


def _dict(v) -> dict:
    return v if isinstance(v, dict) else {}


def _listof(v) -> list:
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


class _Release:
    """The release's objects of the kinds that matter, indexed."""

    def __init__(self, objects, release: str, namespace: str | None, policies: dict | None):
        self.release, self.namespace = release, namespace
        self.netpol = policies["networkPolicy"] if policies else {}
        self.pod_label = bool(policies) and policies["selection"] == "podLabel"
        self.by_kind: dict[str, list[dict]] = {}
        for obj in objects:
            if isinstance(obj, dict) and (obj.get("kind") in KINDS or obj.get("kind") in RBAC_KINDS
                                      or obj.get("kind") in CALLER_KINDS):
                self.by_kind.setdefault(str(obj["kind"]), []).append(obj)
        self.services = {_name(s): s for s in self.kind("Service", "v1") if self.local(s) and _name(s)}

    def kind(self, kind: str, *api_prefixes: str) -> list[dict]:
        out = self.by_kind.get(kind, [])
        if api_prefixes:
            out = [o for o in out if any(str(o.get("apiVersion") or "") == p or
                                         str(o.get("apiVersion") or "").startswith(p + "/") for p in api_prefixes)]
        return out

    def local(self, obj: dict) -> bool:
        """In the release namespace (unset: Helm puts it there)."""
        ns = _meta(obj).get("namespace")
        return not ns or self.namespace is None or ns == self.namespace

    def same_ns(self, ns) -> bool:
        return not ns or self.namespace is None or ns == self.namespace

    def pods_of(self, labels: dict | None, expressions: list | None = None) -> dict | None:
        """The release's pods that also carry ``labels``: the selector of a generated policy; None when
        the labels contradict the release label (they can select no release pod)."""
        if labels is not None and not isinstance(labels, dict) or not _valid_expressions(expressions):
            return None  # a malformed selector: open nothing rather than guess
        if not labels and not expressions:
            return None
        match = {str(k): str(v) for k, v in (labels or {}).items()}
        if self.pod_label:
            if match.get(RELEASE_LABEL, self.release) != self.release:
                return None
            match[RELEASE_LABEL] = self.release
        out: dict = {"matchLabels": dict(sorted(match.items()))} if match else {}
        if expressions:
            out["matchExpressions"] = expressions
        return out


def _valid_expressions(expressions) -> bool:
    if expressions is None:
        return True
    return isinstance(expressions, list) and all(
        isinstance(e, dict) and isinstance(e.get("key"), str) and e.get("operator") in ("In", "NotIn", "Exists",
                                                                                         "DoesNotExist")
        and (e.get("values") is None or isinstance(e.get("values"), list) and
             all(isinstance(v, str) for v in e["values"])) for e in expressions)


def _port_ref(value) -> int | str | None:
    """A port reference as the API allows it (a number or a name); anything else is no port."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        return None
    return value


def entry_points(objects, policies: dict, release: str, namespace: str | None) -> list[Entry]:
    """Every entry point the release's objects declare (opened or blocked), sorted."""
    r = _Release(objects, release, namespace, policies)
    found = _ingresses(r) + _routes(r) + _api_server(r) + _exposed(r) + _scrapes(r) + _api_callers(r)
    unique = {(e.category, e.kind, e.name, e.target): e for e in found}
    return sorted(unique.values(), key=lambda e: (e.category, e.kind, e.name, e.target))


# -- Ingress ------------------------------------------------------------------------------------

def _class_of(r: _Release, ing: dict) -> tuple[str, str]:
    """(class, how it was decided): spec.ingressClassName, the legacy annotation, the release's default
    IngressClass, policies.networkPolicy.defaultIngressClass; ("", ...) when none says."""
    name = _dict(ing.get("spec")).get("ingressClassName")
    if isinstance(name, str) and name:
        return name, f"ingress class {name}"
    ann = _dict(_meta(ing).get("annotations")).get(CLASS_ANNOTATION)
    if isinstance(ann, str) and ann:
        return ann, f"ingress class {ann} (annotation {CLASS_ANNOTATION})"
    for ic in r.kind("IngressClass", "networking.k8s.io"):
        if str(_dict(_meta(ic).get("annotations")).get(DEFAULT_CLASS_ANNOTATION)).lower() == "true":
            return _name(ic), f"ingress class {_name(ic)} (the release's default IngressClass)"
    default = r.netpol["defaultIngressClass"]
    if default:
        return default, f"ingress class {default} ({NETPOL}.defaultIngressClass)"
    return "", "no ingress class"


def _controller_peers(r: _Release, cls: str) -> tuple[list, str]:
    """(peers, why blocked) of an ingress class: the configured entry, else the preset of the controller
    that the release's own IngressClass of that name names."""
    from helm_vnp.config.defaults import INGRESS_CONTROLLER_NAMES
    controllers = r.netpol["ingressControllers"]
    key = f"{NETPOL}.ingressControllers"
    if not cls:
        return [], (f"the Ingress names no class and the release has no default IngressClass: set "
                    f"{NETPOL}.defaultIngressClass (and {key}.<class>.peers unless it is a preset)")
    if cls in controllers:
        peers = controllers[cls]
        return peers, "" if peers else f"{key}.{cls} is none"
    for ic in r.kind("IngressClass", "networking.k8s.io"):
        preset = INGRESS_CONTROLLER_NAMES.get(str(_dict(ic.get("spec")).get("controller") or ""))
        if _name(ic) == cls and preset in controllers:
            peers = controllers[preset]
            return peers, "" if peers else f"{key}.{preset} is none"
    return [], f"ingress class {cls} has no preset: name its controller's pods in {key}.{cls}.peers"


def _ingress_backends(ing: dict) -> list[tuple[str, int | str | None]]:
    """(Service name, Service port number or name) of every backend (networking.k8s.io/v1 and v1beta1)."""
    spec = _dict(ing.get("spec"))
    backends = [spec.get("defaultBackend"), spec.get("backend")]
    for rule in _listof(spec.get("rules")):
        backends += [p.get("backend") for p in _listof(_dict(rule.get("http")).get("paths"))]
    out = []
    for b in backends:
        b = _dict(b)
        if isinstance(b.get("service"), dict):
            s = b["service"]
            port = _dict(s.get("port"))
            ref = _port_ref(port.get("number") if port.get("number") is not None else port.get("name"))
            if ref is not None:
                out.append((str(s.get("name") or ""), ref))
        elif b.get("serviceName") and _port_ref(b.get("servicePort")) is not None:
            out.append((str(b["serviceName"]), _port_ref(b.get("servicePort"))))
    return [(n, p) for n, p in dict.fromkeys(out) if n]


def _ingresses(r: _Release) -> list[Entry]:
    out = []
    for ing in r.kind("Ingress", "networking.k8s.io", "extensions"):
        if not r.local(ing):
            continue
        cls, via = _class_of(r, ing)
        peers, blocked = _controller_peers(r, cls)
        out += _to_services(r, INGRESS, ing, _ingress_backends(ing), peers, via, blocked)
    return out


def _to_services(r: _Release, category: str, cause: dict, backends, peers, via: str, blocked: str,
                 fatal: bool = False, fatal_why: str = "") -> list[Entry]:
    """One entry per backend Service of the release (ports of one Service merged)."""
    by_service: dict[str, list] = {}
    for name, ref in backends:
        service = r.services.get(name)
        if service is None:
            continue  # not the release's: nothing of ours to open
        ports = by_service.setdefault(name, [])
        for p in svc.target_ports(service, ref):
            if p not in ports:
                ports.append(p)
    out = []
    for name, ports in by_service.items():
        selector = r.pods_of(svc.selector(r.services[name]))
        if selector is None or not ports:
            continue  # selects none of the release's pods, or names no port it has
        out.append(Entry(category, str(cause.get("kind")), _name(cause), f"Service {name}", selector, tuple(ports),
                         tuple(peers) if not blocked else (), via, blocked, fatal, fatal_why,
                         str(_meta(cause).get("namespace") or "")))
    return out


# -- Gateway API routes -------------------------------------------------------------------------

def _routes(r: _Release) -> list[Entry]:
    from helm_vnp.config.defaults import gateway_preset
    out = []
    for kind in ROUTE_KINDS:
        for route in r.kind(kind, "gateway.networking.k8s.io"):
            if not r.local(route):
                continue
            route_ns = str(_meta(route).get("namespace") or r.namespace or "default")
            spec = _dict(route.get("spec"))
            peers: list = []
            names, off = [], []
            for ref in _listof(spec.get("parentRefs")):
                if (ref.get("kind") or "Gateway") != "Gateway" or \
                        (ref.get("group") or "gateway.networking.k8s.io") != "gateway.networking.k8s.io":
                    continue
                key = f"{ref.get('namespace') or route_ns}/{ref.get('name')}"
                names.append(key)
                configured = r.netpol["gateways"].get(key)
                found = gateway_preset(*key.split("/", 1)) if configured is None else configured
                if not found:
                    off.append(key)
                peers += [p for p in found if p not in peers]
            via = "Gateway " + ", ".join(names) if names else "no parent Gateway"
            blocked = "" if peers else (f"{NETPOL}.gateways.{off[0]} is none" if off else "the route names no Gateway")
            backends = []
            for rule in _listof(spec.get("rules")):
                for b in _listof(rule.get("backendRefs")):
                    if (b.get("kind") or "Service") == "Service" and not b.get("group") and \
                            r.same_ns(b.get("namespace") or route_ns) and _port_ref(b.get("port")) is not None:
                        backends.append((str(b.get("name") or ""), _port_ref(b.get("port"))))
            out += _to_services(r, ROUTE, route, backends, peers, via, blocked)
    return out


# -- the API server -----------------------------------------------------------------------------

def _service_ref(r: _Release, ref) -> tuple[str, int] | None:
    """(Service name, port) of a webhook/APIService ``service`` reference to a release Service."""
    ref = _dict(ref)
    if not ref.get("name") or not r.same_ns(ref.get("namespace")):
        return None
    port = ref.get("port") if isinstance(ref.get("port"), int) and not isinstance(ref.get("port"), bool) else 443
    return str(ref["name"]), port


def _api_server(r: _Release) -> list[Entry]:
    peers = r.netpol["apiServer"]["peers"]
    blocked = "" if peers else f"{NETPOL}.apiServer.peers is empty"
    via = f"{NETPOL}.apiServer.peers"
    out = []
    for kind in WEBHOOK_KINDS:
        for cfg in r.kind(kind, "admissionregistration.k8s.io"):
            v1 = str(cfg.get("apiVersion")).endswith("/v1")
            refs, fatal = [], False
            for hook in _listof(cfg.get("webhooks")):
                ref = _service_ref(r, _dict(hook.get("clientConfig")).get("service"))
                if ref is None:
                    continue
                refs.append(ref)
                fatal |= (hook.get("failurePolicy") or ("Fail" if v1 else "Ignore")) == "Fail"
            why = "failurePolicy Fail: the API server refuses every request the webhook matches, cluster-wide"
            out += _to_services(r, API_SERVER, cfg, refs, peers, via, blocked, fatal, why if fatal else "")
    for api in r.kind("APIService", "apiregistration.k8s.io"):
        ref = _service_ref(r, _dict(api.get("spec")).get("service"))
        if ref is not None:
            out += _to_services(r, API_SERVER, api, [ref], peers, via, blocked, True,
                                "an unavailable APIService breaks API discovery and namespace deletion")
    for crd in r.kind("CustomResourceDefinition", "apiextensions.k8s.io"):
        conv = _dict(_dict(crd.get("spec")).get("conversion"))
        if conv.get("strategy") != "Webhook":
            continue
        config = _dict(_dict(conv.get("webhook")).get("clientConfig")) or _dict(conv.get("webhookClientConfig"))
        ref = _service_ref(r, config.get("service"))
        if ref is not None:
            out += _to_services(r, API_SERVER, crd, [ref], peers, via, blocked, True,
                                "objects stored in another version can no longer be read or written")
    return out


# -- Services exposed outside the cluster -------------------------------------------------------

def _exposed(r: _Release) -> list[Entry]:
    from helm_vnp.config.defaults import ANYWHERE
    blocked = "" if r.netpol["exposedServices"] == "allow" else f"{NETPOL}.exposedServices is deny"
    out = []
    for name, service in sorted(r.services.items()):
        how = svc.exposure(service)
        if how:
            out += _to_services(r, EXPOSED, service, [(name, None)], ANYWHERE, f"{how}: from every address", blocked)
    return out


# -- scrapes ------------------------------------------------------------------------------------

def _watches(r: _Release, monitor: dict) -> bool:
    """Does the monitor's namespaceSelector cover the release namespace?"""
    sel = _dict(_dict(monitor.get("spec")).get("namespaceSelector"))
    if sel.get("any") is True:
        return True
    names = sel.get("matchNames")
    if isinstance(names, list) and names:
        return r.namespace is None or r.namespace in [str(n) for n in names]
    return r.local(monitor)


def _scrapes(r: _Release) -> list[Entry]:
    from helm_vnp.k8s.netpol import selects
    mon = r.netpol["monitoring"]
    peers = mon["peers"]
    blocked = "" if peers else f"{NETPOL}.monitoring.peers is empty"
    via = f"{NETPOL}.monitoring"
    out = []
    for sm in r.kind("ServiceMonitor", "monitoring.coreos.com"):
        if not _watches(r, sm):
            continue
        spec = _dict(sm.get("spec"))
        selector = _dict(spec.get("selector"))
        if not isinstance(selector.get("matchLabels") or {}, dict) or \
                not _valid_expressions(selector.get("matchExpressions")):
            continue
        backends = []
        for name, service in sorted(r.services.items()):
            if not selects(selector, {str(k): str(v) for k, v in _dict(_meta(service).get("labels")).items()}):
                continue
            # the deprecated endpoints[].targetPort (a pod port) is not followed: it opens nothing
            backends += [(name, str(ep["port"])) for ep in _listof(spec.get("endpoints")) if ep.get("port")]
        out += _to_services(r, SCRAPE, sm, backends, peers, via, blocked)
    for pm in r.kind("PodMonitor", "monitoring.coreos.com"):
        if not _watches(r, pm):
            continue
        spec = _dict(pm.get("spec"))
        sel = _dict(spec.get("selector"))
        selector = r.pods_of(sel.get("matchLabels"), sel.get("matchExpressions") or None)
        ports = []
        for ep in _listof(spec.get("podMetricsEndpoints")):
            port = _port_ref(ep.get("port") or ep.get("portNumber") or ep.get("targetPort"))
            if port is not None and {"port": port, "protocol": "TCP"} not in ports:
                ports.append({"port": port, "protocol": "TCP"})
        if selector is not None and ports:
            out.append(Entry(SCRAPE, "PodMonitor", _name(pm), f"pods of PodMonitor {_name(pm)}", selector,
                             tuple(ports), tuple(peers) if not blocked else (), via, blocked,
                             namespace=str(_meta(pm).get("namespace") or "")))
    return out


# -- pods that call the API server --------------------------------------------------------------

def bound_service_accounts(objects, namespace: str | None) -> list[str]:
    """The names of the ServiceAccounts of the release namespace that the bindings among ``objects`` name."""
    return sorted(_bound_service_accounts(_Release(objects, "", namespace, None)))


def _bound_service_accounts(r: _Release) -> dict[str, list[str]]:
    """ServiceAccount (of the release namespace) -> the release's bindings that give it a role granting
    something (the evidence ``netpol.apiServer`` uses too)."""
    objects = [o for kind in RBAC_KINDS for o in r.kind(kind, RBAC_GROUP)]
    return {sa: bindings for (ns, sa), bindings in service_account_bindings(objects, r.namespace or "").items()
            if r.same_ns(ns)}


def _api_callers(r: _Release) -> list[Entry]:
    """Pods bound to RBAC roles with their token mounted (what ``netpol.apiServer`` looks for): egress to
    the API server on its ports."""
    bound = _bound_service_accounts(r)
    if not bound:
        return []
    api = r.netpol["apiServer"]
    peers, ports = api["peers"], tuple({"port": p, "protocol": "TCP"} for p in api["ports"])
    automount = {_name(sa): sa["automountServiceAccountToken"] for sa in r.kind("ServiceAccount", "v1")
                 if r.local(sa) and isinstance(sa.get("automountServiceAccountToken"), bool)}
    out = []
    for kind in POD_METADATA_PATH:
        for w in r.by_kind.get(kind, []):
            if not is_workload(kind, str(w.get("apiVersion") or "")) or not r.local(w):
                continue
            spec = _dict(_dict(pod_template(w, kind)).get("spec"))
            sa = str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")
            mounts = spec.get("automountServiceAccountToken")
            if sa not in bound or spec.get("hostNetwork") is True or mounts is False or \
                    (mounts is None and automount.get(sa) is False):
                continue
            sel = selector_of(w, kind) or {}
            selector = r.pods_of(sel.get("matchLabels"), sel.get("matchExpressions"))
            if selector is None or not ports:
                continue
            shown = ", ".join(bound[sa][:2]) + (f" and {len(bound[sa]) - 2} more" if len(bound[sa]) > 2 else "")
            out.append(Entry(API_CALLER, kind, _name(w), "the API server", selector, ports,
                             tuple(peers), f"ServiceAccount {sa}, bound by {shown}",
                             "" if peers else f"{NETPOL}.apiServer.peers is empty",
                             namespace=str(_meta(w).get("namespace") or ""), direction="egress"))
    return out
