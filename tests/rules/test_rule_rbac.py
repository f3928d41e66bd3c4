"""rbac.tenantEscape, and the RBAC rule reading it rests on (helm_vnp.k8s.rbac)."""
from __future__ import annotations

import pytest

from helm_vnp.k8s.rbac import grants, grants_anything, resource_matches, role_grants_anything
from helm_vnp.rules import rbac_tenant_escape
from tests.builders import role, role_binding, stream
from tests.rules.rulekit import run


def rule(groups, resources, verbs, names=None) -> dict:
    out = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        out["resourceNames"] = names
    return out


# -- the authorizer's reading ---------------------------------------------------------------------

def test_wildcards_and_subresources():
    assert resource_matches(["*"], "pods/exec") and resource_matches(["*/exec"], "pods/exec")
    assert resource_matches(["pods/exec"], "pods/exec") and not resource_matches(["pods"], "pods/exec")
    assert not resource_matches(["pods/*"], "pods/exec")  # not a wildcard in RBAC
    g = grants(rule(["*"], ["roles"], ["*"]), "rbac.authorization.k8s.io", "roles", ("escalate", "bind"))
    assert g.verbs == ("escalate", "bind")
    assert grants(rule([""], ["roles"], ["*"]), "rbac.authorization.k8s.io", "roles", ("bind",)) is None


def test_resource_names_never_grant_create_or_unnamed_verbs():
    named = rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["create", "update"], ["mine"])
    g = grants(named, "admissionregistration.k8s.io", "validatingwebhookconfigurations", ("create", "update"))
    assert g.verbs == ("update",) and g.names == ("mine",)
    create_only = {**named, "verbs": ["create", "deletecollection"]}
    assert grants(create_only, "admissionregistration.k8s.io", "validatingwebhookconfigurations",
                  ("create", "deletecollection")) is None


def test_what_grants_anything():
    assert not grants_anything(rule([""], ["pods"], []))
    assert not grants_anything(rule([""], [], ["get"]))
    assert not grants_anything({"resources": ["pods"], "verbs": ["get"]})  # no apiGroups: rejected
    assert grants_anything({"nonResourceURLs": ["/metrics"], "verbs": ["get"]})
    assert not role_grants_anything({"rules": []}) and not role_grants_anything({})
    assert role_grants_anything({"aggregationRule": {"clusterRoleSelectors": []}, "rules": []})


# -- the rule ---------------------------------------------------------------------------------------

def _cluster_role(*rules, **kw) -> str:
    return stream(role("r", kind="ClusterRole", rules=list(rules), **kw))


def _role(*rules) -> str:
    return stream(role("r", rules=list(rules)))


@pytest.mark.parametrize("grant, fragment", [
    (rule(["*"], ["*"], ["*"]), "every permission in the cluster"),
    (rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["escalate"]), "grant itself any permission"),
    (rule(["rbac.authorization.k8s.io"], ["roles"], ["bind"]), "cluster-admin included"),
    (rule([""], ["groups"], ["impersonate"]), "system:masters"),
    (rule([""], ["serviceaccounts"], ["impersonate"]), "any ServiceAccount"),
    (rule(["rbac.authorization.k8s.io"], ["clusterrolebindings"], ["create"]), "rewrite who holds what"),
    (rule(["*"], ["rolebindings"], ["patch"]), "rewrite who holds what"),
    (rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["update"]), "inject a container"),
    (rule(["admissionregistration.k8s.io"], ["validatingadmissionpolicies"], ["create"]), "reject any API request"),
    (rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["delete"]), "deletes every object"),
    (rule(["apiregistration.k8s.io"], ["apiservices"], ["*"]), "whole API group"),
    (rule([""], ["nodes/proxy"], ["get"]), "kubelet"),
    (rule([""], ["*/exec"], ["create"]), "commands in any pod of any namespace"),
    (rule([""], ["serviceaccounts/token"], ["create"]), "mint a token"),
])
def test_each_escape_of_a_cluster_role_is_an_error_saying_what_it_enables(grant, fragment):
    [f] = run(rbac_tenant_escape, _cluster_role(grant))
    assert f.severity == "error" and fragment in f.message and "in the cluster" in f.message, f.message


def test_reading_grants_nothing_dangerous():
    quiet = [rule([""], ["secrets", "pods"], ["get", "list", "watch"]),
             rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["get", "list", "watch"]),
             rule(["apps"], ["deployments"], ["*"]), rule([""], ["pods/exec"], ["list"]),
             rule(["rbac.authorization.k8s.io"], ["roles"], ["get", "list"])]
    assert run(rbac_tenant_escape, _cluster_role(*quiet)) == []


