"""Charts rendered ahead: ``helm vnp lint A B C`` starts ``helm version`` and the first charts' ``helm template``
before it loads its own modules, so Helm renders while Python imports, and hands each render to the worker that
lints it (``helm_vnp.lint.many``)."""
from __future__ import annotations

from helm_vnp.base.errors import VnpError
from helm_vnp.helm import helm_binary, major_of, rendered, start_template, start_version, template_key, template_target
from helm_vnp.helm.runs import Started, cores


class Ahead:
    """The charts of one ``lint A B C`` rendered ahead: ``helm version`` and the first ``limit`` ``helm
    template``s start at once, the next one as each is taken (``take``, in any order), so no more than
    ``limit`` run at a time.  Each chart is rendered exactly as ``helm.template`` would (same arguments)."""

    def __init__(self, helm: str, charts: list[str], release: str | None, namespace: str | None, flags, given,
                 limit: int):
        self.helm = helm
        self._target = (*template_target(release, namespace), tuple(flags), dict(given or {}))
        self._order = list(dict.fromkeys(charts))
        self._runs: dict[str, Started] = {}
        self._limit = max(1, limit)
        self._version = start_version(helm)
        self._major: tuple | None = None
        self._start_more()

    def key(self, chart: str) -> tuple:
        """``helm.template_key`` of the chart's render."""
        release, namespace, flags, given = self._target
        return template_key(self.helm, chart, release, namespace, flags, given)

    def take(self, chart: str) -> tuple:
        """(key, the stream or the problems of its failure) of ``chart``, for ``helm.use_rendered``."""
        if chart not in self._runs:
            self._start(chart)
        run = self._runs.pop(chart)
        result = rendered(chart, run)
        self._start_more()
        return self.key(chart), result

    def major(self) -> int | None:
        """The helm's major version; None when it cannot be told (each chart's own run then says why)."""
        if self._major is None:
            try:
                self._major = (major_of(self.helm, self._version),)
            except VnpError:
                self._major = (None,)
        return self._major[0]

    def _start(self, chart: str) -> None:
        release, namespace, flags, given = self._target
        if chart in self._order:
            self._order.remove(chart)
        self._runs[chart] = start_template(self.helm, chart, release, namespace, flags, given)

    def _start_more(self) -> None:
        while self._order and len(self._runs) < self._limit:
            self._start(self._order[0])


def start_renders(charts: list[str], values, release: str | None, namespace: str | None) -> Ahead | None:
    """``Ahead`` for these charts (``values``: the ``ValuesInput`` of every chart input), one more at a time than
    there are cores; None without charts, or without a helm binary (each chart input then says so)."""
    if not charts:
        return None
    try:
        helm = helm_binary()
    except VnpError:
        return None
    return Ahead(helm, charts, release, namespace, values.helm_flags(), values.given(), cores() + 1)
