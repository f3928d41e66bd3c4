"""Images: allowed registries, the effective imagePullPolicy, digests (Capsule's ``containerRegistries`` and
``imagePullPolicies``), on every container (init, regular, ephemeral) of every pod spec vnp knows."""
from __future__ import annotations

import re

from helm_vnp.base.record import record
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import OPERATOR, checked, containers, describe_allowed, dotted, regex, view

KEY = "images"
DEFAULT_REGISTRY = "docker.io"
_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}\Z")

RULES = (
    TenantRule("tenant.imageRegistry", "a container image from a registry the tenant may not pull from", """\
A container (init, regular or ephemeral, of every pod-creating object vnp knows; for prometheus-operator's
kinds, `spec.image` and the containers they merge into their pods) whose image is not from a registry allowed
by `policies.tenant.images.registries`. Capsule's `containerRegistries`.

How the image is read: as the container runtime resolves it. No registry host (`nginx`, `bitnami/redis`) is
`docker.io` (official images under `docker.io/library/`), `index.docker.io` is `docker.io`. An allowed entry
without `/` is a registry host, compared with that; an entry ending in `/` is a prefix of the normalised
reference (`registry.example.com/team-a/` allows only that project); `allowedRegex` is matched against the
registry host, as Capsule matches it. A container without an image cannot be checked: a violation.

```yaml
policies:
  tenant:
    images:
      registries:
        allowed: [registry.example.com, quay.io/team-a/]
        allowedRegex: ^mirror\\.[a-z]+\\.example\\.com$
```

Fix: mirror the image into an allowed registry and set the chart's image values to it.
"""),
    TenantRule("tenant.imagePullPolicy", "an imagePullPolicy the tenant may not use", """\
A container whose effective `imagePullPolicy` is not in `policies.tenant.images.pullPolicy.allowed`.
Capsule's `imagePullPolicies`. The effective policy is the chart's, or, when unset, what Kubernetes defaults it
to: `Always` for an image tagged `latest` or untagged and without a digest, else `IfNotPresent`. A tenant
required to use `Always` (images re-authorised on every start, so a pulled private image cannot be reused
by another tenant's pod on the node) is caught even where the chart left the field out.
"""),
    TenantRule("tenant.imageDigest", "a container image not pinned by digest", """\
With `policies.tenant.images.requireDigest: true`, a container whose image carries no digest
(`@sha256:...`): a tag can be moved to other content after review.
"""),
)


@record(frozen=True)
class Reference:
    """An image reference as the runtime resolves it (distribution/reference ParseNormalizedNamed)."""
    registry: str
    repository: str  # path under the registry (library/nginx)
    tag: str  # "" when none
    digest: str  # "" when none

    @property
    def normalised(self) -> str:
        out = f"{self.registry}/{self.repository}"
        if self.tag:
            out += f":{self.tag}"
        return out + (f"@{self.digest}" if self.digest else "")


def parse_image(image: str) -> Reference:
    """``nginx`` -> docker.io/library/nginx; ``localhost:5000/x:1`` keeps its host.  The first path component
    is a registry host when it has a ``.`` or ``:``, is ``localhost``, or has upper-case letters (which no
    repository path may have), as the runtimes decide."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    first, sep, rest = name.partition("/")
    if sep and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        registry, path = first, rest
    else:
        registry, path = DEFAULT_REGISTRY, name
    if registry == "index.docker.io":
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and "/" not in path:
        path = f"library/{path}"
    return Reference(registry, path, tag, digest)


def effective_pull_policy(container: dict, image: str) -> str:
    """The container's ``imagePullPolicy``, or what Kubernetes defaults it to (pkg/apis/core/v1 defaults:
    ``Always`` when the image's tag is ``latest``, which an image with neither tag nor digest has, else
    ``IfNotPresent``)."""
    policy = container.get("imagePullPolicy")
    if isinstance(policy, str) and policy:
        return policy
    ref = parse_image(image)
    tag = ref.tag or ("" if ref.digest else "latest")
    return "Always" if tag == "latest" else "IfNotPresent"


def registry_allowed(ref: Reference, config: dict) -> bool:
    for entry in config.get("allowed") or ():
        entry = str(entry)
        if entry.endswith("/"):
            if ref.normalised.startswith(entry) or ref.normalised.startswith(_normalised_prefix(entry)):
                return True
        elif entry == ref.registry or (entry == "index.docker.io" and ref.registry == DEFAULT_REGISTRY):
            return True
    rx = regex(str(config.get("allowedRegex") or ""))
    return bool(rx and rx.search(ref.registry))


def _normalised_prefix(entry: str) -> str:
    """An allowed prefix written as an image would be (``bitnami/``: docker.io/bitnami/; ``index.docker.io/x/``:
    docker.io/x/), normalised the same way; a prefix is a path, never given ``library/``."""
    first, _, rest = entry.partition("/")
    if any(c in first for c in ".:") or first == "localhost" or first.lower() != first:
        return (DEFAULT_REGISTRY if first == "index.docker.io" else first) + "/" + rest
    return f"{DEFAULT_REGISTRY}/{entry}"


def check(docs: list, config: dict, declared: tuple) -> list[Violation]:
    out: list[Violation] = []
    registries, pull, digest = config.get("registries"), config.get("pullPolicy"), config.get("requireDigest")
    for doc in checked(docs, declared):
        obj = view(doc)
        for path, list_name, container in containers(doc, obj, declared):
            if not isinstance(container, dict) or (list_name == OPERATOR and "image" not in container):
                continue  # an operator's merged container without an image keeps the operator's
            name = container.get("name")
            who = (f"container {name!r}" if isinstance(name, str) else
                   "the main container" if list_name == OPERATOR else "a container")
            image = container.get("image")
            where = dotted(path + ("image",))
            if not isinstance(image, str) or not image.strip():
                if registries is not None or digest:
                    out.append(Violation("tenant.imageRegistry" if registries is not None else "tenant.imageDigest",
                                         doc, where, f"{who} has no image vnp can check"))
                continue
            image = image.strip()
            ref = parse_image(image)
            if registries is not None and not registry_allowed(ref, registries):
                shown = f"{image!r}" + (f" ({ref.normalised})" if ref.normalised != image else "")
                out.append(Violation("tenant.imageRegistry", doc, where,
                                     f"{who}: image {shown} is from registry {ref.registry}, "
                                     f"not an allowed one ({describe_allowed(registries)})"))
            if pull is not None:
                policy = effective_pull_policy(container, image)
                if policy not in (pull.get("allowed") or ()):
                    set_ = isinstance(container.get("imagePullPolicy"), str) and container.get("imagePullPolicy")
                    why = "" if set_ else f" (unset: Kubernetes defaults it to {policy} for this image)"
                    out.append(Violation("tenant.imagePullPolicy", doc, dotted(path + ("imagePullPolicy",)),
                                         f"{who}: imagePullPolicy {policy}{why} is not allowed (allowed: "
                                         f"{', '.join(pull.get('allowed') or ()) or 'none'})"))
            if digest and not (ref.digest and _DIGEST.match(ref.digest)):
                out.append(Violation("tenant.imageDigest", doc, where,
                                     f"{who}: image {image!r} is not pinned by digest (@sha256:...)"))
    return out
