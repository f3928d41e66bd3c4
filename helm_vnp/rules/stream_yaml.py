"""stream.yaml: a document of the rendered stream is not valid YAML.

The linter cuts the stream into documents and reads each on its own, so a
document that does not parse is reported here, with the file and line where the
parser gave up, and every other document is still linted.  The post-renderer
(and so `helm install`) would refuse the whole stream; the API server would
refuse the object.

Example that fails:

    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x
      labels: {a: b
    data: {}

Fix: correct the template that rendered it (`helm template --debug` shows the
raw output), or the file given to `--rendered`.
"""
from __future__ import annotations

from typing import Iterable

from helm_vnp.release.model import Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule("stream.yaml", "error", "a document of the rendered stream is not valid YAML")


def check(release: Release, options: dict) -> Iterable[Finding]:
    for bad in release.invalid:
        yield Finding(RULE.id, RULE.severity, bad.message, bad.object, bad.source)
