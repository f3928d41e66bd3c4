"""`helm vnp diff` on the command line: rendered inputs and charts (the real Helm), one value set per side,
formats, --fail-on-widen, the same bytes every run, and bad input refused with exit 2 and no traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from helm_vnp.connectivity.outputs import schema
from tests.builders import container, deployment, network_policy, stream
from tests.rules.rulekit import NETPOL_ON

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
HELM = {3: REPO / ".tools" / "bin" / "helm3", 4: REPO / ".tools" / "bin" / "helm4"}
DEMO_CHART = REPO / "examples" / "demo-chart"
DEMO_VALUES = REPO / "examples" / "values.yaml"

WEB = deployment("web", containers=[container("web", "nginx", ports=[{"name": "http", "containerPort": 8080}])])
DB = deployment("db", containers=[container("db", "postgres", ports=[{"name": "pg", "containerPort": 5432}])])


def db_policy(*ports: dict):
    return network_policy("db-in", pod_selector={"app": "db"},
                          ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": list(ports)}])


OLD = stream(WEB, DB, db_policy({"port": "pg"}))
WIDER = stream(WEB, DB, db_policy({"port": "pg"}, {"port": 53, "protocol": "UDP"}))
NARROWER = stream(WEB, DB, db_policy({"port": 6432}))


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "helm-vnp"), "diff", *map(str, args)], capture_output=True, text=True,
                          input=stdin if stdin is not None else "",
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin", **(env or {})}, timeout=300)


def files(tmp_path, **texts: str) -> dict[str, Path]:
    out = {}
    for name, text in texts.items():
        out[name] = tmp_path / f"{name}.yaml"
        out[name].write_text(text)
    return out


def test_rendered_inputs_in_every_format(tmp_path):
    f = files(tmp_path, old=OLD, new=WIDER)
    text = run(f["old"], f["new"])
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[-1] == "+ default/web[Deployment] => default/db[Deployment] : UDP 53"
    assert text.stderr == ""
    connlist = run(f["old"], f["new"], "--format", "connlist").stdout
    assert connlist == ("Connectivity diff:\ndiff-type: changed, source: default/web[Deployment], destination: "
                        "default/db[Deployment], dir1: TCP 5432, dir2: TCP 5432,UDP 53\n")
    assert run(f["old"], f["new"], "--format", "csv").stdout.splitlines()[1] == \
        'changed,default/web[Deployment],default/db[Deployment],TCP 5432,"TCP 5432,UDP 53",'
    assert run(f["old"], f["new"], "--format", "md").stdout.splitlines()[2] == \
        "| changed | default/web[Deployment] | default/db[Deployment] | TCP 5432 | TCP 5432,UDP 53 |  |"
    doc = json.loads(run(f["old"], f["new"], "--format", "json").stdout)
    jsonschema.validate(doc, schema("diff"))
    [change] = doc["changes"]
    assert change["added"] == {"UDP": [[53, 53]]} and change["removed"] == {} and doc["widens"] is True
    assert change["text"] == {"old": "TCP 5432", "new": "TCP 5432,UDP 53", "added": "UDP 53",
                              "removed": "No Connections"}


def test_rendered_workloads_and_named_ports_through_the_whole_pipeline(tmp_path):
    """The chart's next version serves `pg` on 6432 and replaces its worker by a job runner."""
    moved = deployment("db", containers=[container("db", "postgres", ports=[{"name": "pg", "containerPort": 6432}])])
    f = files(tmp_path, old=stream(WEB, DB, deployment("worker"), db_policy({"port": "pg"})),
              new=stream(WEB, moved, deployment("runner"), db_policy({"port": "pg"})))
    proc = run(f["old"], f["new"])
    assert proc.returncode == 0, proc.stderr
    body = proc.stdout.split("\n\n", 1)[1]
    assert "+ default/runner[Deployment]\n- default/worker[Deployment]\n" in body
    assert "- default/web[Deployment] => default/db[Deployment] : TCP 5432\n" \
           "+ default/web[Deployment] => default/db[Deployment] : TCP 6432\n" in body
    assert "+ default/runner[Deployment] => default/web[Deployment] : All Connections  " \
           "(workload default/runner[Deployment] added)" in body
    assert "- default/worker[Deployment] => default/web[Deployment] : All Connections  " \
           "(workload default/worker[Deployment] removed)" in body


