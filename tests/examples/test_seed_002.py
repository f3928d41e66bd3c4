"""Seed 002 (Deckhouse: network policies for virtual machines): every command of examples/seed-002/README.md, run
as written, prints its expected connlist, and each expected file says what the page says the policy does."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.examples.readme_commands import REPO, readme_commands, run

FOLDER = REPO / "examples" / "seed-002"
COMMANDS = readme_commands(FOLDER)
A = "test-project/vm-a(metadata.labels)[VirtualMachine]"
B = "test-project/vm-b(metadata.labels)[VirtualMachine]"
V4, V6 = "0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
ANOTHER, THIRD = "another-project/client[Deployment]", "third-project/client[Deployment]"


def pairs(name: str) -> dict[tuple[str, str], str]:
    lines = (FOLDER / "expected" / f"{name}.txt").read_text().splitlines()
    out = {}
    for line in lines:
        src, rest = line.split(" => ")
        dst, conns = rest.split(" : ")
        out[(src, dst)] = conns
    return out


def to(table: dict, dst: str) -> set:
    return {s for (s, d) in table if d == dst}


def frm(table: dict, src: str) -> set:
    return {d for (s, d) in table if s == src}


def test_every_example_file_has_a_command():
    used = {Path(arg).name for argv, _ in COMMANDS for arg in argv if arg.endswith(".yaml")}
    assert used == {p.name for p in FOLDER.glob("*.yaml")}
    assert {e.name for _, e in COMMANDS} == {p.name for p in (FOLDER / "expected").glob("*.txt")}


@pytest.mark.parametrize("argv, expected", COMMANDS, ids=[e.stem for _, e in COMMANDS])
def test_the_readme_command_prints_the_expected_output(argv, expected):
    proc = run(argv)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected.read_text()
    assert "List: holds a VirtualMachine" in proc.stderr  # vms.yaml is a List, read item by item with a warning


def test_the_expected_outputs_say_what_the_page_says():
    t = pairs("no-policies")  # "By default, incoming and outgoing traffic is unrestricted"
    assert t[(A, B)] == t[(B, A)] == t[(V4, A)] == t[(A, V6)] == "All Connections"
    t = pairs("deny-ingress-vm-a")
    assert to(t, A) == set() and frm(t, A) == {B, V4, V6}
    t = pairs("deny-ingress-and-egress-vm-a")
    assert to(t, A) == set() and frm(t, A) == set() and t[(B, V4)] == "All Connections"
    t = pairs("allow-ingress-from-vm-b-to-vm-a")
    assert to(t, A) == {B} and t[(B, A)] == "All Connections"
    t = pairs("allow-egress-from-vm-a-to-8-8-8-8")
    assert frm(t, A) == {"8.8.8.8-8.8.8.8"} and t[(A, "8.8.8.8-8.8.8.8")] == "TCP 53"
    t = pairs("port-range")
    assert frm(t, A) == {"8.8.8.8-8.8.8.8"} and t[(A, "8.8.8.8-8.8.8.8")] == "TCP 32000-32768"
    t = pairs("allow-ingress-from-namespace-another-project-to-vm-a")
    assert to(t, A) == {ANOTHER} and (THIRD, A) not in t and (B, A) not in t
    assert t[(THIRD, B)] == "All Connections"  # vm-b is not selected: still open
