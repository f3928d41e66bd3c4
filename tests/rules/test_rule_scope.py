"""scope.cluster / scope.namespace: what escapes the release namespace."""
from __future__ import annotations

from helm_vnp.rules import scope_cluster, scope_namespace
from tests import builders
from tests.builders import obj, role, service, stream
from tests.rules.rulekit import deployment, run

CLUSTER_ROLE = stream(role("reader", kind="ClusterRole"))
ROLE = stream(role("reader"))


def crd(scope: str) -> str:
    return stream(builders.crd("example.com", "Widget", "widgets", scope=scope))


WIDGET = stream(obj("Widget", "w", api_version="example.com/v1"))


def test_cluster_scoped_builtin_kinds():
    [f] = run(scope_cluster, CLUSTER_ROLE + ROLE + deployment(), "")
    assert (f.object.kind, f.object.namespace, f.severity) == ("ClusterRole", "", "warning")
    assert f.source.file == "chart.yaml" and f.source.line == 2  # the line after `---`


def test_custom_resources_are_classified_by_their_crd_or_reported_unknown():
    found = run(scope_cluster, crd("Namespaced") + WIDGET, "")
    assert [x.object.kind for x in found] == ["CustomResourceDefinition"]
    found = run(scope_cluster, crd("Cluster") + WIDGET, "")
    assert [(x.object.kind, x.severity) for x in found] == [("CustomResourceDefinition", "warning"),
                                                            ("Widget", "warning")]
    assert "scope from CRD widgets.example.com" in found[1].message
    [f] = run(scope_cluster, WIDGET, "")
    assert f.severity == "info" and "scope unknown" in f.message


def test_objects_in_other_namespaces():
    svc = stream(service("exporter", namespace="kube-system", ports=[1]))
    [f] = run(scope_namespace, svc + deployment(namespace="team"), "")
    assert f.object.namespace == "kube-system" and "not the release namespace team" in f.message
    # cluster-scoped objects ignore metadata.namespace: not this rule's business
    assert run(scope_namespace, stream(role("r", kind="ClusterRole", namespace="x")), "") == []
    assert run(scope_namespace, deployment(), "") == []
