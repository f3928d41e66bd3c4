"""Where in a chart's template file a rendered object starts.

``helm template`` names each object's template (``# Source: CHART/templates/x.yaml``,
or Helm 4's postrender-filename annotation) but not its line, and it sorts the
objects by kind (install order), keeping template order within a kind.  So the
n-th rendered ``Deployment`` of a template is matched to the n-th ``---``-separated
chunk of that template whose literal ``kind:`` is ``Deployment``, and points at the
chunk's first top-level key.  A chunk whose kind is itself templated, or a loop
rendering more objects than it has chunks, falls back to the best chunk there is
(the last match, or the template's only chunk), else line 1.

Paths: the ``CHART/`` prefix of a Source line is the chart's *name*; for a local
chart directory it is replaced by the directory as the user gave it, so findings
point at a file that exists.  A subchart's segment (``charts/NAME/``) is its name
too, or its alias (``dependencies[].alias`` of the parent's Chart.yaml): it is
resolved to the unpacked directory under ``charts/`` that holds that chart (its
directory name can differ: ``charts/redis-17.3.14/``).  A subchart packed as a
``.tgz`` has no file to open: the Source path stays as Helm wrote it.
"""
from __future__ import annotations

import os
import re

_SEPARATOR = re.compile(r"^---")
_KIND = re.compile(r"^kind:[ \t]*[\"']?([A-Za-z0-9]+)[\"']?[ \t]*(?:#.*)?$")
_TOP_KEY = re.compile(r"^[A-Za-z\"']")


class ChartFiles:
    """The template files of one local chart directory, read on demand."""

    def __init__(self, chart_dir: str | None):
        self.chart_dir = chart_dir
        self._chunks: dict[str, list[tuple[int, str | None]]] = {}
        self._seen: dict[tuple[str, str], int] = {}
        self._subcharts: dict[tuple[str, str], str | None] = {}

    def path_of(self, source: str) -> str:
        """The file a ``# Source:`` path names, as the user can open it (unchanged when unknown)."""
        if not self.chart_dir or "/" not in source:
            return source
        here, rest = self.chart_dir, source.split("/")[1:]
        while len(rest) > 2 and rest[0] == "charts":
            sub = self._subchart(here, rest[1])
            if sub is None:
                return source
            here, rest = sub, rest[2:]
        candidate = os.path.join(here, *rest)
        return os.path.normpath(candidate) if os.path.isfile(candidate) else source

    def _subchart(self, parent: str, name: str) -> str | None:
        """The directory under ``parent/charts`` of the subchart Helm calls ``name`` (its name, or the alias the
        parent gives it); None when it is not unpacked there or two directories could be it."""
        key = (parent, name)
        if key not in self._subcharts:
            aliased = {d["name"] for d in _dependencies(parent) if d.get("alias") == name}
            wanted = aliased or {name}  # an alias: the directory holds the chart under its own name
            found = sorted(d for d in _chart_dirs(os.path.join(parent, "charts")) if _chart_name(d) in wanted)
            self._subcharts[key] = found[0] if len(found) == 1 else None
        return self._subcharts[key]

    def line_of(self, source: str, kind: str | None) -> int | None:
        """The line where the next rendered object of ``kind`` from ``source`` starts, or None if unknown."""
        path = self.path_of(source)
        if path == source and not os.path.isfile(path):
            return None
        chunks = self._chunks.get(path)
        if chunks is None:
            chunks = self._chunks[path] = _chunks(path)
        if not chunks:
            return None
        n = self._seen.get((path, kind or ""), 0)
        self._seen[(path, kind or "")] = n + 1
        same = [line for line, k in chunks if k == kind and kind]
        if same:
            return same[min(n, len(same) - 1)]
        untyped = [line for line, k in chunks if k is None]
        if len(untyped) == 1:
            return untyped[0]
        return chunks[0][0] if len(chunks) == 1 else None


def _chunks(path: str) -> list[tuple[int, str | None]]:
    """(first top-level key line, literal kind or None) of each ``---`` chunk with content."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    out: list[tuple[int, str | None]] = []
    first: int | None = None
    kind: str | None = None
    for number, text in enumerate(lines + ["---"], 1):
        if _SEPARATOR.match(text):
            if first is not None:
                out.append((first, kind))
            first, kind = None, None
            continue
        if first is None and _TOP_KEY.match(text):
            first = number
        m = _KIND.match(text)
        if m and kind is None:
            kind = m.group(1)
    return out


def _chart_yaml(chart_dir: str) -> dict:
    """A chart directory's Chart.yaml as data ({} when it cannot be read)."""
    from helm_vnp.base.errors import VnpError
    from helm_vnp.base.yamlload import load
    try:
        with open(os.path.join(chart_dir, "Chart.yaml"), encoding="utf-8") as fh:
            data = load(fh.read(), "Chart.yaml")
    except (OSError, UnicodeDecodeError, VnpError):
        return {}
    return data if isinstance(data, dict) else {}


def _chart_name(chart_dir: str) -> str | None:
    name = _chart_yaml(chart_dir).get("name")
    return name if isinstance(name, str) else None


def _dependencies(chart_dir: str) -> list[dict]:
    """The parent's ``dependencies`` entries that have a name."""
    deps = _chart_yaml(chart_dir).get("dependencies")
    return [d for d in deps if isinstance(d, dict) and isinstance(d.get("name"), str)] if isinstance(deps, list) else []


def _chart_dirs(charts: str) -> list[str]:
    """The unpacked chart directories under a ``charts/`` directory."""
    try:
        entries = os.listdir(charts)
    except OSError:
        return []
    return [os.path.join(charts, e) for e in entries if os.path.isfile(os.path.join(charts, e, "Chart.yaml"))]
