"""policies.serviceAccountTokens: automountServiceAccountToken: false where no RBAC binding of the release needs it."""
from __future__ import annotations

from tests.mutations.kit import chart_output, objects, render

TOKENS = "policies:\n  serviceAccountTokens: {disableAutomount: true}\n"

STREAM = """apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: operator}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: operator}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: a, image: x}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: operator}
spec:
  template:
    spec:
      serviceAccountName: operator
      containers: [{name: a, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: default-sa}
spec:
  automountServiceAccountToken: true
  containers: [{name: a, image: x}]
"""


def _by_name(result):
    return {(o["kind"], o["metadata"]["name"]): o for o in objects(chart_output(result))}


def test_only_accounts_without_a_binding_lose_the_token(tmp_path):
    result = render(tmp_path, STREAM, TOKENS)
    got = _by_name(result)
    assert got["ServiceAccount", "web"]["automountServiceAccountToken"] is False
    assert "automountServiceAccountToken" not in got["ServiceAccount", "operator"]
    assert got["Deployment", "web"]["spec"]["template"]["spec"]["automountServiceAccountToken"] is False
    assert "automountServiceAccountToken" not in got["Deployment", "operator"]["spec"]["template"]["spec"]
    assert got["Pod", "default-sa"]["spec"]["automountServiceAccountToken"] is True  # the chart's, kept
    assert [(n.doc.name, n.feature) for n in result.notes] == [("default-sa", "serviceAccountTokens")]
    again = chart_output(render(tmp_path, chart_output(result).decode(), TOKENS))
    assert again == chart_output(result)


def test_the_allow_list_keeps_a_token(tmp_path):
    got = _by_name(render(tmp_path, STREAM, TOKENS.replace("true}", "true, allow: [web]}")))
    assert "automountServiceAccountToken" not in got["ServiceAccount", "web"]
    assert "automountServiceAccountToken" not in got["Deployment", "web"]["spec"]["template"]["spec"]


def test_off_by_default(tmp_path):
    assert chart_output(render(tmp_path, STREAM, "policies: {}\n")).decode() == STREAM
