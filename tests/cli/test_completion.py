"""`helm-vnp completion bash|zsh|fish`: a script the shell accepts and that completes commands and flags."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.cli.clikit import BIN, env, run


def _script(shell: str, tmp_path) -> str:
    proc = run("completion", shell)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / f"helm-vnp.{shell}"
    path.write_bytes(proc.stdout)
    return str(path)


def _bash_complete(script: str, *words: str) -> list[str]:
    """What bash offers for ``helm-vnp WORDS...<TAB>`` (the last word is the one completed)."""
    words_q = " ".join(f"'{w}'" for w in ("helm-vnp", *words))
    prev = (("helm-vnp",) + words)[-2]
    code = (f"source {script}; COMP_WORDS=({words_q}); COMP_CWORD={len(words)}; "
            f"_helm_vnp_completion helm-vnp '{words[-1]}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # helm-vnp as the script calls it
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", code], capture_output=True, env=env(PATH=path),
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [w for w in proc.stdout.decode().splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_flags_and_shells(tmp_path):
    script = _script("bash", tmp_path)
    assert _bash_complete(script, "li") == ["lint", "lint-paths"]
    assert _bash_complete(script, "lint", "--fo") == ["--format"]
    assert sorted(_bash_complete(script, "completion", "")) == ["bash", "fish", "zsh"]
    assert "explain" in _bash_complete(script, "")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (apt-get install zsh)")
def test_zsh_script_is_valid_zsh(tmp_path):
    proc = subprocess.run(["zsh", "-n", _script("zsh", tmp_path)], capture_output=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (apt-get install fish)")
def test_fish_script_is_valid_and_completes(tmp_path):
    script = _script("fish", tmp_path)
    proc = subprocess.run(["fish", "--no-execute", script], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    proc = subprocess.run(["fish", "--no-config", "-c", f"source {script}; complete -C'helm-vnp li'"],
                          capture_output=True, env=env(PATH=path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [line.split("\t")[0] for line in proc.stdout.decode().splitlines()] == ["lint", "lint-paths"]


def test_unknown_shell_is_refused():
    proc = run("completion", "tcsh")
    assert proc.returncode == 2 and b"unknown shell 'tcsh'" in proc.stderr and proc.stdout == b""
