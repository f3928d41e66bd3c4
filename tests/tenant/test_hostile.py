"""A hostile chart cannot hide what a tenant rule checks behind YAML: every object is read as Kubernetes decodes it
(merge keys, anchors, aliases, tags, quoted and escaped keys, JSON) or the render fails closed, located; the
config's own mistakes are clear exit-2 errors, never a traceback."""
from __future__ import annotations

import pytest

from tests.tenant.kit import postrender

POLICY = ("--set-json", 'policies={"tenant": {"images": {"registries": {"allowed": ["registry.example.com"]}}, '
                        '"metadata": {"forbiddenLabels": {"deniedRegex": "^platform\\\\.example\\\\.com/"}}}}')
HEAD = "---\n# Source: evil/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"


def run(body: str) -> tuple[int, bytes, str]:
    return postrender((HEAD + body).encode(), *POLICY)


@pytest.mark.parametrize("body, path", [
    # a merge key brings the image in: Kubernetes (go-yaml) applies it
    ("x-base: &base {image: 'evil.io/x:1'}\nspec:\n  containers:\n    - <<: *base\n      name: a\n",
     "spec.containers[0].image"),
    # an alias of an anchored scalar
    ("spec:\n  initContainers: [{name: i, image: &i 'registry.example.com/ok'}]\n  containers:\n"
     "    - {name: a, image: 'evil.io/x'}\n    - {name: b, image: *i}\n", "spec.containers[0].image"),
    # an explicit tag and a quoted key
    ("spec:\n  containers:\n    - name: a\n      \"image\": !!str evil.io/x\n", "spec.containers[0].image"),
    # a JSON document, the key escaped
    ('spec: {"containers": [{"name": "a", "im\\u0061ge": "evil.io/x"}]}\n', "spec.containers[0].image"),
    # a multi-line plain scalar folds into one image name
    ("spec:\n  containers:\n    - name: a\n      image: evil.io/x\n        :1\n", "spec.containers[0].image"),
])
def test_an_image_behind_a_yaml_trick_is_read_as_kubernetes_reads_it(body, path):
    code, out, err = run(body)
    assert code == 2 and out == b"", err
    assert f"evil/templates/pod.yaml: {path}: Pod p: tenant.imageRegistry: container 'a': image 'evil.io/x" in err
    assert "Traceback" not in err


def test_a_duplicate_key_fails_closed_located():
    """go-yaml keeps the last of two keys; a reader that keeps the first would check the decoy: refused."""
    code, out, err = run("spec:\n  containers:\n    - name: a\n      image: registry.example.com/ok\n"
                         "      image: evil.io/x\n")
    assert code == 2 and out == b""
    assert 'found duplicate key "image"' in err and ":10:" in err and "evil.io" not in err  # values not echoed


def test_a_forbidden_label_behind_a_flow_mapping_and_escapes_is_found():
    code, out, err = postrender(("---\n# Source: evil/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
                                 'metadata: {name: c, labels: {"platform.example.com\\/trusted": "true"}}\n').encode(),
                                *POLICY)
    assert code == 2 and "ConfigMap c: tenant.forbiddenLabel" in err, err


def test_a_workload_inside_a_list_is_refused_before_any_tenant_check():
    code, out, err = postrender(("---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n"
                                 "    metadata: {name: p}\n    spec: {containers: [{name: a, image: evil.io/x}]}\n"
                                 ).encode(), *POLICY)
    assert code == 2 and "holds a Pod" in err and "tenant." not in err


@pytest.mark.parametrize("policy, message", [
    ('{"tenant": {"images": {"registries": {"allowedRegex": "(unclosed"}}}}',
     "policies.tenant.images.registries.allowedRegex: invalid regular expression '(unclosed': missing ), "
     "unterminated subpattern"),
    ('{"tenant": {"services": {"externalIPs": {"allowed": ["10.0.0.1/8"]}}}}',
     'policies.tenant.services.externalIPs.allowed[0]: "10.0.0.1/8" is not a valid CIDR'),
    ('{"tenant": {"resources": {"max": {"cpu": "lots"}}}}',
     'policies.tenant.resources.max.cpu: invalid value "lots": expected a non-negative Kubernetes quantity'),
    ('{"tenant": {"images": {"registry": {}}}}', 'policies.tenant.images.registry: unknown key "registry" '
                                                 '(did you mean "registries"?)'),
    ('{"tenant": {"mode": "audit"}}', 'policies.tenant.mode: "audit" is not one of "enforce", "warn"'),
    ('{"tenant": {"metadata": {"requiredLabels": {"team": "a b"}}}}',
     "policies.tenant.metadata.requiredLabels.team: "),
])
def test_config_mistakes_are_located_exit_2(policy, message):
    code, out, err = postrender((HEAD + "spec: {containers: [{name: a, image: x}]}\n").encode(),
                                "--set-json", f"policies={policy}")
    assert code == 2 and out == b"", err
    assert message in err and "Traceback" not in err
