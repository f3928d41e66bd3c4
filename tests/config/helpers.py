"""Small helpers shared by the config tests: write values files, load them without the cache."""
from __future__ import annotations

import textwrap
from pathlib import Path

from helm_vnp.config import ValuesInput, check_values, load_config


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def load(tmp_path: Path, text: str = "", **kw):
    files = [write(tmp_path, "values.yaml", text)] if text else []
    return load_config(ValuesInput(files, **kw), use_cache=False)


def errors(tmp_path: Path, text: str = "", **kw) -> list[str]:
    files = [write(tmp_path, "values.yaml", text)] if text else []
    config, problems = check_values(ValuesInput(files, **kw), use_cache=False)
    assert config is None, "expected the configuration to be rejected"
    return [p.render().replace(str(tmp_path) + "/", "") for p in problems]
