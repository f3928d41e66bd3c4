"""hostPathVolumes (baseline, v1.0+): hostPath volumes are forbidden.

No ``spec.volumes[*].hostPath``: a hostPath volume exposes the node's
filesystem to the pod.  Restricted replaces this check with restrictedVolumes,
which forbids hostPath among other volume types.

Example that fails::

    volumes:
    - name: logs
      hostPath: {path: /var/log}

API server: ``hostPath volumes (volume "logs")``.
Fix: use an emptyDir, a PersistentVolumeClaim, or a CSI volume.
"""
from __future__ import annotations

from .fields import as_list, as_map, get_map, join_quote, name_of, pluralize
from .model import ALLOWED, Check, CheckResult, VersionedCheck

ID = "hostPathVolumes"


def host_path_volumes_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad = [name_of(v) for v in as_list(as_map(spec).get("volumes")) if get_map(v, "hostPath") is not None]
    if not bad:
        return ALLOWED
    return CheckResult(False, "hostPath volumes", f"{pluralize('volume', 'volumes', len(bad))} {join_quote(bad)}")


CHECK = Check(ID, "baseline", (VersionedCheck((1, 0), host_path_volumes_v1_0),), __doc__)
