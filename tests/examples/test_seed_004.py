"""Seed 004 (sample NetworkPolicies: namespace isolation, inter-namespace communication): every command of
examples/seed-004/README.md, run as written, prints its expected connlist, and each expected file says what the
policy does by the API (where the page's text says otherwise, the README says so)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.examples.readme_commands import REPO, readme_commands, run

FOLDER = REPO / "examples" / "seed-004"
COMMANDS = readme_commands(FOLDER)
WEB, DB = "namespace-a/web[Deployment]", "namespace-a/db[Deployment]"
B, C = "namespace-b/client[Deployment]", "namespace-c/client[Deployment]"
V4 = "0.0.0.0-255.255.255.255"


def pairs(name: str) -> set[tuple[str, str]]:
    lines = (FOLDER / "expected" / f"{name}.txt").read_text().splitlines()
    assert all(line.endswith(" : All Connections") for line in lines)
    return {tuple(line.split(" : ")[0].split(" => ")) for line in lines}


def test_every_example_file_has_a_command():
    used = {Path(arg).name for argv, _ in COMMANDS for arg in argv if arg.endswith(".yaml")}
    assert used == {p.name for p in FOLDER.glob("*.yaml")}
    assert {e.name for _, e in COMMANDS} == {p.name for p in (FOLDER / "expected").glob("*.txt")}


@pytest.mark.parametrize("argv, expected", COMMANDS, ids=[e.stem for _, e in COMMANDS])
def test_the_readme_command_prints_the_expected_output(argv, expected):
    proc = run(argv)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected.read_text()


def test_the_expected_outputs_say_what_the_policies_do():
    everyone = {WEB, DB, B, C}
    t = pairs("no-policies")
    assert {(s, d) for s in everyone for d in everyone if s != d} <= t
    t = pairs("namespace-isolation")
    assert not {(s, d) for (s, d) in t if d in (WEB, DB)}  # not even web -> db: the page's text is wrong
    assert {(WEB, B), (WEB, C), (DB, V4)} <= t  # egress untouched
    t = pairs("namespace-isolation-as-described")
    assert {(s, d) for (s, d) in t if WEB in (s, d) or DB in (s, d)} == {(WEB, DB), (DB, WEB)}
    t = pairs("inter-namespace")
    assert {(s, d) for (s, d) in t if WEB in (s, d) or DB in (s, d)} == {(WEB, B), (DB, B), (B, WEB), (B, DB)}
