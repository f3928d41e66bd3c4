"""Colour only on a terminal without NO_COLOR or TERM=dumb; the progress line only on a terminal's stderr,
never when stderr is a pipe; quiet on success, -v says what was checked."""
from __future__ import annotations

import pytest

from tests.builders import deployment
from tests.cli.clikit import rendered, run, run_with_tty

ESC = b"\x1b["


@pytest.fixture
def two(tmp_path):
    return [rendered(tmp_path, "a.yaml", deployment("a")), rendered(tmp_path, "b.yaml", deployment("b"))]


def test_colour_on_a_terminal_only(two):
    code, out, err = run_with_tty(["lint", two[0]], tty_stdout=True, tty_stderr=False)
    assert code == 0 and ESC in out and b"pss.runAsNonRoot" in out  # the positive case: colour is possible
    proc = run("lint", two[0])  # stdout a pipe
    assert proc.returncode == 0 and ESC not in proc.stdout and b"pss.runAsNonRoot" in proc.stdout


@pytest.mark.parametrize("setting", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_colour_when_asked(two, setting):
    code, out, err = run_with_tty(["lint", two[0]], tty_stdout=True, tty_stderr=False, **setting)
    assert code == 0 and b"pss.runAsNonRoot" in out and ESC not in out


def test_empty_no_color_does_not_disable_colour(two):  # no-color.org: present and not empty
    code, out, _ = run_with_tty(["lint", two[0]], tty_stdout=True, tty_stderr=False, NO_COLOR="")
    assert ESC in out


def test_progress_on_a_terminals_stderr(two):
    code, out, err = run_with_tty(["lint", *two, "--format", "json"], tty_stdout=False, tty_stderr=True)
    assert code == 0, err
    assert b"2/2" in err and b"[####################]" in err and b"\r" in err
    assert ESC not in err  # cleared with spaces, no escape sequence
    assert b"[#" not in out and out.startswith(b"{")  # the report itself is untouched


def test_no_progress_on_a_pipe_nor_a_dumb_terminal(two):
    proc = run("lint", *two, "--format", "json")
    assert proc.returncode == 0 and proc.stderr == b""  # quiet on success
    code, out, err = run_with_tty(["lint", *two, "--format", "json"], tty_stdout=False, tty_stderr=True,
                                  TERM="dumb")
    assert code == 0 and err == b""


def test_no_progress_for_one_input(two):
    code, out, err = run_with_tty(["lint", two[0], "--format", "json"], tty_stdout=False, tty_stderr=True)
    assert code == 0 and err == b""


def test_verbose_says_what_was_checked(two):
    proc = run("lint", *two, "-v", "--format", "json")
    err = proc.stderr.decode()
    assert proc.returncode == 0
    lines = err.splitlines()
    assert lines[0].startswith(f"checked {two[0]}: 1 objects") and lines[1].startswith(f"checked {two[1]}: ")
    assert " rules, " in lines[0] and lines[0].endswith(" s") and lines[-1].startswith("total ")
    single = run("lint", two[0], "--verbose")
    assert single.returncode == 0 and single.stderr.decode().startswith(f"checked {two[0]}: 1 objects")


def test_validate_is_quiet_unless_verbose(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    quiet = run("validate", "-f", str(values))
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"valid\n", b"")
    for form in (["-v"], ["--verbose"]):
        loud = run("validate", "-f", str(values), *form)
        assert loud.returncode == 0 and loud.stdout == b"valid\n"
        assert loud.stderr.decode().startswith(f"checked 1 values file ({values}) and 0 --set flags")
    typer_path = run("validate", f"-f{values}", "-v")  # a form only Typer parses: the same answer
    assert typer_path.stderr.decode().startswith(f"checked 1 values file ({values})")


@pytest.mark.parametrize("fmt", ["connlist", "json"])
def test_graph_shows_its_steps_on_a_terminal_only(two, fmt):
    """A large graph takes seconds: its steps (reading, connectivity of N pod templates) on a terminal's stderr,
    cleared before the output; nothing on a pipe, and the output is the same either way."""
    code, out, err = run_with_tty(["graph", "--rendered", two[0], "--rendered", two[1], "--format", fmt],
                                  tty_stdout=False, tty_stderr=True)
    assert code == 0, err
    assert b"0/2 reading and post-rendering" in err and b"1/2 connectivity of 2 pod templates" in err
    assert err.endswith(b"\r") and ESC not in err  # cleared with spaces
    proc = run("graph", "--rendered", two[0], "--rendered", two[1], "--format", fmt)
    assert proc.returncode == 0 and proc.stderr == b"" and proc.stdout == out
