"""`--help` on every command shows examples; `--version` on both entry points and `python -m helm_vnp`, answered
without loading Typer, Click, ruamel or jsonschema; a command loads only its own module."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helm_vnp import __version__
from helm_vnp.cli import COMMANDS
from tests.cli.clikit import BIN, env, run


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_examples(name, flag):
    proc = run(name, flag)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "Examples:" in out and ("helm vnp " + name in out or "helm-vnp " + name in out), out
    assert proc.stderr == b""


def test_root_help_lists_every_command():
    proc = run("--help")
    assert proc.returncode == 0
    listed = {line.split()[0] for line in proc.stdout.decode().split("Commands:")[1].splitlines() if line.strip()
              and line.startswith("  ") and not line.startswith("   ")}
    assert set(COMMANDS) <= listed


def test_postrender_help():
    proc = subprocess.run([str(BIN / "vnp-postrender"), "--help"], capture_output=True, env=env())
    assert proc.returncode == 0 and b"usage: vnp-postrender" in proc.stdout


@pytest.mark.parametrize("argv, prog", [
    ([str(BIN / "helm-vnp"), "--version"], "helm-vnp"),
    ([str(BIN / "vnp-postrender"), "--version"], "vnp-postrender"),
    ([sys.executable, "-m", "helm_vnp", "--version"], "helm-vnp"),
])
def test_version(argv, prog):
    proc = subprocess.run(argv, capture_output=True, env=env())
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{prog} {__version__}\n".encode(), b"")


HEAVY = ("typer", "click", "ruamel", "jsonschema", "rich")


PROBE = """
import json, sys
sys.argv = ["helm-vnp", *json.loads(sys.argv[1])]
from helm_vnp.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _loaded_after(*argv: str) -> set[str]:
    """The modules the CLI has imported once it has run ``argv`` (in-process, read from sys.modules)."""
    import json

    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, env=env(),
                          stdin=subprocess.DEVNULL, timeout=120)
    line = proc.stderr.decode().rsplit("\nMODULES ", 1)
    assert len(line) == 2, proc.stderr.decode()[-2000:]
    names = set(json.loads(line[1]))
    assert "helm_vnp.cli" in names
    return names


def test_version_loads_nothing_heavy():
    loaded = _loaded_after("--version")
    assert not {n for n in loaded if n.split(".")[0] in HEAVY}


def test_a_command_loads_only_its_own_module():
    loaded = _loaded_after("schema")
    assert "helm_vnp.commands.config_cmds" in loaded
    for other in ("lint", "graph", "diff", "docs", "misc_cmds"):
        assert f"helm_vnp.commands.{other}" not in loaded
    assert "jsonschema" not in loaded


