"""Shared by the rule tests: lint a YAML stream under a config, exactly as ``lint`` does."""
from __future__ import annotations

import copy
import os
import tempfile
import textwrap

from helm_vnp.config import ValuesInput, load_config
from helm_vnp.release.build import build_release
from helm_vnp.release.model import Release
from helm_vnp.rules.options import Setting, resolve
from helm_vnp.rules.registry import rule_ids
from helm_vnp.rules.rule import LintRule
from helm_vnp.stream import split
from tests import builders
from tests.builders import stream

RELEASE, NAMESPACE = "rel", "team"

NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"
QUOTA_ON = "policies:\n  resourceQuota:\n    enabled: true\n"
REFERENCE = "policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n"


def policies_from(values: str = "") -> tuple[dict, dict]:
    """(policies, origins) from values-file text, through the real config loader."""
    if not values.strip():
        loaded = load_config()
        return loaded.policies, loaded.origins
    fd, path = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(textwrap.dedent(values))
        loaded = load_config(ValuesInput([path]))
        return loaded.policies, loaded.origins
    finally:
        os.unlink(path)


def context(stream: str | bytes, values: str | dict = "", release: str = RELEASE,
            namespace: str = NAMESPACE) -> Release:
    """Post-render ``stream`` under ``values`` (text, or a ready policies dict) and model the release."""
    if isinstance(values, dict):
        policies, origins = copy.deepcopy(values), {}
    else:
        policies, origins = policies_from(values)
    data = stream if isinstance(stream, bytes) else textwrap.dedent(stream).encode()
    docs = [d for d in split(data, "chart.yaml") if not d.is_empty]
    return build_release(docs, policies, release, namespace, origins=origins, rule_ids=rule_ids())


def options_of(module, **settings) -> dict:
    """The module's options, validated as lint validates them: defaults, then ``settings``."""
    rule = LintRule.from_module(module)
    return resolve([rule], [Setting(rule.id, k, v) for k, v in settings.items()])[rule.id]


def check(module, release: Release, **settings) -> list:
    return list(module.check(release, options_of(module, **settings)))


def run(module, stream, values: str | dict = "", options: dict | None = None, **kw) -> list:
    return check(module, context(stream, values, **kw), **(options or {}))


def deployment(name: str = "web", replicas: int | None = 1, **kw) -> str:
    """A Deployment document (``tests.builders.deployment``: ``containers=[container(...)]``, pod-spec fields
    such as ``host_network=True`` as keywords), pods labelled and selected by ``app: NAME``."""
    return stream(builders.deployment(name, replicas=replicas, **kw))
