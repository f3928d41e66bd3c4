"""`--help` on every command shows examples; `--version` on both entry points and `python -m helm_vnp`, answered
without loading Typer, Click, ruamel or jsonschema; a command loads only its own module."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helm_vnp import __version__
from helm_vnp.cli import COMMANDS
from tests.cli.clikit import BIN, env, run


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_examples(name):
    proc = run(name, "--help")
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


def _loaded_after(*argv: str) -> set[str]:
    """The top-level packages imported by the CLI for ``argv``, read from ``-X importtime``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "helm_vnp", *argv], capture_output=True,
                          env=env(), stdin=subprocess.DEVNULL)
    names = set()
    for line in proc.stderr.decode().splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert "helm_vnp.cli" in names, proc.stderr.decode()[-2000:]
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


def test_post_render_through_helm_vnp_skips_typer():
    loaded = _loaded_after("post-render", "--version")
    assert not {n for n in loaded if n.split(".")[0] in ("typer", "click")}


def test_unknown_command_is_a_usage_error():
    proc = run("lnt")
    assert proc.returncode == 2 and b"No such command" in proc.stderr