def test_validate_with_plain_flags_skips_typer(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    loaded = _loaded_after("validate", "-f", str(values), "--set=policies.resourceQuota.enabled=true")
    assert "helm_vnp.config" in loaded and not {n for n in loaded if n.split(".")[0] in ("typer", "click")}
    assert "typer" in _loaded_after("validate", "--help")  # anything else: Typer, with its help and messages


def test_post_render_through_helm_vnp_skips_typer():
    loaded = _loaded_after("post-render", "--version")
    assert not {n for n in loaded if n.split(".")[0] in ("typer", "click")}
    assert "helm_vnp.config" not in loaded  # the post-renderer answers --version before its own imports


def test_unknown_command_is_a_usage_error():
    proc = run("lnt")
    assert proc.returncode == 2 and b"No such command" in proc.stderr


@pytest.mark.parametrize("text, code", [("policies:\n  networkPolicy:\n    enabled: true\n", 0),
                                        ("policies:\n  networkPolicy:\n    enabled: maybe\n", 1),
                                        ("policies: [\n", 1)])
def test_validate_quick_path_answers_as_typer_does(tmp_path, text, code):
    values = tmp_path / "values.yaml"
    values.write_text(text)
    quick = run("validate", "-f", str(values))
    typer_ = run("validate", f"-f{values}")  # a form only Typer parses
    assert quick.returncode == code, quick.stderr
    assert (quick.returncode, quick.stdout, quick.stderr) == (typer_.returncode, typer_.stdout, typer_.stderr)
    missing = run("validate", "--values", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and b"nope.yaml" in missing.stderr


def test_lint_quick_parse_knows_every_lint_flag_typer_knows():
    """The Typer-free parse of `lint` (commands.lint_run.LINT_FLAGS) and the Typer command declare the same flags."""
    import click
    import typer.main

    from helm_vnp.cli import build_app
    from helm_vnp.commands.lint_run import LINT_FLAGS

    group = typer.main.get_command(build_app("lint"))
    command = group.commands["lint"]
    declared = {}
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            kind = "flag" if param.is_flag else ("multi" if param.multiple else "one")
            for name in param.opts + param.secondary_opts:
                declared[name] = kind
    assert declared == {name: kind for name, (_dest, kind) in LINT_FLAGS.items()}
    assert [p.name for p in command.params if isinstance(p, click.Argument)] == ["charts"]


def test_lint_with_plain_flags_skips_typer(tmp_path):
    stream = tmp_path / "s.yaml"
    stream.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    loaded = _loaded_after("lint", "--rendered", str(stream), "--format=json", "-o", str(tmp_path / "out.json"))
    assert "helm_vnp.lint" in loaded and not {n for n in loaded if n.split(".")[0] in ("typer", "click")}
    assert (tmp_path / "out.json").read_text().startswith("{")
    assert not loaded & {"dataclasses", "inspect"}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_lint_rendered_skips_dataclasses_and_inspect(tmp_path, fmt):
    """``import dataclasses`` (with ``inspect``, ``ast``, ``dis``...) cost ~10 ms of every start-up (issue 18):
    helm_vnp declares its records with helm_vnp.base.record."""
    stream = tmp_path / "s.yaml"
    stream.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n"
                      "    spec:\n      containers:\n      - name: c\n        image: x\n")
    loaded = _loaded_after("lint", "--rendered", str(stream), f"--format={fmt}")
    assert "helm_vnp.lint" in loaded and "helm_vnp.base.record" in loaded
    assert not loaded & {"dataclasses", "inspect", "ast", "dis", "tokenize"}


def test_lint_of_an_ordinary_rendered_file_loads_no_ruamel(tmp_path):
    """Block-style documents are read by base.blockyaml: ruamel (tens of ms to import) stays unloaded."""
    stream = tmp_path / "s.yaml"
    stream.write_text(ORDINARY_STREAM)
    loaded = _loaded_after("lint", "--rendered", str(stream))
    assert "helm_vnp.lint" in loaded and "helm_vnp.base.blockyaml" in loaded
    assert not {n for n in loaded if n.startswith(("ruamel", "_ruamel"))}
    loaded = _loaded_after("lint", "--rendered", str(stream), "--set", "policies.networkPolicy.enabled=true")
    assert not {n for n in loaded if n.startswith(("ruamel", "_ruamel"))}
    stream.write_text(ORDINARY_STREAM.replace("replicas: 1", "replicas: &r 1"))  # an anchor: ruamel reads it
    assert "ruamel.yaml" in _loaded_after("lint", "--rendered", str(stream))


ORDINARY_STREAM = """\
---
# Source: demo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  labels:
    app.kubernetes.io/name: demo
    helm.sh/chart: demo-0.1.0
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: demo
  template:
    metadata:
      labels:
        app.kubernetes.io/name: demo
      annotations:
        checksum/config: 0123abc # a comment
    spec:
      securityContext: {}
      containers:
        - name: demo
          image: "nginx:1.25"
          args: ["--port", '80', -v]
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
          env:
          - name: A
            value: 'it''s'
          resources: {}
---
# Source: demo/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  type: ClusterIP
  ports:
  - port: 80
    targetPort: http
  selector:
    app.kubernetes.io/name: demo
---
# Source: demo/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  config.yaml: |
    a: 1
    # comment
  script.sh: |-
    #!/bin/sh
    echo "hi"
"""


@pytest.mark.parametrize("args", [["--format", "json"], ["--format=sarif", "--fail-on", "warning"],
                                  ["-n", "shop", "--release=web", "--disable", "pss", "-v"],
                                  ["--pss-level", "baseline", "--set", "policies.networkPolicy.enabled=true"],
                                  ["--list-rules"], ["--format", "nope"]])
def test_lint_quick_path_answers_as_typer_does(tmp_path, args):
    stream = tmp_path / "s.yaml"
    stream.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n"
                      "    spec:\n      containers:\n      - name: c\n        image: x\n")
    quick = run("lint", *args, str(stream))
    typer_ = run("lint", *args, "--", str(stream))  # `--`: only Typer parses it
    assert (quick.returncode, quick.stdout) == (typer_.returncode, typer_.stdout)
    def untimed(err: bytes) -> list[bytes]:  # -v's lines carry times
        return [line.rsplit(b" in ", 1)[0] if line.startswith(b"checked ") else line
                for line in err.splitlines() if not line.startswith(b"total ")]
    assert untimed(quick.stderr) == untimed(typer_.stderr)


def test_validate_from_the_cache_loads_no_typing_pathlib_hashlib_yaml_nor_schema(tmp_path, monkeypatch):
    """`validate` of values the config cache knows (the second run) is the post-renderer's warm path: none of the
    modules that cost milliseconds to import (issue 18: within 2.5x of a bare start)."""
    monkeypatch.setenv("VNP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VNP_NO_CACHE", raising=False)
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    first = _loaded_after("validate", "-f", str(values))
    assert "jsonschema" in first  # a miss: validated for real (so the check below can fail)
    warm = {n.split(".")[0] for n in _loaded_after("validate", "-f", str(values))}
    assert not warm & {"typing", "pathlib", "hashlib", "ruamel", "_ruamel_yaml", "jsonschema", "dataclasses"}
