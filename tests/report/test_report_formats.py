"""text, json and github formats: grouping, colour, the json contract, workflow-command escaping."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

from helm_vnp.lint import LintReport
from helm_vnp.release.model import ObjectRef, Source
from helm_vnp.report import render
from helm_vnp.rules.rule import Finding
from tests.report.report_helpers import build_report


def test_json_contract(tmp_path):
    report = build_report(tmp_path)
    body = json.loads(render("json", report))
    assert set(body) == {"findings", "summary"}
    for f in body["findings"]:
        assert set(f) <= {"rule", "severity", "message", "object", "source", "container"}
        assert {"rule", "severity", "message", "object", "source"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")
        assert set(f["object"]) == {"apiVersion", "kind", "name", "namespace"}
        assert set(f["source"]) == {"file", "line"} and isinstance(f["source"]["line"], int)
    summary = body["summary"]
    assert sum(summary["bySeverity"].values()) == summary["total"] == len(body["findings"])
    assert sum(summary["byRule"].values()) == summary["total"]
    assert summary["objects"] == report.objects


def test_text_groups_by_object_with_location_and_summary(tmp_path):
    report = build_report(tmp_path)
    text = render("text", report)
    assert "\x1b[" not in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Deployment default/web ("))
    assert header.endswith("all, 100% of it.yaml:25)")  # the line of its apiVersion
    assert lines[0] == "config"  # config findings first, each with its own location
    assert lines[1].split()[:2] == ["warning", "config.unsupported:"] and "values.yaml:6:" in lines[1]
    assert lines[-1].startswith(f"{report.counts()['bySeverity']['error']} errors, ")
    assert lines[-1].endswith(f"in {report.objects} objects (release release, namespace default)")
    coloured = render("text", report, color=True)
    assert "\x1b[31merror  \x1b[0m" in coloured and "\x1b[1mDeployment default/web\x1b[0m" in coloured


def _tty_run(path: str, env: dict) -> str:
    """Run the CLI with stdout on a pseudo-terminal; what the terminal received."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "helm_vnp", "lint", "--rendered", path, "--pss-level", "baseline"],
                            stdout=secondary, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(primary)
    return b"".join(chunks).decode()


def test_colour_only_on_a_tty_and_never_with_no_color(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n"
                    "  containers: [{name: c, image: x}]\n")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31m" in _tty_run(str(path), env)
    assert "\x1b[" not in _tty_run(str(path), dict(env, NO_COLOR="1"))
    piped = subprocess.run([sys.executable, "-m", "helm_vnp", "lint", "--rendered", str(path), "--pss-level",
                            "baseline"], capture_output=True, env=env, timeout=120)
    assert b"\x1b[" not in piped.stdout and b"hostPID=true" in piped.stdout


def _synthetic(findings):
    return LintReport(findings, [], 1, 0, "r", "ns")


def test_github_commands_escape_data_and_properties():
    f = Finding("pss.x", "error", "100% bad\nsecond line\r", ObjectRef("v1", "Pod", "p", "ns"),
                Source("dir/a,b:c%.yaml", 7))
    info = Finding("pss.y", "info", "fyi", ObjectRef(), Source("v.yaml", 0))
    lines = render("github", _synthetic([f, info])).splitlines()
    assert lines[0] == ("::error file=dir/a%2Cb%3Ac%25.yaml,line=7,title=pss.x::Pod ns/p: 100%25 bad%0Asecond line%0D")
    assert lines[1] == "::notice file=v.yaml,title=pss.y::fyi"
    assert lines[2] == "1 error, 0 warnings, 1 info in 1 object (release r, namespace ns)"


def test_github_real_report(tmp_path):
    report = build_report(tmp_path)
    lines = render("github", report).splitlines()
    assert len(lines) == len(report.findings) + 1
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])
    assert all("\n" not in line for line in lines)
