"""privileged (baseline, v1.0+): privileged containers are forbidden.

``securityContext.privileged`` of every container, init container and
ephemeral container must be unset or false; a privileged container has all
devices and capabilities of the host.

Example that fails::

    containers:
    - name: app
      securityContext: {privileged: true}

API server: ``privileged (container "app" must not set securityContext.privileged=true)``.
Fix: drop ``privileged``; add only the specific capability the process needs
(baseline allows a small default set).
"""
from __future__ import annotations

from .fields import containers, is_true, join_quote, name_of, pluralize, security_context
from .model import ALLOWED, Check, CheckResult, VersionedCheck


def privileged_v1_0(metadata: dict, spec: dict) -> CheckResult:
    bad = [name_of(c) for c in containers(spec) if is_true((security_context(c) or {}).get("privileged"))]
    if not bad:
        return ALLOWED
    detail = (f"{pluralize('container', 'containers', len(bad))} {join_quote(bad)} "
              "must not set securityContext.privileged=true")
    return CheckResult(False, "privileged", detail, tuple(bad))


CHECK = Check("privileged", "baseline", (VersionedCheck((1, 0), privileged_v1_0),), __doc__)
