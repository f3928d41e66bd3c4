"""Run the commands an example folder's README lists, as written, and compare each with its expected output.

A README line ``helm-vnp ARGS [< INPUT] | diff - EXPECTED`` (in a ```sh block) is run from the repository root
with this environment's ``helm-vnp`` (no shell: the arguments are split as a shell would split them, INPUT is its
standard input) and its stdout must equal the file EXPECTED byte for byte."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
_LINE = re.compile(r"^(helm-vnp .+?) \| diff - (\S+)$")


def readme_commands(folder: Path) -> list[tuple[list[str], Path]]:
    """(argv, expected file) for each ``helm-vnp … | diff - FILE`` line of the folder's README."""
    text = (folder / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    found = [_LINE.match(line) for block in blocks for line in block.splitlines()]
    return [(shlex.split(m.group(1)), REPO / m.group(2)) for m in found if m]


def run(argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """``helm-vnp …`` (or ``vnp-postrender …``) from this environment, at the repository root; ``< FILE`` at the
    end of argv is its standard input."""
    stdin = ""
    if len(argv) > 2 and argv[-2] == "<":
        stdin = (REPO / argv[-1]).read_text()
        argv = argv[:-2]
    exe = str(BIN / argv[0])
    base = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "VNP_NO_CACHE": "1"}
    return subprocess.run([exe, *argv[1:]], cwd=REPO, capture_output=True, text=True, env={**base, **(env or {})},
                          input=stdin, timeout=300)
