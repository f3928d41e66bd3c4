"""scope.cluster / scope.namespace: what escapes the release namespace."""
from __future__ import annotations

from helm_vnp.checks.rules import scope_cluster, scope_namespace
from tests.rules.rulekit import deployment, run

CLUSTER_ROLE = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []\n"
ROLE = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader}\nrules: []\n"


def crd(scope: str) -> str:
    return ("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
            f"  scope: {scope}\n  names: {{kind: Widget, plural: widgets}}\n  versions: []\n")


WIDGET = "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"


def test_cluster_scoped_builtin_kinds():
    [f] = run(scope_cluster, CLUSTER_ROLE + ROLE + deployment(), "")
    assert (f.object.kind, f.object.namespace, f.severity) == ("ClusterRole", "", "warning")
    assert f.source.file == "chart.yaml" and f.source.line == 2  # the line after `---`


def test_custom_resources_are_classified_by_their_crd_or_reported_unknown():
    found = run(scope_cluster, crd("Namespaced") + WIDGET, "")
    assert [x.object.kind for x in found] == ["CustomResourceDefinition"]
    found = run(scope_cluster, crd("Cluster") + WIDGET, "")
    assert [(x.object.kind, x.severity) for x in found] == [("CustomResourceDefinition", "warning"), ("Widget", "warning")]
    assert "scope from CRD widgets.example.com" in found[1].message
    [f] = run(scope_cluster, WIDGET, "")
    assert f.severity == "info" and "scope unknown" in f.message


def test_objects_in_other_namespaces():
    svc = "---\napiVersion: v1\nkind: Service\nmetadata: {name: exporter, namespace: kube-system}\nspec: {ports: [{port: 1}]}\n"
    [f] = run(scope_namespace, svc + deployment(namespace="team"), "")
    assert f.object.namespace == "kube-system" and "not the release namespace team" in f.message
    # cluster-scoped objects ignore metadata.namespace: not this rule's business
    assert run(scope_namespace, CLUSTER_ROLE.replace("name: reader", "name: r, namespace: x"), "") == []
    assert run(scope_namespace, deployment(), "") == []
