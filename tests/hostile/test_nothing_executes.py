"""Nothing executes or fetches: YAML tags never construct objects, no process touches the network or
starts a program (the post-renderer never; lint only the helm binary, and only when given a chart).

Every run is watched from inside by a Python audit hook (``sitecustomize`` on PYTHONPATH) that records
socket, process and exec events; tags that would run code in an unsafe loader leave a marker file.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "subprocess.Popen", "os.system",
          "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "urllib.Request", "ctypes.dlopen")
SITECUSTOMIZE = f'''
import os, sys
_log = os.environ["VNP_AUDIT_LOG"]
_watch = {EVENTS!r}
def _hook(event, args):
    if event in _watch:
        with open(_log, "a") as f:
            f.write(event + " " + repr(args)[:200] + "\\n")
sys.addaudithook(_hook)
'''

pytestmark = pytest.mark.skipif(not (BIN / "vnp-postrender").exists(), reason="the package is not installed in .venv")


def tagged_stream(marker: Path) -> bytes:
    cmd = f"touch {marker}"
    return (f"---\n"
            f"{{apiVersion: apps/v1, kind: Deployment, metadata: {{name: tags}}, spec: {{template: {{metadata: {{}},"
            f" spec: {{containers: [{{name: c, image: b, args: [!!python/object/apply:os.system ['{cmd}'],"
            f" !!python/name:os.system '', !!binary aGVsbG8=, !!set {{a: null}}, !!timestamp 2024-01-01,"
            f" !Ref other, !!omap [{{a: 1}}]]}}]}}}}}}}}\n"
            f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n"
            f"  x: !!python/object/apply:os.system ['{cmd}']\n").encode()


def run(argv: list[str], tmp_path: Path, data: bytes = b"") -> tuple[subprocess.CompletedProcess, list[str]]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "audit.log"
    log.unlink(missing_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(site), "VNP_AUDIT_LOG": str(log),
           "VNP_NO_CACHE": "1", "HOME": str(tmp_path)}
    proc = subprocess.run(argv, input=data, capture_output=True, env=env, timeout=120)
    return proc, log.read_text().splitlines() if log.exists() else []


def test_tags_construct_nothing_in_post_render_and_lint(tmp_path):
    marker = tmp_path / "pwned"
    data = tagged_stream(marker)
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    proc, events = run([str(BIN / "vnp-postrender"), "-f", str(values), "--release", "r"], tmp_path, data)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"vnp.helm-plugin.io/release" in proc.stdout.split(b"\n---", 1)[0]  # the flow document was parsed
    assert events == [] and not marker.exists()
    (tmp_path / "in.yaml").write_bytes(data)
    proc, events = run([str(BIN / "helm-vnp"), "lint", "--rendered", str(tmp_path / "in.yaml"), "--format", "json",
                        "--fail-on", "never"], tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    json.loads(proc.stdout)
    assert events == [] and not marker.exists()


def test_tags_in_values_files_construct_nothing(tmp_path):
    marker = tmp_path / "pwned"
    values = tmp_path / "values.yaml"
    values.write_text(f"image: !!python/object/apply:os.system ['touch {marker}']\n"
                      f"policies:\n  networkPolicy:\n    enabled: !!python/object/apply:os.system ['touch {marker}']\n")
    proc, events = run([str(BIN / "vnp-postrender"), "-f", str(values), "--release", "r"], tmp_path, b"")
    assert proc.returncode == 2 and proc.stdout == b"" and b"Traceback" not in proc.stderr
    assert b"values.yaml:4" in proc.stderr, proc.stderr.decode()
    assert events == [] and not marker.exists()
    proc, events = run([str(BIN / "helm-vnp"), "validate", "-f", str(values)], tmp_path)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert events == [] and not marker.exists()


def test_the_demo_stream_needs_no_network_and_no_program(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n")
    stream = (b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
              b"    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n"
              b"      - name: web\n        image: nginx\n")
    proc, events = run([str(BIN / "vnp-postrender"), "-f", str(values), "--release", "shop"], tmp_path, stream)
    assert proc.returncode == 0 and b"NetworkPolicy" in proc.stdout and events == [], (proc.stderr.decode(), events)
    proc, events = run([str(BIN / "helm-vnp"), "generate", "-f", str(REPO / "examples" / "values.yaml"),
                        "--release", "shop"], tmp_path)
    assert proc.returncode == 0 and events == [], (proc.stderr.decode(), events)


def test_the_watch_sees_what_it_watches(tmp_path):
    """The audit hook is live in a child: a lookup and a program start are both recorded."""
    code = "import socket, subprocess; socket.getaddrinfo('localhost', 80); subprocess.run(['true'])"
    proc, events = run([str(BIN / "python"), "-c", code], tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert any(e.startswith("socket.getaddrinfo") for e in events)
    assert any(e.startswith("subprocess.Popen") for e in events)
