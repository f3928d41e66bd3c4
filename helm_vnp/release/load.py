"""From what the user names (a chart, rendered files, values and flags) to the ``Release``.

The chart is rendered by the real ``helm template``; rendered inputs are files,
directories or stdin.  The config never aborts a load: invalid config is
replaced by the defaults and its problems travel with the release
(``Release.config_errors``), so lint shows everything in one run and graph can
refuse it.  Lint, graph and every later command start here.
"""
from __future__ import annotations

import os

from helm_vnp.base.errors import VnpError
from helm_vnp.base.record import field, record
from helm_vnp.config import check_values
from helm_vnp.config.values_input import ValuesInput
from helm_vnp.helm import DEFAULT_NAMESPACE, DEFAULT_RELEASE, template_target
from helm_vnp.release.attribution import one_release
from helm_vnp.release.build import build_release
from helm_vnp.release.documents import read_objects
from helm_vnp.release.inputs import render_chart, rendered_inputs
from helm_vnp.release.model import Release
from helm_vnp.release.pipeline import infer_namespace, infer_release, is_generated


@record
class LoadOptions:
    chart: str | None = None
    rendered: list[str] = field(default_factory=list)
    # -f, --set*, --vnp-values; its ``stdin`` is what `-` (values or --rendered) reads
    values: ValuesInput = field(default_factory=ValuesInput)
    namespace: str | None = None  # -n; else (--rendered) the stream's own; else $HELM_NAMESPACE; else "default"
    release: str | None = None  # --release, else inferred from the stream, else "release"

    @property
    def stdin_bytes(self) -> bytes | None:
        """What `-` (values or --rendered) reads."""
        return self.values.stdin


def load_release(opts: LoadOptions, rule_ids: tuple = ()) -> Release:
    """The release as it would be installed; ``rule_ids``: the lint rules there are (disable
    annotations are checked against them).  Raises VnpError for input errors (exit 2)."""
    config = _load_config(opts)
    if opts.chart is not None:
        return _chart_release(opts, config, rule_ids)
    objects = read_objects(rendered_inputs(opts.rendered, opts.stdin_bytes))
    docs = one_release(objects.docs, opts.release)  # a stream of several releases: one at a time, or refused
    return _rendered_release(docs, opts.release or infer_release(docs) or DEFAULT_RELEASE, opts, config,
                             objects.invalid, rule_ids)


def chart_target(opts: LoadOptions) -> tuple[str, str]:
    """(release, namespace) the chart is rendered as."""
    return template_target(opts.release, opts.namespace)


def _chart_release(opts: LoadOptions, config, rule_ids: tuple) -> Release:
    from helm_vnp.helm import helm_binary, helm_major
    release, namespace = chart_target(opts)
    helm = helm_binary()
    # `helm version` beside `helm template` (two Helm start-ups at once); its error, if any, is the one shown
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        major = pool.submit(helm_major, helm)
        try:
            rendered = render_chart(opts.chart, release, namespace, opts.values)
        except BaseException:
            major.result()
            raise
        hooks_unseen = major.result() < 4  # Helm 3 does not post-render hooks: they stay unlabelled
    objects = read_objects([rendered])
    loaded, config_errors, config_warnings = config
    return build_release(objects.docs, loaded.policies, release, namespace, hooks_unseen=hooks_unseen,
                         origins=loaded.origins, invalid=objects.invalid, config_errors=config_errors,
                         config_warnings=config_warnings, rule_ids=tuple(rule_ids))


def _rendered_release(docs: list, release: str, opts: LoadOptions, config, invalid: list, rule_ids: tuple) -> Release:
    # Helm always sets $HELM_NAMESPACE for a plugin (the context's, usually "default"): a rendered
    # stream that names its namespace knows better
    namespace = (opts.namespace or generated_namespace(docs, release) or infer_namespace(docs)
                 or os.environ.get("HELM_NAMESPACE") or DEFAULT_NAMESPACE)
    loaded, config_errors, config_warnings = config
    return build_release(docs, loaded.policies, release, namespace, origins=loaded.origins, invalid=invalid,
                         config_errors=config_errors, config_warnings=config_warnings, rule_ids=tuple(rule_ids))


