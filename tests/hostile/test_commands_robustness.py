"""Every command, not only the post-renderer, on hostile input: no traceback, a located error or
finding, exit 2 for what cannot be read (lint: its documented codes), nothing half-written."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
STREAMS = REPO / "tests" / "hostile" / "cases" / "streams"
pytestmark = pytest.mark.skipif(not (BIN / "helm-vnp").exists(), reason="the package is not installed in .venv")


def run(*args, stdin: bytes = b"", exe: str = "helm-vnp") -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VNP_NO_CACHE": "1", "HOME": "/tmp"}
    return subprocess.run([str(BIN / exe), *map(str, args)], input=stdin, capture_output=True, env=env, timeout=120)


def clean(proc) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err[-1500:]


def test_deep_documents_in_lint_and_graph():
    deep = STREAMS / "deep-flow-template-labels.yaml"
    lint = run("lint", "--rendered", deep, "--format", "json")
    clean(lint)
    assert b"internal error" not in lint.stdout and lint.returncode in (0, 1)
    graph = run("graph", "--rendered", deep)
    clean(graph)
    assert graph.returncode in (0, 2)


def test_graph_refuses_a_stream_the_post_renderer_refuses():
    proc = run("graph", "--rendered", STREAMS / "alias-recursive-workload.yaml")
    clean(proc)
    assert proc.returncode == 2 and proc.stdout == b"" and b"recursive alias" in proc.stderr


def test_lint_refuses_a_workload_inside_a_list_like_the_post_renderer():
    proc = run("lint", "--rendered", STREAMS / "list-kind-with-deployment.yaml", "--format", "json")
    clean(proc)
    assert proc.returncode == 1 and b"holds a Deployment" in proc.stdout


def test_huge_integers_and_deep_set_flags(tmp_path):
    digits = "9" * 5000
    values = tmp_path / "v.yaml"
    values.write_text(f"replicaCount: {digits}\npolicies:\n  networkPolicy:\n    enabled: true\n")
    for proc in (run("-f", values, "--release", "r", exe="vnp-postrender"), run("validate", "-f", values),
                 run("validate", "--set", f"k={digits}"), run("validate", "--set", "a" + "[0]" * 3000 + "=1"),
                 run("validate", "--set-json", "x=" + "[" * 5000 + "]" * 5000)):
        clean(proc)
        assert proc.returncode in (0, 1, 2) and proc.returncode != 70


def test_lone_surrogates_do_not_kill_the_output(tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text('policies:\n  networkPolicy:\n    enabled: true\n    annotations: {a: "\\udfff"}\n')
    for args in (["generate", "-f", values, "--release", "r"], ["validate", "-f", values]):
        clean(run(*args))
    clean(run("-f", values, "--release", "r", exe="vnp-postrender"))


def test_no_library_warning_quotes_a_values_file(tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text("auth: {password: &pw CANARY-42, replica: &pw other}\npolicies:\n  networkPolicy:\n"
                      "    enabled: true\n")
    proc = run("validate", "-f", values)
    assert b"CANARY-42" not in proc.stderr and b"Warning" not in proc.stderr, proc.stderr.decode()


def test_output_onto_a_symlink_or_a_fifo(tmp_path):
    stream = STREAMS / "list-kind-with-deployment.yaml"
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    proc = run("lint", "--rendered", stream, "--format", "json", "-o", link, "--fail-on", "never")
    clean(proc)
    assert link.is_symlink() and target.read_text().startswith("{")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = run("lint", "--rendered", stream, "--format", "json", "-o", fifo, "--fail-on", "never")
    out = reader.communicate(timeout=60)[0]
    clean(proc)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and out.startswith(b"{")


def test_a_full_disk_is_an_error_not_a_traceback(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        for argv, exe in ((["--release", "r", "--set", "policies.networkPolicy.enabled=true"], "vnp-postrender"),
                          (["schema"], "helm-vnp")):
            proc = subprocess.run([str(BIN / exe), *argv], input=b"", stdout=full, stderr=subprocess.PIPE,
                                  env={"PATH": "/usr/bin:/bin", "VNP_NO_CACHE": "1"}, timeout=60)
            assert b"Traceback" not in proc.stderr and proc.returncode == 2, proc.stderr.decode()


def test_a_damaged_cache_entry_is_a_miss(tmp_path):
    import json
    cache = tmp_path / "cache"
    values = tmp_path / "v.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    env = {"PATH": "/usr/bin:/bin", "VNP_CACHE_DIR": str(cache)}
    argv = [str(BIN / "vnp-postrender"), "-f", str(values), "--release", "r"]
    first = subprocess.run(argv, input=b"", capture_output=True, env=env, check=True).stdout
    [entry] = cache.glob("*.json")
    data = json.loads(entry.read_text())
    data["config"]["policies"] = {}
    entry.write_text(json.dumps(data))
    again = subprocess.run(argv, input=b"", capture_output=True, env=env)
    assert again.returncode == 0 and again.stdout == first, again.stderr.decode()
