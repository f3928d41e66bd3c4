"""Services: allowed types, externalIPs, LoadBalancer source ranges and classes, forbidden labels and
annotations (Capsule's ``serviceOptions``), on every v1 Service the chart renders."""
from __future__ import annotations

import ipaddress

from helm_vnp.k8s.services import spec_of
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import (
    allowed,
    describe_allowed,
    describe_denied,
    dotted,
    forbidden,
    inside,
    networks,
    text,
    view,
)

KEY = "services"
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"

RULES = (
    TenantRule("tenant.serviceType", "a Service of a type the tenant may not use", """\
A Service whose `spec.type` (ClusterIP when unset, as Kubernetes defaults it) is not in
`policies.tenant.services.allowedTypes`. Capsule's `serviceOptions.allowedServices` refuses such a Service at
admission; helm-vnp refuses it before install, with every other violation of the release.

Why: a NodePort opens a port on every node; a LoadBalancer buys an external address; an ExternalName points
cluster DNS anywhere.

Fix: use an allowed type (an Ingress or a Gateway route in front of a ClusterIP Service), or ask the platform
team to allow the type.

```yaml
policies:
  tenant:
    services:
      allowedTypes: [ClusterIP]
```
"""),
    TenantRule("tenant.serviceExternalIPs", "a Service externalIP outside the tenant's networks", """\
An address of a Service's `spec.externalIPs` that lies in none of
`policies.tenant.services.externalIPs.allowed` (`allowed: []`: no externalIPs at all). Capsule's
`serviceOptions.externalIPs`.

Why: externalIPs make every node accept traffic for that address and send it to the Service: a tenant can
capture traffic meant for another address (CVE-2020-8554).

Fix: drop `externalIPs`, or use an address of an allowed network.
"""),
    TenantRule("tenant.serviceSourceRanges", "a LoadBalancer open beyond the tenant's source ranges", """\
A LoadBalancer Service whose `spec.loadBalancerSourceRanges` (or, when that is empty, its
`service.beta.kubernetes.io/load-balancer-source-ranges` annotation, which Kubernetes then reads) holds a
range outside every network of `policies.tenant.services.loadBalancerSourceRanges.allowed`; with
`required: true`, also a LoadBalancer Service that sets no ranges (open to every address).

Fix: narrow the ranges to the allowed networks.
"""),
    TenantRule("tenant.serviceLoadBalancerClass", "a LoadBalancer class the tenant may not use", """\
A LoadBalancer Service whose `spec.loadBalancerClass` is not allowed by
`policies.tenant.services.loadBalancerClasses` (exact values or `allowedRegex`). An unset class (the
cluster's default load balancer) passes. Capsule's `serviceOptions` LoadBalancer class rules.
"""),
    TenantRule("tenant.serviceMetadata", "a Service label or annotation the tenant may not set", """\
A Service label key matching `policies.tenant.services.forbiddenLabels`, or an annotation key matching
`forbiddenAnnotations` (`denied` exact keys, `deniedRegex`). Capsule's `serviceOptions.forbiddenLabels` and
`forbiddenAnnotations`: annotations such as `metallb.universe.tf/address-pool` or
`service.beta.kubernetes.io/aws-load-balancer-internal` choose infrastructure the platform owns.
"""),
)


def check(docs: list, config: dict, declared: tuple) -> list[Violation]:
    out: list[Violation] = []
    for doc in docs:
        if doc.kind != "Service" or doc.api_version != "v1":
            continue
        obj = view(doc)
        if not isinstance(obj, dict):
            continue
        out += _check_one(doc, obj, spec_of(obj), config)
    return out


def _check_one(doc, obj, spec: dict, config: dict) -> list[Violation]:
    out = []
    kind = text(spec.get("type")) or "ClusterIP"
    types = config.get("allowedTypes")
    if types is not None and kind not in types:
        out.append(Violation("tenant.serviceType", doc, "spec.type",
                             f"type {kind} is not allowed (allowedTypes: {', '.join(types) or 'none'})"))
    ips = config.get("externalIPs")
    if ips is not None:
        nets = networks(ips.get("allowed"))
        values = spec.get("externalIPs")
        for i, ip in enumerate(values if isinstance(values, list) else ()):
            where = f"spec.externalIPs[{i}]"
            try:
                ok = inside(ipaddress.ip_address(str(ip).strip()), nets) if isinstance(ip, str) else False
            except ValueError:
                ok = False
            if not ok:
                allowed_text = ", ".join(str(n) for n in nets) or "none"
                out.append(Violation("tenant.serviceExternalIPs", doc, where,
                                     f"externalIP {ip!r} is outside the allowed networks ({allowed_text})"))
    ranges = config.get("loadBalancerSourceRanges")
    if ranges is not None and kind == "LoadBalancer":
        out += _source_ranges(doc, obj, spec, ranges)
    classes = config.get("loadBalancerClasses")
    if classes is not None and kind == "LoadBalancer":
        value = spec.get("loadBalancerClass")
        if value is not None and not (isinstance(value, str) and allowed(value, classes)):
            out.append(Violation("tenant.serviceLoadBalancerClass", doc, "spec.loadBalancerClass",
                                 f"loadBalancerClass {value!r} is not allowed ({describe_allowed(classes)})"))
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    for field, key in (("labels", "forbiddenLabels"), ("annotations", "forbiddenAnnotations")):
        spec_ = config.get(key)
        values = meta.get(field)
        if spec_ is None or not isinstance(values, dict):
            continue
        for name in values:
            if isinstance(name, str) and forbidden(name, spec_):
                out.append(Violation("tenant.serviceMetadata", doc, dotted(("metadata", field, name)),
                                     f"{field[:-1]} {name!r} is forbidden on Services ({describe_denied(spec_)})"))
    return out


def _source_ranges(doc, obj, spec: dict, config: dict) -> list[Violation]:
    nets = networks(config.get("allowed"))
    values = spec.get("loadBalancerSourceRanges")
    where = "spec.loadBalancerSourceRanges"
    ranges = [(f"{where}[{i}]", v) for i, v in enumerate(values)] if isinstance(values, list) and values else []
    if not ranges:  # Kubernetes reads the annotation when the field is empty
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ann = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
        value = ann.get(SOURCE_RANGES_ANNOTATION)
        if isinstance(value, str) and value.strip():
            path = dotted(("metadata", "annotations", SOURCE_RANGES_ANNOTATION))
            ranges = [(path, part.strip()) for part in value.split(",")]
    if not ranges:
        if config.get("required"):
            return [Violation("tenant.serviceSourceRanges", doc, where,
                              "a LoadBalancer without loadBalancerSourceRanges is open to every address "
                              "(policies.tenant.services.loadBalancerSourceRanges.required)")]
        return []
    out = []
    for path, value in ranges:
        try:  # the API server parses them sloppily: host bits may be set
            ok = isinstance(value, str) and inside(ipaddress.ip_network(value.strip(), strict=False), nets)
        except ValueError:
            ok = False
        if not ok:
            out.append(Violation("tenant.serviceSourceRanges", doc, path,
                                 f"source range {value!r} is outside the allowed networks "
                                 f"({', '.join(str(n) for n in nets) or 'none'})"))
    return out