def test_fail_on_widen_gates_only_on_widening(tmp_path):
    f = files(tmp_path, old=OLD, wider=WIDER, narrower=NARROWER)
    widened = run(f["old"], f["wider"], "--fail-on-widen")
    assert widened.returncode == 1 and "+ default/web" in widened.stdout  # the report is still written
    assert run(f["old"], f["wider"]).returncode == 0  # without the flag: a report, not a verdict
    narrowed = run(f["old"], f["narrower"], "--fail-on-widen", "--format", "connlist")
    assert narrowed.returncode == 1, "TCP 6432 is new: a port moved is a port opened"
    only_narrower = run(f["narrower"], f["narrower"], "--fail-on-widen")
    assert only_narrower.returncode == 0 and only_narrower.stdout.endswith("no change in connectivity\n")
    back = run(f["wider"], f["old"], "--fail-on-widen")
    assert back.returncode == 0 and "- default/web[Deployment] => default/db[Deployment] : UDP 53" in back.stdout


def test_the_same_bytes_every_run(tmp_path):
    f = files(tmp_path, old=OLD, new=stream(WEB, DB, network_policy("open", pod_selector={"app": "web"},
                                                                     ingress=[{}])))
    for fmt in ("text", "json", "connlist", "csv", "md"):
        first, second = run(f["old"], f["new"], "--format", fmt), run(f["old"], f["new"], "--format", fmt)
        assert first.returncode == 0 and first.stdout and first.stdout == second.stdout, fmt


def test_values_per_side_and_stdin(tmp_path):
    """The same rendered stream under two configs: vnp's isolation on one side only (no chart policy: with
    one, vnp's release-wide rule would widen what the chart's policy narrows, policies being additive)."""
    f = files(tmp_path, old=stream(WEB, DB), on=NETPOL_ON)
    isolated = run(f["old"], f["old"], "--new-values", f["on"], "--format", "json")
    doc = json.loads(isolated.stdout)
    assert isolated.returncode == 0 and not doc["widens"] and doc["narrows"]
    lost = {(c["src"], c["dst"]) for c in doc["changes"]}
    assert ("default/web[Deployment]", "169.254.0.0-169.254.255.255") in lost  # link-local (cloud metadata) closed
    assert doc["workloads"] == {"added": [], "removed": []}
    # the same from standard input as OLD, and the other way round with --old-values: the mirror image
    piped = run("-", f["old"], "--old-values", f["on"], "--format", "json", stdin=stream(WEB, DB))
    mirror = json.loads(piped.stdout)
    assert piped.returncode == 0 and mirror["widens"] and not mirror["narrows"]
    assert {(c["src"], c["dst"]) for c in mirror["changes"]} == lost
    # --new-set is --new-values' twin; --old-set after the shared --set wins on its side
    set_on = run(f["old"], f["old"], "--new-set", "policies.networkPolicy.enabled=true", "--format", "json")
    assert set_on.stdout == isolated.stdout
    undone = run(f["old"], f["old"], "--set", "policies.networkPolicy.enabled=true",
                 "--old-set", "policies.networkPolicy.enabled=false", "--format", "json")
    assert undone.stdout == isolated.stdout
    # -f applies to both sides: nothing differs
    both = run(f["old"], f["old"], "-f", f["on"], "--fail-on-widen")
    assert both.returncode == 0 and "no change in connectivity" in both.stdout


