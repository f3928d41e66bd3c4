"""`helm vnp lint A B C`: each input its own release, linted in parallel, one report in argument order in
every format; exit code the worst; an input that cannot be linted is reported and the others still are."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.builders import container, deployment, pod
from tests.cli.clikit import HELM4, REPO, rendered, run

WEB = str(REPO / "tests" / "lint" / "charts" / "web")


@pytest.fixture
def inputs(tmp_path):
    privileged = pod("root", host_network=True, containers=[container("box", security_context={"privileged": True})])
    return [rendered(tmp_path, f"{n}.yaml", deployment(n)) for n in ("zeta", "alpha", "mid")] + \
        [rendered(tmp_path, "priv.yaml", privileged)]


def _json(*args):
    proc = run("lint", "--format", "json", *args)
    return proc.returncode, json.loads(proc.stdout), proc.stderr.decode()


def test_findings_are_each_inputs_own_in_argument_order(inputs):
    code, report, err = _json(*inputs, "--pss-level", "baseline")
    assert code == 1 and err == ""  # priv.yaml: baseline errors
    assert [i["input"] for i in report["summary"]["inputs"]] == inputs
    singles = []
    for path in inputs:
        _, one, _ = _json(path, "--pss-level", "baseline")
        singles += [dict(f, input=path) for f in one["findings"]]
    assert report["findings"] == singles  # exactly what one run each gives, in the order given
    assert report["summary"]["objects"] == 4 and report["summary"]["total"] == len(singles)


def test_reversed_arguments_reverse_the_report(inputs):
    _, forward, _ = _json(*inputs)
    _, backward, _ = _json(*reversed(inputs))
    assert [i["input"] for i in backward["summary"]["inputs"]] == list(reversed(inputs))
    assert {json.dumps(f, sort_keys=True) for f in forward["findings"]} == \
        {json.dumps(f, sort_keys=True) for f in backward["findings"]}


@pytest.mark.skipif(not HELM4.exists(), reason=f"{HELM4} missing: run `make tools`")
def test_a_bad_input_is_reported_and_the_others_still_linted(inputs, tmp_path):
    bad = tmp_path / "broken-chart"
    bad.mkdir()
    (bad / "Chart.yaml").write_text("name: [unclosed\n")
    proc = run("lint", "--format", "json", inputs[0], str(bad), inputs[1], HELM_BIN=str(HELM4))
    code, report, err = proc.returncode, json.loads(proc.stdout), proc.stderr.decode()
    assert code == 2  # the worst: an input that could not be linted
    assert str(bad) in err and "Chart.yaml" in err and "line 1" in err  # located
    entries = report["summary"]["inputs"]
    assert [e["input"] for e in entries] == [inputs[0], str(bad), inputs[1]]
    assert "error" in entries[1] and "error" not in entries[0] and entries[2]["total"] > 0
    assert {f["input"] for f in report["findings"]} == {inputs[0], inputs[1]}


def test_exit_code_is_the_worst(inputs):
    clean = run("lint", *inputs[:2], "--fail-on", "error")
    assert clean.returncode == 0  # warnings only
    assert run("lint", *inputs[:2], "--fail-on", "warning").returncode == 1
    assert run("lint", *inputs, "--pss-level", "baseline").returncode == 1


def test_text_has_a_section_per_input_and_a_total(inputs):
    proc = run("lint", *inputs[:2])
    out = proc.stdout.decode()
    assert out.index(f"== {inputs[0]}") < out.index(f"== {inputs[1]}")
    assert out.rstrip().splitlines()[-1].startswith("total: 0 errors, ") and out.rstrip().endswith("2 inputs")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_every_format_gives_one_report(inputs, fmt):
    proc = run("lint", "--format", fmt, *inputs[:2], "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode()
    if fmt == "sarif":
        runs = json.loads(text)["runs"]
        assert len(runs) == 1
        files = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in runs[0]["results"]
                 if r.get("locations")]
        assert any(f.endswith("zeta.yaml") for f in files) and any(f.endswith("alpha.yaml") for f in files)
    elif fmt == "junit":
        assert ET.fromstring(text).tag == "testsuites"
        assert "zeta.yaml" in text and "alpha.yaml" in text
    else:
        lines = [line for line in text.splitlines() if line.startswith("::")]
        assert "zeta.yaml" in lines[0] and "alpha.yaml" in lines[-1]


@pytest.mark.skipif(not HELM4.exists(), reason=f"{HELM4} missing: run `make tools`")
def test_charts_and_rendered_files_together(inputs):
    proc = run("lint", "--format", "json", WEB, inputs[0], HELM_BIN=str(HELM4))
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)["summary"]["inputs"]
    assert [(e["input"], e["objects"]) for e in entries] == [(WEB, 3), (inputs[0], 1)]


def test_rendered_with_positional_inputs_is_refused(inputs):
    proc = run("lint", inputs[0], inputs[1], "--rendered", inputs[2])
    assert proc.returncode == 2 and b"not both" in proc.stderr


FAKE_HELM = """#!/bin/sh
echo "$*" >> "{log}"
case "$1" in
  version) echo "{version}" ;;
  template) printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: c\\n' ;;
  *) echo "unexpected: $*" >&2; exit 3 ;;
