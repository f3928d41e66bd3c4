"""The JSON Schema editors use (issue 18, docs/recipes/editors.md): one file that cannot drift from what the
package ships, published at the URL the docs give, accepting the repository's example values files and the
chart's own keys beside `policies`, and giving no false errors under the draft-07 rules yaml-language-server
(VS Code YAML, Neovim/Helix yamlls, ...) validates with.
"""
from __future__ import annotations

import json
import os
import re

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from ruamel.yaml import YAML

from helm_vnp.config import schemafile
from tests.distribution.conftest import run
from tests.e2e.helmkit import REPO

SOURCE = REPO / "schema" / "vnp.schema.json"
PACKAGED = REPO / "helm_vnp" / "config" / "vnp.schema.json"
URL = "https://raw.githubusercontent.com/helm-vnp/helm-vnp/main/schema/vnp.schema.json"
MODELINE = f"# yaml-language-server: $schema={URL}"

EXAMPLES = [REPO / "examples" / "values.yaml", REPO / "tests" / "e2e" / "values-hooks.yaml",
            REPO / "benchmarks" / "values-bench.yaml", REPO / "examples" / "demo-chart" / "values.yaml",
            *sorted(p for p in (REPO / "examples" / "seed-000").glob("*.yaml")
                    if p.name != "project-isolated-template.yaml")]  # that one is a VirtualClusterTemplate


def _schema() -> dict:
    return json.loads(SOURCE.read_text())


def _load(path) -> object:
    return YAML(typ="safe").load(path.read_text())


def test_the_packaged_schema_is_the_repository_schema():
    """schema/vnp.schema.json is the source; the package's copy is a link to it (a wheel and an sdist carry the
    file itself: test_packages checks those bytes), so the two cannot drift."""
    assert PACKAGED.is_symlink() and os.readlink(PACKAGED) == "../../schema/vnp.schema.json"
    assert PACKAGED.read_bytes() == SOURCE.read_bytes()
    assert schemafile.schema_bytes() == SOURCE.read_bytes()


def test_helm_vnp_schema_prints_the_file_editors_download(tmp_path):
    out = run([REPO / ".venv" / "bin" / "helm-vnp", "schema"], cwd=tmp_path).stdout
    assert json.loads(out) == _schema()


def test_the_schema_is_valid_and_names_its_published_url():
    schema = _schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == URL
    assert URL.endswith("/main/" + SOURCE.relative_to(REPO).as_posix())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_repository_example_values_files_are_valid(path):
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft202012Validator(_schema()).iter_errors(_load(path))]
    assert errors == []
    # yaml-language-server validates with draft-07 rules (no dependentSchemas, $ref siblings ignored):
    # fewer checks, but no error on a file the real schema accepts
    assert list(Draft7Validator(_schema()).iter_errors(_load(path))) == []


def test_a_chart_values_file_with_its_own_top_level_keys_is_valid():
    """Users put `policies:` in the chart's values file, next to the chart's own keys."""
    values = YAML(typ="safe").load("""\
replicaCount: 3
image: {repository: nginx, tag: "1.27"}
ingress: {enabled: true, hosts: [{host: shop.example.com, paths: [{path: /, pathType: Prefix}]}]}
resources: {limits: {cpu: 500m, memory: 256Mi}}
policies:
  networkPolicy:
    enabled: true
  podSecurityStandard: restricted
""")
    assert list(Draft202012Validator(_schema()).iter_errors(values)) == []


@pytest.mark.parametrize("text, where", [
    ("policies:\n  networkPolicy:\n    enabeld: true\n", "policies.networkPolicy"),
    ("policies:\n  podSecurityStandard: strict\n", "policies.podSecurityStandard"),
    ("policies:\n  resourceQuota:\n    enabled: yes-please\n", "policies.resourceQuota.enabled"),
])
def test_a_mistake_under_policies_is_flagged_in_the_editor_too(text, where):
    """What an editor shows: the same error under both drafts (the test above cannot pass by accepting all)."""
    values = YAML(typ="safe").load(text)
    for validator in (Draft202012Validator(_schema()), Draft7Validator(_schema())):
        paths = {".".join(map(str, e.absolute_path)) for e in validator.iter_errors(values)}
        assert where in paths, (type(validator).__name__, paths)


def _modelines(text: str) -> list[str]:
    return re.findall(r"^# yaml-language-server: \$schema=\S+$", text, flags=re.M)


@pytest.mark.parametrize("doc", ["README.md", "docs/recipes/editors.md"])
def test_the_docs_give_the_published_schema_url(doc):
    text = (REPO / doc).read_text()
    assert MODELINE in _modelines(text)
    assert all(line == MODELINE or "$schema=./" in line or "$schema=../" in line for line in _modelines(text)), \
        _modelines(text)


def test_the_editors_recipe_yaml_blocks_are_valid_values():
    """Every ```yaml block of docs/recipes/editors.md that is a values file validates."""
    text = (REPO / "docs" / "recipes" / "editors.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    values = [b for b in blocks if re.search(r"^policies:", b, flags=re.M)]
    assert values, "docs/recipes/editors.md shows no values file"
    for block in values:
        assert list(Draft202012Validator(_schema()).iter_errors(YAML(typ="safe").load(block))) == [], block


def test_the_one_check_draft07_editors_miss_is_the_one_the_recipe_names():
    """docs/recipes/editors.md: an `endPort` without `port` (dependentSchemas, 2019-09+) is not flagged by
    yaml-language-server's draft-07 rules; `helm-vnp validate` (and the post-renderer) refuse it."""
    values = YAML(typ="safe").load("""\
policies:
  networkPolicy:
    enabled: true
    workload:
      egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
          ports: [{protocol: TCP, endPort: 9000}]
""")
    paths = {".".join(map(str, e.absolute_path)) for e in Draft202012Validator(_schema()).iter_errors(values)}
    assert "policies.networkPolicy.workload.egress.0.ports.0" in paths, paths
    assert list(Draft7Validator(_schema()).iter_errors(values)) == []
    assert "dependentSchemas" in (REPO / "docs" / "recipes" / "editors.md").read_text()
