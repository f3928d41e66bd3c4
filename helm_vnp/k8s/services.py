"""Service semantics: which pods a Service sends to, and on which of their ports.

A Service port forwards to ``targetPort`` on the selected pods: a number, or
the name of a container port (resolved per pod, as NetworkPolicy resolves a
named port), or, when absent, the Service port's own number.  A NetworkPolicy
port that names the same container port therefore admits exactly the traffic
the Service delivers, on every pod, however each pod numbers it.
"""
from __future__ import annotations

EXPOSED_TYPES = ("LoadBalancer", "NodePort")


def spec_of(obj: dict) -> dict:
    spec = obj.get("spec") if isinstance(obj, dict) else None
    return spec if isinstance(spec, dict) else {}


def selector(service: dict) -> dict[str, str] | None:
    """The Service's pod selector as labels; None when it has none (manual Endpoints, ExternalName)."""
    sel = spec_of(service).get("selector")
    if not isinstance(sel, dict) or not sel or spec_of(service).get("type") == "ExternalName":
        return None
    return {str(k): "" if v is None else str(v) for k, v in sel.items()}


def ports(service: dict) -> list[dict]:
    return [p for p in spec_of(service).get("ports") or [] if isinstance(p, dict)] \
        if isinstance(spec_of(service).get("ports"), list) else []


def target(port: dict) -> dict:
    """The NetworkPolicyPort (pod side) one Service port forwards to."""
    want = port.get("targetPort")
    if want is None or want == "" or want == 0:
        want = port.get("port")
    if isinstance(want, str) and want.isdigit():
        want = int(want)
    if isinstance(want, bool) or not isinstance(want, (int, str)):
        want = None  # not a port: the caller skips it
    protocol = port.get("protocol") if port.get("protocol") in ("TCP", "UDP", "SCTP") else "TCP"
    return {"port": want, "protocol": protocol}


def target_ports(service: dict, ref: int | str | None = None) -> list[dict]:
    """The pod ports behind Service port ``ref`` (its number or its name; None: every port), in
    Service order, without duplicates; [] when the Service has no such port."""
    out: list[dict] = []
    for p in ports(service):
        if ref is not None and not _is(p, ref):
            continue
        t = target(p)
        if t["port"] not in (None, "") and t not in out:
            out.append(t)
    return out


def _is(port: dict, ref: int | str) -> bool:
    if isinstance(ref, str) and not ref.isdigit():
        return str(port.get("name") or "") == ref
    return str(port.get("port")) == str(ref)


def exposure(service: dict) -> str:
    """How the Service is reachable from outside the cluster ("" when it is not): its type, externalIPs."""
    spec = spec_of(service)
    parts = []
    if spec.get("type") in EXPOSED_TYPES:
        parts.append(f"type {spec['type']}")
    external = spec.get("externalIPs")
    if isinstance(external, list) and external:
        parts.append("externalIPs " + ", ".join(str(x) for x in external))
    return "; ".join(parts)


def show_port(p: dict) -> str:
    """``http/TCP``, ``8443/TCP``."""
    return f"{p['port']}/{p.get('protocol') or 'TCP'}"
