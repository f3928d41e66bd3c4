"""From the chart's documents and the config to the ``Release``: the same post-render the
post-renderer runs, so what lint and graph examine is exactly what would be installed."""
from __future__ import annotations

from helm_vnp.release.model import Release
from helm_vnp.release.pipeline import generates, is_generated, post_render


def build_release(docs: list, policies: dict, name: str, namespace: str, *, hooks_unseen: bool = False,
                  **facts) -> Release:
    """Post-render ``docs`` (vnp's own objects for this release among them are replaced when the config
    generates any, as the post-renderer replaces them; kept as facts otherwise) and model the result;
    ``facts`` are the other ``Release`` fields (origins, invalid, config_errors, config_warnings, rule_ids).

    Pod Security and the tenant checks are left to the ``pss.*`` and ``tenant.*`` rules (the post-renderer
    stops at the first violating render; the linter reports them all).  Each output document keeps its
    input's ``lint_source``.
    """
    # with nothing to generate, vnp's objects in the input are what is in force: kept, as the post-renderer keeps them
    chart_docs = [d for d in docs if not is_generated(d, name)] if generates(policies) else list(docs)
    # unknownWorkloads: error is the workload.unknownKind rule's to report (with every such object), not a
    # refusal of the whole lint; warn stays a render warning (render.warning shows it)
    mode = policies.get("unknownWorkloads") or "error"
    modelled = dict(policies, unknownWorkloads="ignore" if mode == "error" else mode)
    # otherNamespaces: refuse is the scope.namespace rule's to report (an error, with every such object)
    netpol = policies.get("networkPolicy") or {}
    if (netpol.get("otherNamespaces") or "refuse") == "refuse":
        modelled["networkPolicy"] = dict(netpol, otherNamespaces="ignore")
    result = post_render(b"", modelled, name, namespace, docs=chart_docs, hooks_unseen=hooks_unseen,
                         check_pod_security=False, collect_unapplied=True, check_tenant=False)
    out = [d for d in result.docs if not d.is_empty]  # an empty input still splits into one empty document
    if len(out) != len(chart_docs):  # a bug: the split of our own stream must match
        raise RuntimeError(f"post-render returned {len(out)} documents for {len(chart_docs)}")
    for doc, src in zip(out, chart_docs):
        doc.lint_source = src.lint_source
    return Release(name, namespace, policies, out, result.generated, render_warnings=list(result.warnings),
                   entry_points=result.entry_points, notes=result.notes,
                   unapplied=result.unapplied, **facts)
