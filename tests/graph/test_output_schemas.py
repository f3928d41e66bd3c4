"""The JSON outputs of graph, explain and diff follow the schemas the package ships (and docs/connectivity.md
names): real outputs of the command line validate, and outputs that break the contract do not."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from helm_vnp.connectivity.outputs import SCHEMA_VERSIONS, schema
from tests.builders import container, deployment, network_policy, obj, service, stream
from tests.rules.rulekit import NETPOL_ON

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
WEB = deployment("web", containers=[container("web", "nginx", ports=[{"name": "http", "containerPort": 8080}, 9090])])
DB = deployment("db", containers=[container("db", "postgres", ports=[5432])])
STREAM = stream(
    WEB, DB, service("web", selector={"app": "web"}, ports=[{"port": 80, "targetPort": "http"}]),
    obj("Ingress", "web", api_version="networking.k8s.io/v1", spec={
        "ingressClassName": "nginx", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}),
    network_policy("db-in", pod_selector={"app": "db"},
                   ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "web"}}},
                                      {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}],
                             "ports": [{"port": 5432}, {"port": 9000, "endPort": 9100, "protocol": "UDP"}]}]))


def cli(tmp_path, *args: str) -> dict:
    rendered, values = tmp_path / "stream.yaml", tmp_path / "values.yaml"
    rendered.write_text(STREAM)
    values.write_text(NETPOL_ON)
    proc = subprocess.run([str(BIN / "helm-vnp"), *args, "-f", str(values), "--release", "rel", "--format", "json"],
                          capture_output=True, text=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", sorted(SCHEMA_VERSIONS))
def test_the_schemas_are_valid_draft_2020_12(name):
    s = schema(name)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["properties"]["schemaVersion"]["const"] == SCHEMA_VERSIONS[name]
    assert f"helm_vnp/connectivity/schemas/{name}.schema.json" in (REPO / "docs" / "connectivity.md").read_text()


def test_the_connection_set_is_one_definition():
    assert schema("explain")["$defs"]["connections"] == schema("diff")["$defs"]["connections"]


def outputs(tmp_path) -> dict[str, list[dict]]:
    rendered = str(tmp_path / "stream.yaml")
    graph = cli(tmp_path, "graph", "--rendered", rendered)
    explains = [cli(tmp_path, "explain", "web", "db", "--rendered", rendered, "--port", "5432"),
                cli(tmp_path, "explain", "db", "10.1.0.1", "--rendered", rendered),
                cli(tmp_path, "explain", "10.2.0.1", "db", "--rendered", rendered, "--port", "9050/UDP"),
                cli(tmp_path, "explain", "10.1.0.1", "db", "--rendered", rendered)]
    other = tmp_path / "other.yaml"
    other.write_text(stream(WEB, deployment("cache")))
    diff = cli(tmp_path, "diff", rendered, str(other))
    return {"graph": [graph], "explain": explains, "diff": [diff]}


def test_real_outputs_validate_and_broken_ones_do_not(tmp_path):
    out = outputs(tmp_path)
    assert [e["allowed"] for e in out["explain"]] == [True, False, True, False]
    assert any(e["allowed"] for e in out["graph"][0]["edges"]) and any(n["probe"] for n in out["graph"][0]["nodes"])
    assert out["diff"][0]["workloads"] == {"added": ["default/cache[Deployment]"],
                                           "removed": ["default/db[Deployment]"]}
    for name, docs in out.items():
        validator = jsonschema.Draft202012Validator(schema(name))
        for doc in docs:
            assert doc["schemaVersion"] == SCHEMA_VERSIONS[name]
            errors = list(validator.iter_errors(doc))
            assert not errors, (name, [e.message for e in errors])
            broken = [{k: v for k, v in doc.items() if k != "schemaVersion"}, {**doc, "undocumented": 1},
                      {**doc, "schemaVersion": SCHEMA_VERSIONS[name] + 1}]
            for bad in broken:
                assert not validator.is_valid(bad), name
    # deeper: a connection set with a port range out of bounds, or "all" beside ports
    explain = copy.deepcopy(out["explain"][0])
    explain["connections"] = {"TCP": [[0, 80]]}
    assert not jsonschema.Draft202012Validator(schema("explain")).is_valid(explain)
    explain["connections"] = {"all": True, "TCP": [[1, 80]]}
    assert not jsonschema.Draft202012Validator(schema("explain")).is_valid(explain)
    diff = copy.deepcopy(out["diff"][0])
    diff["changes"][0]["type"] = "moved"
    assert not jsonschema.Draft202012Validator(schema("diff")).is_valid(diff)
    graph = copy.deepcopy(out["graph"][0])
    graph["edges"][0]["protocol"] = "ICMP"
    assert not jsonschema.Draft202012Validator(schema("graph")).is_valid(graph)
