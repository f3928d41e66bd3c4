"""Names and metadata shared by every object vnp generates.

Every name carries the release name so two releases in one namespace never
collide, and every object carries vnp's own labels, which user labels can
never override: the post-renderer finds (and replaces) its own objects by them.
"""
from __future__ import annotations

import re

from helm_vnp.base.digest import sha256_hex
from helm_vnp.base.names import GENERATED_BY_LABEL, GENERATED_BY_VALUE, RELEASE_LABEL

MAX_NAME = 253  # DNS-1123 subdomain, the name rule of NetworkPolicy, ResourceQuota, LimitRange
_HASH_LEN = 8
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*")


def object_name(*parts: str) -> str:
    """``vnp-<part>-<part>...`` as a valid DNS subdomain of at most 253 characters.

    A name that is too long or not valid as joined is cut down and suffixed
    with a short hash of the full joined name, so distinct inputs keep
    distinct names and the same input always gives the same name.
    """
    name = "-".join(("vnp",) + parts)
    if len(name) <= MAX_NAME and _SUBDOMAIN.fullmatch(name):
        return name
    digest = sha256_hex(name.encode())[:_HASH_LEN]
    if not _SUBDOMAIN.fullmatch(name):
        name = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    return f"{name[: MAX_NAME - _HASH_LEN - 1].rstrip('-.')}-{digest}"


def metadata(
    name: str,
    namespace: str | None,
    release: str,
    labels: dict[str, str],
    annotations: dict[str, str],
) -> dict:
    """ObjectMeta: user labels/annotations (sorted) with vnp's labels always winning.

    ``namespace`` is set only when given; otherwise Helm puts the object in
    the release namespace.  ``annotations`` is omitted when there are none.
    """
    ours = {GENERATED_BY_LABEL: GENERATED_BY_VALUE, RELEASE_LABEL: release}
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["labels"] = dict(sorted({**labels, **ours}.items()))
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    return meta


def new_object(api_version: str, kind: str, meta: dict, spec: dict) -> dict:
    """One generated object, keys always in the order kubectl prints them."""
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": spec}


def quantities(resources: dict) -> dict[str, str]:
    """Resource name -> quantity, sorted by name, every value a string (as the API returns it)."""
    return {name: str(value) for name, value in sorted(resources.items())}
