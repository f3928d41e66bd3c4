"""restrictedVolumes (restricted, v1.0+): only non-node, non-network volume types.

Every ``spec.volumes[*]`` must be one of configMap, csi, downwardAPI, emptyDir,
ephemeral, image, persistentVolumeClaim, projected or secret.  Upstream added
``image`` to its only (v1.0) implementation, so it is allowed at every pinned
version.  A volume with no source at all is defaulted to emptyDir by the API
server, so it passes.  Replaces hostPathVolumes under restricted.

Example that fails::

    volumes:
    - name: data
      nfs: {server: nfs.example, path: /export}

API server: ``restricted volume types (volume "data" uses restricted volume type "nfs")``.
Fix: mount the share through a PersistentVolumeClaim instead.
"""
from __future__ import annotations

from . import host_path_volumes
from .fields import as_list, as_map, get_map, join_quote, name_of, pluralize, sorted_set
from .model import ALLOWED, Check, CheckResult, VersionedCheck

ALLOWED_TYPES = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image",
                 "persistentVolumeClaim", "projected", "secret")
# In upstream's order: a volume setting several sources is reported by the first.
RESTRICTED_TYPES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi",
                    "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile",
                    "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume",
                    "scaleIO", "storageos")


def _restricted_type(volume: dict) -> str | None:
    if any(get_map(volume, key) is not None for key in ALLOWED_TYPES):
        return None
    return next((key for key in RESTRICTED_TYPES if get_map(volume, key) is not None), None)


def restricted_volumes_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad: list[str] = []
    kinds: list[str] = []
    for volume in as_list(as_map(spec).get("volumes")):
        if not isinstance(volume, dict):
            continue
        kind = _restricted_type(volume)
        if kind is not None:
            bad.append(name_of(volume))
            kinds.append(kind)
    if not bad:
        return ALLOWED
    unique = sorted_set(kinds)
    detail = (f"{pluralize('volume', 'volumes', len(bad))} {join_quote(bad)} {pluralize('uses', 'use', len(bad))} "
              f"{pluralize('restricted volume type', 'restricted volume types', len(unique))} {join_quote(unique)}")
    return CheckResult(False, "restricted volume types", detail)


CHECK = Check("restrictedVolumes", "restricted", (
    VersionedCheck((1, 0), restricted_volumes_v1_0, overrides=(host_path_volumes.ID,)),
), __doc__)
