"""Hostnames: Ingress ``spec.rules[].host`` and ``spec.tls[].hosts``, Gateway API routes' ``spec.hostnames``
and Gateway listeners' ``hostname`` (Capsule's ``ingressOptions.allowedHostnames`` and
``allowWildcardHostnames``)."""
from __future__ import annotations

from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import allowed, describe_allowed, view

KEY = "ingress"
INGRESS_VERSIONS = frozenset({"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"})
GATEWAY_GROUPS = frozenset({"gateway.networking.k8s.io", "gateway.networking.x-k8s.io"})
ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute"})
EVERY_HOST = "*"  # what a rule without a host matches

RULES = (
    TenantRule("tenant.ingressHostname", "a hostname the tenant may not serve", """\
An Ingress host (`spec.rules[].host`, `spec.tls[].hosts`), a Gateway API route hostname (HTTPRoute, GRPCRoute,
TLSRoute `spec.hostnames`) or a Gateway listener's `hostname` that `policies.tenant.ingress.hostnames` does
not allow. Capsule's `ingressOptions.allowedHostnames`.

An allowed entry is an exact hostname (compared ignoring case) or `*.example.com`, which allows any name under
`example.com` (one or more labels) and the wildcard host itself; `allowedRegex` is matched against the
hostname. What matches every hostname is a violation too: an Ingress rule without `host`, an Ingress
`defaultBackend`, a route without `hostnames`, a listener without `hostname` (on a shared controller they
take traffic for hosts other tenants own).

```yaml
policies:
  tenant:
    ingress:
      hostnames:
        allowed: [shop.example.com, "*.team-a.example.com"]
```
"""),
    TenantRule("tenant.wildcardHostname", "a wildcard hostname the tenant may not use", """\
With `policies.tenant.ingress.allowWildcardHostnames: false`, a hostname starting with `*` on an Ingress, a
route or a listener. Capsule's `ingressOptions.allowWildcardHostnames`.
"""),
)


def hostnames(doc, obj) -> list[tuple[str, str]]:
    """(dotted path, hostname) of every hostname the object serves; ``EVERY_HOST`` where it serves all."""
    spec = obj.get("spec") if isinstance(obj, dict) and isinstance(obj.get("spec"), dict) else {}
    out: list[tuple[str, str]] = []
    group = (doc.api_version or "").rsplit("/", 1)[0] if "/" in (doc.api_version or "") else ""
    if doc.kind == "Ingress" and doc.api_version in INGRESS_VERSIONS:
        rules = spec.get("rules")
        for i, rule in enumerate(rules if isinstance(rules, list) else ()):
            if not isinstance(rule, dict):
                continue
            host = rule.get("host")
            out.append((f"spec.rules[{i}].host", host if isinstance(host, str) and host else EVERY_HOST))
        backend = spec.get("defaultBackend") or spec.get("backend")
        if isinstance(backend, dict) and backend:
            out.append(("spec.defaultBackend" if "defaultBackend" in spec else "spec.backend", EVERY_HOST))
        tls = spec.get("tls")
        for i, entry in enumerate(tls if isinstance(tls, list) else ()):
            hosts = entry.get("hosts") if isinstance(entry, dict) else None
            for j, host in enumerate(hosts if isinstance(hosts, list) else ()):
                if isinstance(host, str):
                    out.append((f"spec.tls[{i}].hosts[{j}]", host))
    elif group in GATEWAY_GROUPS and doc.kind in ROUTE_KINDS:
        names = spec.get("hostnames")
        if isinstance(names, list) and names:
            out += [(f"spec.hostnames[{i}]", h) for i, h in enumerate(names) if isinstance(h, str)]
        else:
            out.append(("spec.hostnames", EVERY_HOST))
    elif group in GATEWAY_GROUPS and doc.kind == "Gateway":
        listeners = spec.get("listeners")
        for i, listener in enumerate(listeners if isinstance(listeners, list) else ()):
            if isinstance(listener, dict):
                host = listener.get("hostname")
                out.append((f"spec.listeners[{i}].hostname", host if isinstance(host, str) and host else EVERY_HOST))
    return out


def host_allowed(host: str, config: dict) -> bool:
    name = host.lower().rstrip(".")
    for entry in config.get("allowed") or ():
        entry = str(entry).lower()
        if name == entry:
            return True
        if entry.startswith("*.") and name.endswith(entry[1:]) and len(name) > len(entry) - 1:
            return True
    return host != EVERY_HOST and allowed(host, {"allowedRegex": config.get("allowedRegex")})


def check(docs: list, config: dict, declared: tuple) -> list[Violation]:
    out: list[Violation] = []
    names, wildcards = config.get("hostnames"), config.get("allowWildcardHostnames")
    for doc in docs:
        if doc.kind not in ("Ingress", "Gateway") and doc.kind not in ROUTE_KINDS:
            continue
        obj = view(doc)
        for path, host in hostnames(doc, obj):
            if names is not None and not host_allowed(host, names):
                what = ("matches every hostname" if host == EVERY_HOST else f"hostname {host!r} is not allowed")
                out.append(Violation("tenant.ingressHostname", doc, path,
                                     f"{what} ({describe_allowed(names)})"))
            if wildcards is False and host != EVERY_HOST and host.startswith("*"):
                out.append(Violation("tenant.wildcardHostname", doc, path,
                                     f"wildcard hostname {host!r} is not allowed "
                                     "(policies.tenant.ingress.allowWildcardHostnames: false)"))
    return out
