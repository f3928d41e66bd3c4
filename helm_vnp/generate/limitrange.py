"""The LimitRange that gives containers without resources sane defaults and bounds.

Without it a ResourceQuota on cpu/memory rejects every pod that does not set
requests and limits itself; vCluster deploys the two together for that reason.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from helm_vnp.generate.meta import metadata, new_object, object_name, quantities

if TYPE_CHECKING:
    from helm_vnp.config.model import Policies

FIELDS = ("default", "defaultRequest", "min", "max")


def limit_range(policies: Policies, release: str, namespace: str | None) -> list[dict]:
    """``vnp-<release>`` with one Container limit; empty maps are left out; [] when disabled."""
    lr = policies["limitRange"]
    if not lr["enabled"]:
        return []
    limit: dict = {"type": "Container"}
    for field in FIELDS:
        if lr[field]:
            limit[field] = quantities(lr[field])
    meta = metadata(object_name(release), namespace, release, lr["labels"], lr["annotations"])
    return [new_object("v1", "LimitRange", meta, {"limits": [limit]})]
