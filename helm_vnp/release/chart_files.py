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
point at a file that exists (subcharts under ``charts/`` included when unpacked).
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

    def path_of(self, source: str) -> str:
        """The file a ``# Source:`` path names, as the user can open it (unchanged when unknown)."""
        if not self.chart_dir or "/" not in source:
            return source
        candidate = os.path.join(self.chart_dir, source.split("/", 1)[1])
        return os.path.normpath(candidate) if os.path.isfile(candidate) else source

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