@pytest.mark.parametrize("major", [4, 3])
def test_one_chart_two_value_sets_with_the_real_helm(tmp_path, major):
    helm = HELM[major]
    if not os.access(helm, os.X_OK):
        pytest.skip(f"Helm {major} binary not found at {helm} (run `make tools`)")
    no_public = tmp_path / "no-public.yaml"
    no_public.write_text("policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        enabled: false\n")
    env = {"HELM_BIN": str(helm)}
    args = [DEMO_CHART, DEMO_CHART, "-f", DEMO_VALUES, "-n", "shop", "--release", "demo", "--format", "json"]
    proc = run(*args, "--new-values", no_public, "--fail-on-widen", env=env)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, schema("diff"))
    assert doc["old"] == doc["new"] == {"release": "demo", "namespace": "shop", "workloads": 3}
    assert not doc["widens"] and doc["narrows"] and {c["type"] for c in doc["changes"]} == {"removed"}
    srcs = {c["src"] for c in doc["changes"]}
    assert srcs == {"shop/demo-demo-chart-web[Deployment]", "shop/demo-demo-chart-worker[Deployment]",
                    "shop/demo-demo-chart-report[CronJob]"}
    assert all(c["dstType"] == "range" for c in doc["changes"])
    assert "1.1.1.1" not in {c["dst"] for c in doc["changes"]}
    public = [c["dst"] for c in doc["changes"] if c["src"] == "shop/demo-demo-chart-web[Deployment]"]
    assert "128.0.0.0-169.253.255.255" in public and "10.20.0.0-10.20.255.255" not in public  # the DB stays
    widened = run(*args, "--old-values", no_public, "--fail-on-widen", env=env)
    assert widened.returncode == 1 and json.loads(widened.stdout)["widens"]
    # a packaged chart is a chart too: the same release, no change
    subprocess.run([str(helm), "package", str(DEMO_CHART), "-d", str(tmp_path)], check=True, capture_output=True)
    [tgz] = tmp_path.glob("*.tgz")
    same = run(tgz, DEMO_CHART, "-f", DEMO_VALUES, env=env)
    assert same.returncode == 0 and same.stdout.endswith("no change in connectivity\n"), same.stderr
    # a rendered side names its release; the chart side, without --release, is "release": said, not hidden
    rendered = tmp_path / "demo.yaml"
    rendered.write_bytes(subprocess.run([str(helm), "template", "demo", str(DEMO_CHART)], check=True,
                                        capture_output=True).stdout)
    renamed = run(DEMO_CHART, rendered, "-f", DEMO_VALUES, "--format", "json", env=env)
    doc = json.loads(renamed.stdout)
    assert renamed.returncode == 0 and "workloads are matched by namespace and name" in renamed.stderr
    assert doc["warnings"][0].startswith("OLD is release release in default, NEW is release demo in default")
    assert len(doc["workloads"]["added"]) == len(doc["workloads"]["removed"]) == 3


def test_bad_input_exits_2_saying_what_and_where(tmp_path):
    f = files(tmp_path, old=OLD, typo=NETPOL_ON + "    enabeld: true\n", broken="kind: [\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        ((f["old"], tmp_path / "missing.yaml"), "missing.yaml: NEW: no such file or directory"),
        (("-", "-"), "OLD and NEW are both '-'"),
        ((f["old"], f["old"], "--format", "svg"), "unknown format 'svg'"),
        ((f["old"], f["old"], "--old-values", f["typo"]),
         f"error: OLD ({f['old']}): {f['typo']}:4: policies.networkPolicy.enabeld: unknown key"),
        ((f["old"], f["broken"]), f"error: NEW ({f['broken']}): {f['broken']}:2: invalid YAML"),
        ((empty, f["old"]), "no *.yaml, *.yml or *.json files in this directory"),
    ]
    for args, message in cases:
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and proc.stdout == "" and "Traceback" not in proc.stderr, (args, proc.stderr)
