"""The configuration layer: values files and --set flags -> one validated, normalised model.

Cheap to import (the post-renderer imports it on every helm install): YAML and JSON
Schema are only imported when the disk cache misses.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.config.result import LoadedConfig
from helm_vnp.config.values_input import ValuesInput, env_values

TYPE_CHECKING = False  # typing's, without importing typing on every start (type checkers read the name)
if TYPE_CHECKING:
    from typing import Sequence

__all__ = ["LoadedConfig", "ValuesInput", "load_config", "check_values", "schema_text", "env_values"]


def _read_files(values_files: Sequence[str], stdin_bytes: bytes | None,
                once: dict | None = None) -> tuple[list, list, list[Problem]]:
    """([(display name, bytes)], [(resolved path, bytes)] for the cache key, problems)."""
    import os

    from helm_vnp.config.sources import read_file_bytes

    named, keyed, problems = [], [], []
    for path in values_files:
        try:
            name, raw = read_file_bytes(path, stdin_bytes, once)
        except FileNotFoundError:
            problems.append(Problem("values file not found", file=path, expected="an existing file"))
            continue
        except IsADirectoryError:
            problems.append(Problem("is a directory, not a values file", file=path))
            continue
        except OSError as exc:
            problems.append(Problem(f"cannot read values file: {exc.strerror or exc}", file=path))
            continue
        named.append((name, raw))
        # the name as given is part of the key: cached messages and origins name the file that way
        keyed.append((name if path == "-" else f"{name}\0{os.path.realpath(path)}", raw))
    return named, keyed, problems


def check_values(values: ValuesInput | None = None,
                 use_cache: bool = True) -> tuple[LoadedConfig | None, list[Problem]]:
    """Load without raising: (config, warnings) when valid, (None, errors) otherwise.

    ``values``: the files (``values.config_files()``) and --set* flags to read; None: none at all
    (the defaults)."""
    from helm_vnp import __version__
    from helm_vnp.config import cache
    from helm_vnp.config.schemafile import schema_bytes

    if values is None:
        values = ValuesInput(env=False)
    named, keyed, problems = _read_files(values.config_files(), values.stdin, values.once)
    flags = values.set_flags()
    key = inputs = None
    if use_cache and not problems:
        inputs = cache.key_inputs(__version__, schema_bytes(), keyed, flags)
        key = cache.key_of(inputs)
        hit = cache.read(key, inputs)
        if hit is not None:
            try:
                config = LoadedConfig.from_json(hit)
                return config, config.warnings
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # corrupt entry: a miss
    from helm_vnp.config.loader import load

    config, found = load(named, flags)
    if problems:
        return None, problems + (found if config is None else [])
    if config is not None and key is not None:
        cache.write(key, config.to_json(), inputs)
    return config, found


def load_config(values: ValuesInput | None = None, use_cache: bool = True) -> LoadedConfig:
    """The validated, normalised config; raises VnpError listing every problem."""
    config, problems = check_values(values, use_cache)
    if config is None:
        raise VnpError(problems)
    return config


def schema_text() -> str:
    """The JSON Schema of the policies block (schema/vnp.schema.json), as text."""
    from helm_vnp.config.schemafile import schema_bytes

    return schema_bytes().decode("utf-8")
