"""Objects vnp appends to a release: NetworkPolicies, a ResourceQuota, a LimitRange.

Generators read only the normalised ``Policies`` (helm_vnp.config.model) and
return plain dicts, always the same dict in the same key order for the same
input, so the post-rendered stream is stable across runs and diffs cleanly.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from helm_vnp.generate.limitrange import limit_range
from helm_vnp.generate.networkpolicy import network_policies, traffic_policies
from helm_vnp.generate.resourcequota import resource_quota

if TYPE_CHECKING:
    from helm_vnp.config.model import Policies

__all__ = ["generate_all"]


def generate_all(
    policies: Policies, release: str, namespace: str | None, workloads: Sequence[dict], entries: Sequence = (),
    extra_egress: Sequence[dict] = (),
) -> list[dict]:
    """Every object to append, in order: NetworkPolicies (the fence, then one per entry point the
    release declares), ResourceQuota, LimitRange.

    ``workloads`` are ``{"kind", "name", "selector"}`` of the release's pod
    controllers; used only in ``workloadSelectors`` mode, where a ``None``
    selector means the workload cannot be selected and gets no policy (the
    caller reports it).  ``entries``: the entry points the release's objects declare
    (``helm_vnp.generate.traffic.entry_points``); each opened one gets its policy.  ``extra_egress``: rules
    the workload policy gets besides its own (``generate.mapservices``: towards mapped services).  ``namespace`` None
    leaves the namespace to Helm.
    Nothing enabled -> [].
    """
    return (
        network_policies(policies, release, namespace, workloads, extra_egress)
        + (traffic_policies(policies, release, namespace, entries)
           if entries and policies["networkPolicy"]["enabled"] else [])
        + resource_quota(policies, release, namespace)
        + limit_range(policies, release, namespace)
    )
