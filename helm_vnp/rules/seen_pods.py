"""Which pods of the release the hygiene rules can see, and what might create pods they cannot.

Not a rule: shared by the rules that ask "does this selector match a pod of the
release?" (``netpol.selectsNothing``, ``netpol.peerMatchesNothing``,
``service.selectsNothing``).  A pod an operator creates from a custom resource
(a ``Prometheus``, a ``VirtualMachine``) is not in ``release.pods`` unless vnp knows
the kind; when the release renders custom resources, "matches no pod" may be
wrong, and those rules say so and report at ``info``.
"""
from __future__ import annotations

from helm_vnp.release.model import Obj, Release


def pods_in(release: Release, namespace: str) -> list:
    """The release's pod templates (hooks and tests included) in ``namespace``."""
    return [ps for ps in release.pods if ps.owner.namespace == namespace]


def custom_resources(release: Release) -> list[Obj]:
    """The chart's objects of kinds that are not built in (their controllers may create pods)."""
    from helm_vnp.k8s.kinds import kind_info
    return [o for o in release.objects if not o.generated and o.kind
            and kind_info(o.api_version, o.kind).source != "built-in"]


def unseen_note(release: Release) -> str:
    """'' when every pod the release creates is seen; else why a match may be missing."""
    crs = custom_resources(release)
    if not crs:
        return ""
    shown = ", ".join(f"{o.kind} {o.name}" for o in crs[:3]) + (f" and {len(crs) - 3} more" if len(crs) > 3 else "")
    return (f" (the release also renders custom resources, {shown}, whose controllers may create pods vnp "
            "does not see: if the selector is meant for those, this is expected)")
