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
    assert values.postrender_flags({"-": "/tmp/in.yaml"}) == [
        "-f", f"{real}/vnp.yaml", "-f", f"{real}/a.yaml", "-f", "/tmp/in.yaml", "-f", "https://example.com/v.yaml",
        *sets]


def test_read_once_reads_pipes_and_devices_once_and_bounded(tmp_path, monkeypatch):
    """A pipe (``-f <(sops -d f)``) is read once, into ``once``; regular files are left to their readers;
    a device that never ends stops one byte past the limit."""
    monkeypatch.delenv("VNP_VALUES", raising=False)
    monkeypatch.setenv("VNP_MAX_VALUES_MB", "1")
    regular = tmp_path / "v.yaml"
    regular.write_text("a: 1\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    import threading

    def feed():
        with open(fifo, "wb") as fh:
            fh.write(b"policies: {}\n")

    writer = threading.Thread(target=feed)
    writer.start()
    values = ValuesInput([str(regular), str(fifo), "/dev/zero", "-"], stdin=b"x: 1\n")
    values.read_once()
    writer.join(10)
    assert values.once[str(fifo)] == b"policies: {}\n" and str(regular) not in values.once
    assert isinstance(values.once["/dev/zero"], OSError) and "1 MiB" in values.once["/dev/zero"].strerror
    assert values.given() == {str(fifo): b"policies: {}\n", "-": b"x: 1\n"}


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