esac
"""


def _fake_helm(tmp_path, version: str):
    log = tmp_path / "helm.log"
    helm = tmp_path / "helm"
    helm.write_text(FAKE_HELM.format(log=log, version=version))
    helm.chmod(0o755)
    charts = []
    for name in ("a", "b", "c"):
        chart = tmp_path / name
        chart.mkdir()
        (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
        charts.append(str(chart))
    return helm, log, charts


def test_helm_version_is_asked_once_for_several_charts(tmp_path):
    helm, log, charts = _fake_helm(tmp_path, "v4.1.0+gabc")
    proc = run("lint", "--format", "json", *charts, HELM_BIN=str(helm))
    assert proc.returncode == 0, proc.stderr
    calls = [line.split()[0] for line in log.read_text().splitlines()]
    assert sorted(calls) == ["template"] * 3 + ["version"]


def test_an_unknown_helm_version_is_the_error_shown(tmp_path):
    helm, log, charts = _fake_helm(tmp_path, "garbage")
    proc = run("lint", charts[0], HELM_BIN=str(helm))
    assert proc.returncode == 2 and b"cannot tell the version" in proc.stderr
    several = run("lint", "--format", "json", *charts, HELM_BIN=str(helm))
    assert several.returncode == 2 and several.stderr.decode().count("cannot tell the version") == 3


RENDERING_HELM = """#!/bin/sh
case "$1" in
  version) echo v4.1.0 ;;
  template)
    chart=$3
    shift 5
    values=""
    while [ $# -gt 0 ]; do
      if [ "$1" = "--values" ]; then values="$values$(cat "$2")"; shift; fi
      shift
    done
    echo "$(basename "$chart") values=[$values]" >> "{log}"
    case "$chart" in */b) echo "b cannot render" >&2; exit 1 ;; esac
    printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s\\n' "$(basename "$chart")" ;;
esac
"""


def test_charts_are_rendered_ahead_each_once_with_its_own_outcome(tmp_path):
    """The parent renders the charts ahead while the workers lint: each chart is rendered once, with the values
    read from stdin handed to every render, and a failed render is its own input's error only."""
    helm, log, charts = _fake_helm(tmp_path, "v4.1.0")
    helm.write_text(RENDERING_HELM.format(log=log))
    proc = run("lint", "--format", "json", "-f", "-", *charts, stdin=b"policies: {}\n", HELM_BIN=str(helm))
    assert proc.returncode == 2, proc.stderr
    assert sorted(log.read_text().splitlines()) == [f"{n} values=[policies: {{}}]" for n in ("a", "b", "c")]
    stderr = proc.stderr.decode()
    assert stderr.count("`helm template` failed: b cannot render") == 1 and charts[1] in stderr
    entries = json.loads(proc.stdout)["summary"]["inputs"]
    assert [(e["input"], e.get("objects"), "b cannot render" in e.get("error", "")) for e in entries] == \
        [(charts[0], 1, False), (charts[1], None, True), (charts[2], 1, False)]


def test_rendered_files_alone_run_no_helm(inputs, tmp_path):
    """Several rendered files: nothing to render, so no Helm runs at all (not even `helm version`)."""
    helm, log, _ = _fake_helm(tmp_path, "v4.1.0")
    proc = run("lint", "--format", "json", *inputs[:2], HELM_BIN=str(helm))
    assert proc.returncode == 0, proc.stderr
    assert not log.exists()
