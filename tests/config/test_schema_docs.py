"""The schema is valid 2020-12, agrees with the defaults, the docs are current, imports stay light."""
import json
import os
import subprocess
import sys
from pathlib import Path

from helm_vnp.config import schema_text
from helm_vnp.config.defaults import DEFAULT_POLICIES
from helm_vnp.config.docs import render_markdown

ROOT = Path(__file__).resolve().parents[2]
SELECTORS = {"selector", "namespaceSelector", "podSelector"}
OLD_LAYOUT = {"outgoingConnections", "extraControlPlaneRules", "extraWorkloadRules"}


def test_schema_is_valid_draft_2020_12():
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _walk(node, schema, path=()):
    """(path, node) for every property reachable through properties (refs resolved)."""
    if "$ref" in node:
        node = {**schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], **node}
    yield path, node
    for key, child in node.get("properties", {}).items():
        yield from _walk(child, schema, path + (key,))


def test_every_policies_key_has_a_description_and_objects_are_closed():
    schema = json.loads(schema_text())
    for path, node in _walk(schema["properties"]["policies"], schema, ("policies",)):
        assert node.get("description"), path
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path


def test_schema_defaults_agree_with_the_loader_defaults():
    schema = json.loads(schema_text())
    checked = 0
    for path, node in _walk(schema["properties"]["policies"], schema, ("policies",)):
        if "default" not in node or set(path) & (SELECTORS | OLD_LAYOUT):
            continue  # old-layout twin of a checked key; label-selector type defaults
        value = DEFAULT_POLICIES
        for seg in path[1:]:
            value = value[seg]
        assert value == node["default"], path
        checked += 1
    assert checked >= 20


def test_docs_config_md_is_up_to_date():
    assert (ROOT / "docs" / "config.md").read_text() == render_markdown(), \
        "run: python -m helm_vnp.config.docs > docs/config.md"


def test_importing_the_config_package_is_cheap():
    code = ("import sys, helm_vnp.config; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'ruamel', 'yaml', 'difflib')))")
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