def test_a_role_reaches_only_its_namespace():
    # cluster-scoped grants are void in a Role, and exec in its own namespace stays inside the tenant
    void = [rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["update"]),
            rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["create"]),
            rule([""], ["pods/exec"], ["create"]), rule([""], ["users"], ["impersonate"])]
    assert run(rbac_tenant_escape, _role(*void)) == []
    # what still reaches out: bind on ClusterRoles, rolebindings, ServiceAccount impersonation, * on *
    [bind] = run(rbac_tenant_escape, _role(rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"])))
    assert "in namespace team" in bind.message
    [star] = run(rbac_tenant_escape, _role(rule(["*"], ["*"], ["*"])))
    assert "every permission in the namespace" in star.message and "cluster-wide ones included" in star.message
    assert len(run(rbac_tenant_escape, _role(rule(["rbac.authorization.k8s.io"], ["rolebindings"], ["create"])))) == 1


def test_a_cluster_role_bound_only_by_role_bindings_reaches_their_namespaces():
    webhook = rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["update"])
    namespaced = stream(role_binding("rb", role_name="r", service_accounts=[("sa", None)]))
    assert run(rbac_tenant_escape, _cluster_role(webhook) + namespaced) == []
    cluster_wide = stream(role_binding("crb", kind="ClusterRoleBinding", role_name="r",
                                       service_accounts=[("sa", "team")]))
    assert len(run(rbac_tenant_escape, _cluster_role(webhook) + namespaced + cluster_wide)) == 1


def test_resource_names_narrow_it_to_a_warning_naming_them():
    named = rule(["admissionregistration.k8s.io"], ["validatingwebhookconfigurations"], ["get", "update"], ["mine"])
    [f] = run(rbac_tenant_escape, _cluster_role(named))
    assert f.severity == "warning" and "named mine only" in f.message
    # create cannot be limited by names: such a rule grants nothing
    create = rule(["rbac.authorization.k8s.io"], ["clusterrolebindings"], ["create"], ["x"])
    assert run(rbac_tenant_escape, _cluster_role(create)) == []


def test_aggregation_labels_are_said():
    grant = rule(["rbac.authorization.k8s.io"], ["rolebindings"], ["create"])
    obj = role("r", kind="ClusterRole", rules=[grant])
    obj["metadata"]["labels"] = {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}
    [f] = run(rbac_tenant_escape, stream(obj))
    assert "aggregate-to-edit label" in f.message


def test_corpus_findings_are_the_webhook_and_crd_patchers(corpus):
    """What fires on the real charts is true: cert-manager's cainjector patches webhook configurations,
    APIServices and CRDs (it injects CA bundles); the admission-patch hooks of ingress-nginx and
    kube-prometheus-stack update webhook configurations, with no resourceNames."""
    cases = {"cert-manager.yaml": ("cert-manager", {("cert-manager-cainjector", "mutatingwebhookconfigurations"),
                                                    ("cert-manager-cainjector", "validatingwebhookconfigurations"),
                                                    ("cert-manager-cainjector", "apiservices"),
                                                    ("cert-manager-cainjector", "customresourcedefinitions")}),
             "ingress-nginx.yaml": ("ingress-nginx", {("ingress-nginx-admission", "validatingwebhookconfigurations")}),
             "kube-prometheus-stack.yaml": ("monitoring", {
                 ("kps-kube-prometheus-stack-admission", "mutatingwebhookconfigurations"),
                 ("kps-kube-prometheus-stack-admission", "validatingwebhookconfigurations")})}
    for name, (namespace, expected) in cases.items():
        found = run(rbac_tenant_escape, corpus(name).read_bytes(), namespace=namespace)
        assert all(f.severity == "error" and f.object.kind == "ClusterRole" for f in found)
        assert {(f.object.name, f.message.split(" on ", 1)[1].split(" in ", 1)[0]) for f in found} == expected


def test_read_everything_reaches_the_kubelet_but_not_exec():
    """`get` on every core resource includes nodes/proxy (the kubelet authorizes a WebSocket exec as get);
    pods/exec needs create."""
    [f] = run(rbac_tenant_escape, _cluster_role(rule([""], ["*"], ["get", "list", "watch"])))
    assert "get on nodes/proxy" in f.message and "kubelet" in f.message
