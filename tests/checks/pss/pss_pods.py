"""Pod builders shared by the Pod Security tests: upstream fixtures' minimal valid pods."""
from __future__ import annotations

import copy


def restricted_pod() -> dict:
    """The smallest pod that passes restricted at every version (upstream's base fixture)."""
    hardened = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    return {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "container1", "image": "pause", "securityContext": copy.deepcopy(hardened)}],
        "initContainers": [{"name": "initcontainer1", "image": "pause", "securityContext": copy.deepcopy(hardened)}],
    }


def ctx(spec: dict, container: str = "container1") -> dict:
    """The securityContext of the named container (created if missing)."""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key, []):
            if c["name"] == container:
                return c.setdefault("securityContext", {})
    raise KeyError(container)