@record
class Scene:
    """What graph, explain and diff analyse: the releases (each post-rendered with the config, as installed)
    and the objects that stand for the rest of the cluster (``context``: kept as they are, nothing
    generated for them; None when there are none)."""
    releases: list[Release]
    context: Release | None = None


def load_scene(opts: LoadOptions, rule_ids: tuple = ()) -> Scene:
    """Like ``load_release``, but a rendered input holding several releases is read whole: every release
    (or the one ``--release`` names) is post-rendered on its own with the config, and the objects of no
    analysed release (other teams' workloads, Namespaces, the ingress controller) are its context."""
    from helm_vnp.release.attribution import owner
    config = _load_config(opts)
    if opts.chart is not None:
        return Scene([_chart_release(opts, config, rule_ids)])
    objects = read_objects(rendered_inputs(opts.rendered, opts.stdin_bytes))
    owners = {id(d): owner(d) for d in objects.docs}
    names = sorted({n for n in owners.values() if n is not None})
    if len(names) <= 1:  # one release (or none told apart): the whole stream, as load_release reads it
        name = opts.release or infer_release(objects.docs) or DEFAULT_RELEASE
        return Scene([_rendered_release(objects.docs, name, opts, config, objects.invalid, rule_ids)])
    if opts.release is not None and opts.release not in names:
        from helm_vnp.base.errors import Problem
        raise VnpError(Problem(f"no object of the rendered input belongs to release {opts.release!r} "
                               f"(it holds {', '.join(map(repr, names)) or 'no labelled release'})",
                               path="--release", expected=", ".join(names) or None))
    chosen = [opts.release] if opts.release is not None else names
    releases = [_rendered_release([d for d in objects.docs if owners[id(d)] == name], name, opts, config,
                                  objects.invalid if i == 0 else [], rule_ids) for i, name in enumerate(chosen)]
    rest = [d for d in objects.docs if owners[id(d)] not in chosen]
    context = Release("", opts.namespace or DEFAULT_NAMESPACE, config[0].policies, rest) if rest else None
    return Scene(releases, context)


def load_cluster(paths: list[str], stdin_bytes: bytes | None, namespace: str | None = None) -> Release:
    """``--cluster-policies`` inputs (files, directories, ``-``), read like ``--rendered`` ones, as a
    ``Release`` that is not post-rendered: the rest of the cluster (AdminNetworkPolicies and the baseline,
    NetworkPolicies, Namespaces, other teams' workloads).  An object without a namespace is in
    ``namespace`` (``-n``), else ``default``.  Unreadable documents: VnpError (exit 2)."""
    from helm_vnp.base.errors import Problem

    objects = read_objects(rendered_inputs(paths, stdin_bytes, "--cluster-policies"), lists_may_hold_workloads=True)
    if objects.invalid:
        raise VnpError([Problem(bad.message, file=bad.source.file or None, line=bad.source.line or None,
                                path="--cluster-policies") for bad in objects.invalid])
    return Release("", namespace or DEFAULT_NAMESPACE, {}, [d for d in objects.docs if not d.is_empty])


def generated_namespace(docs: list, release: str) -> str | None:
    """The namespace vnp's own objects for ``release`` name in a rendered stream: the post-renderer writes the
    release namespace into them (``-n``), so they know it better than a count of the chart's objects."""
    names = {d.namespace for d in docs if not d.is_empty and is_generated(d, release)} - {None, ""}
    return names.pop() if len(names) == 1 else None


def _load_config(opts: LoadOptions):
    """(config to lint with, errors, warnings); invalid config -> the defaults, plus its errors."""
    loaded, problems = check_values(opts.values)
    if loaded is not None:
        return loaded, [], list(problems)
    defaults, _ = check_values()
    if defaults is None:  # cannot happen unless the defaults themselves are broken
        raise VnpError(problems)
    return defaults, list(problems), []
