"""procMount_restricted (restricted, v1.35+): /proc must stay masked, even in a user namespace.

From policy v1.35 baseline's procMount check lets user-namespace pods
(``hostUsers: false``) set any procMount; restricted replaces it with this
check, which still allows only unset or ``Default``.  Same message as
procMount.

Example that fails under restricted::

    spec:
      hostUsers: false
      containers:
      - name: app
        securityContext: {procMount: Unmasked}

Fix: remove ``procMount``.
"""
from __future__ import annotations

from . import proc_mount
from .model import Check, VersionedCheck

CHECK = Check("procMount_restricted", "restricted", (
    VersionedCheck((1, 35), proc_mount.proc_mount_v1_0, overrides=(proc_mount.ID,)),
), __doc__)
