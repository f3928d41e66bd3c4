"""The ResourceQuota that caps what the release may consume in its namespace."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from helm_vnp.generate.meta import metadata, new_object, object_name, quantities

if TYPE_CHECKING:
    from helm_vnp.config.model import Policies


def resource_quota(policies: Policies, release: str, namespace: str | None) -> list[dict]:
    """``vnp-<release>`` with ``hard`` = the configured quota; [] when disabled."""
    rq = policies["resourceQuota"]
    if not rq["enabled"]:
        return []
    spec: dict = {"hard": quantities(rq["quota"])}
    if rq["scopes"]:
        spec["scopes"] = list(rq["scopes"])
    if rq["scopeSelector"]:
        spec["scopeSelector"] = copy.deepcopy(rq["scopeSelector"])
    meta = metadata(object_name(release), namespace, release, rq["labels"], rq["annotations"])
    return [new_object("v1", "ResourceQuota", meta, spec)]
