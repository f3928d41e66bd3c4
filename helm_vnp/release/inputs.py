"""Where the manifests to lint come from: files, directories, stdin, or a real `helm template`.

A chart is rendered by the real Helm (``$HELM_BIN``, else ``helm`` on PATH)
with the user's ``-f``/``--set*`` flags, namespace and release name, without
``--include-crds``: the post-renderer never sees the chart's ``crds/`` either,
and no rule reads CRDs.  Hooks are kept (they create pods the cluster checks).
"""
from __future__ import annotations

import os
from pathlib import Path

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.config.values_input import ValuesInput
from helm_vnp.release.documents import Input

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN_NAME = "<stdin>"


def rendered_inputs(paths: list[str], stdin_bytes: bytes | None, option: str = "--rendered") -> list[Input]:
    """Each ``--rendered`` path (or ``option``'s): a file, a directory (manifests found recursively,
    sorted), or ``-``."""
    inputs: list[Input] = []
    problems: list[Problem] = []
    for path in paths:
        if path == "-":
            inputs.append(Input(STDIN_NAME, stdin_bytes or b""))
            continue
        p = Path(path)
        if p.is_dir():
            found = _manifests_under(p)
            if not found:
                problems.append(Problem("no *.yaml, *.yml or *.json files in this directory", file=path))
            for f in found:
                _read(str(f), f, inputs, problems, option)
        else:
            _read(path, p, inputs, problems, option)
    if problems:
        raise VnpError(problems)
    return inputs


def _manifests_under(root: Path) -> list[Path]:
    """Manifest files under ``root`` in sorted path order; hidden directories (.git) are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath) / n for n in filenames if n.endswith(MANIFEST_SUFFIXES) and not n.startswith(".")]
    return sorted(found, key=lambda f: f.relative_to(root).parts)


def _read(name: str, path: Path, inputs: list[Input], problems: list[Problem], option: str = "--rendered") -> None:
    try:
        inputs.append(Input(name, path.read_bytes()))
    except FileNotFoundError:
        problems.append(Problem("file not found (expected an existing file or directory)", file=name, path=option,
                                expected="an existing file or directory"))
    except OSError as exc:
        problems.append(Problem(f"cannot read: {exc.strerror or exc}", file=name, path=option))


def render_chart(chart: str, release: str, namespace: str, values: ValuesInput) -> Input:
    """``helm template RELEASE CHART -n NS`` with the values flags -> the rendered stream as one input."""
    from helm_vnp.helm import helm_binary, template

    stream = template(helm_binary(), chart, release, namespace, values.helm_flags(), values.given())
    return Input(f"helm template {chart}", stream, chart=True,
                 chart_dir=chart if os.path.isdir(chart) else None)
