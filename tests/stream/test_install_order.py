"""Where vnp's objects go in the output.  Helm 3 creates objects in stream order (the post-renderer is told so
by ``install_order``, which ``vnp-postrender`` sets when Helm runs it): vnp's objects go after the chart's
leading Namespaces, NetworkPolicies, quotas and limit ranges, before everything else, and the chart's documents
stay byte for byte.  Where a document's boundary is not a plain ``---`` line, they are appended instead."""
from __future__ import annotations

from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split
from tests.builders import deployment, network_policy, service, stream
from tests.rules.rulekit import policies_from as config

VALUES = """
policies:
  networkPolicy: {enabled: true}
  resourceQuota: {enabled: true}
  limitRange: {enabled: true}
"""


def render(text: str, install_order: bool) -> tuple[list, bytes]:
    policies, _ = config(VALUES)
    result = post_render(text.encode(), policies, "shop", "team-a", install_order=install_order)
    return result.generated, result.output


def layout(out: bytes) -> list[str]:
    return ["vnp" if b"helm-vnp/generated.yaml" in d.raw else d.kind or "" for d in split(out) if d.raw.strip()]


def chart_bytes(out: bytes) -> bytes:
    return b"".join(d.raw for d in split(out) if b"helm-vnp/generated.yaml" not in d.raw)


def test_install_order_puts_vnps_objects_after_the_leading_kinds_and_before_the_rest():
    text = stream(network_policy("chart-np"), service("web"), deployment("web"))
    generated, out = render(text, install_order=True)
    n = len(generated)
    assert n >= 3
    assert layout(out) == ["NetworkPolicy"] + ["vnp"] * n + ["Service", "Deployment"]
    _, appended = render(text, install_order=False)
    assert chart_bytes(out) == chart_bytes(appended)  # the chart's documents (labelled), byte for byte
    assert sorted(d.raw for d in split(out)) == sorted(d.raw for d in split(appended))  # the same documents


def test_without_install_order_vnps_objects_are_appended():
    text = stream(service("web"), deployment("web"))
    generated, out = render(text, install_order=False)
    assert layout(out) == ["Service", "Deployment"] + ["vnp"] * len(generated)


def test_a_directive_or_an_end_marker_before_the_insertion_point_keeps_vnps_objects_at_the_end():
    """``%YAML`` belongs to the document after it and a segment after ``...`` opens without ``---``:
    inserting there would split a document from its directive or glue two documents together."""
    for text in ("%YAML 1.1\n" + stream(deployment("web")),
                 stream(network_policy("np")) + "...\n" + stream(deployment("web"))[4:]):
        generated, out = render(text, install_order=True)
        assert out == render(text, install_order=False)[1], text
        assert layout(out)[-len(generated):] == ["vnp"] * len(generated)
