"""Shared by the rule tests: lint a YAML stream under a config, exactly as ``lint`` does."""
from __future__ import annotations

import copy
import os
import tempfile
import textwrap

from helm_vnp.checks.context import LintContext
from helm_vnp.config import load_config
from helm_vnp.pipeline import post_render
from tests import builders
from tests.builders import stream

RELEASE, NAMESPACE = "rel", "team"

NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"
QUOTA_ON = "policies:\n  resourceQuota:\n    enabled: true\n"
REFERENCE = "policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n"


def policies_from(values: str = "") -> tuple[dict, dict]:
    """(policies, origins) from values-file text, through the real config loader."""
    if not values.strip():
        loaded = load_config([])
        return loaded.policies, loaded.origins
    fd, path = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(textwrap.dedent(values))
        loaded = load_config([path])
        return loaded.policies, loaded.origins
    finally:
        os.unlink(path)


def context(stream: str | bytes, values: str | dict = "", release: str = RELEASE, namespace: str = NAMESPACE,
            options: dict | None = None) -> LintContext:
    """Post-render ``stream`` under ``values`` (text, or a ready policies dict) and build the lint context."""
    if isinstance(values, dict):
        policies, origins = copy.deepcopy(values), {}
    else:
        policies, origins = policies_from(values)
    data = stream if isinstance(stream, bytes) else textwrap.dedent(stream).encode()
    result = post_render(data, policies, release, namespace, "chart.yaml")
    return LintContext(result.docs, result.generated, policies, release, namespace, options or {}, origins)


def run(module, stream, values: str | dict = "", **kw) -> list:
    return list(module.check(context(stream, values, **kw)))


def deployment(name: str = "web", replicas: int | None = 1, **kw) -> str:
    """A Deployment document (``tests.builders.deployment``: ``containers=[container(...)]``, pod-spec fields
    such as ``host_network=True`` as keywords), pods labelled and selected by ``app: NAME``."""
    return stream(builders.deployment(name, replicas=replicas, **kw))
