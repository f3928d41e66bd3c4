"""A report with every kind of finding (config, stream, pss error/warning/info, Secrets), built by the real linter."""
from __future__ import annotations

import textwrap
from pathlib import Path

from helm_vnp.config import ValuesInput
from helm_vnp.lint import LintOptions, run_lint

CANARY = "CANARY-s3cr3t-9f8e7d"

MANIFESTS = """\
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: elsewhere
stringData:
  password: {canary}
data:
  token: {canary_b64}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  api-key: {canary}
  "weird:key,with%chars": "{canary}"
---
apiVersion: v1
kind: Secret
metadata:
  name: broken-secret
stringData: {{password: {canary}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx
          env:
            - name: PASSWORD
              value: {canary}
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: exempt-me
spec:
  containers:
    - name: box
      image: busybox
      securityContext: {{privileged: true}}
"""

VALUES = """\
policies:
  podSecurityStandard: restricted
  podSecurity:
    exemptions:
      - {kind: Pod, name: exempt-me}
  centralAdmission:
    validatingWebhooks: []
"""


def build_report(tmp_path: Path, values: str = VALUES):
    import base64
    manifests = tmp_path / "rendered" / "all, 100% of it.yaml"
    manifests.parent.mkdir(parents=True, exist_ok=True)
    manifests.write_text(MANIFESTS.format(canary=CANARY, canary_b64=base64.b64encode(CANARY.encode()).decode()))
    values_file = tmp_path / "values.yaml"
    values_file.write_text(textwrap.dedent(values))
    return run_lint(LintOptions(rendered=[str(manifests)], values=ValuesInput([str(values_file)])))
