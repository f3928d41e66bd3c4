"""ValuesInput: the values flags as one value, and what every command computes from them."""
from __future__ import annotations

import os

from helm_vnp.config import ValuesInput, env_values


def test_config_files_in_precedence_order(monkeypatch):
    monkeypatch.setenv("VNP_VALUES", os.pathsep.join(["base1.yaml", "", "base2.yaml"]))
    values = ValuesInput(["a.yaml", "-"], vnp_files=["vnp.yaml"])
    assert env_values() == ["base1.yaml", "base2.yaml"]
    assert values.config_files() == ["base1.yaml", "base2.yaml", "vnp.yaml", "a.yaml", "-"]
    assert ValuesInput(["a.yaml"], env=False).config_files() == ["a.yaml"]


def test_flags_handed_on_to_helm_and_to_the_post_renderer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    values = ValuesInput(["a.yaml", "-", "https://example.com/v.yaml"], sets=["x=1"], set_strings=["y=2"],
                         set_jsons=['z={"k":1}'], vnp_files=["vnp.yaml"])
    sets = ["--set=x=1", "--set-string=y=2", '--set-json=z={"k":1}']
    assert values.helm_flags() == ["--values", "a.yaml", "--values", "-", "--values", "https://example.com/v.yaml",
                                   *sets]  # never --vnp-values
    real = os.path.realpath(tmp_path)
    assert values.postrender_flags("/tmp/in.yaml") == [
        "-f", f"{real}/vnp.yaml", "-f", f"{real}/a.yaml", "-f", "/tmp/in.yaml", "-f", "https://example.com/v.yaml",
        *sets]


def test_with_stdin_file_replaces_only_dash_and_copies():
    values = ValuesInput(["a.yaml", "-"], sets=["x=1"])
    copy = values.with_stdin_file("/tmp/in.yaml")
    assert copy.files == ["a.yaml", "/tmp/in.yaml"] and values.files == ["a.yaml", "-"]
    assert copy.sets == ["x=1"] and copy.sets is not values.sets
    assert values.with_stdin_file(None) == values


def test_unreadable_names_each_file_once_and_skips_stdin_and_urls(tmp_path, monkeypatch):
    monkeypatch.delenv("VNP_VALUES", raising=False)
    good = tmp_path / "good.yaml"
    good.write_text("a: 1\n")
    missing, directory = str(tmp_path / "missing.yaml"), str(tmp_path)
    values = ValuesInput([str(good), "-", "https://example.com/v.yaml", directory], vnp_files=[missing])
    assert [(p.message, p.file, p.path) for p in values.unreadable()] == [
        ("values file not found", missing, "--values"),
        ("is a directory, not a values file", directory, "--values"),
    ]
