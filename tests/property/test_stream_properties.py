"""Property tests (hypothesis) for the splitter, the label injector and post_render's guarantees.

The streams are Kubernetes-like documents written the many ways charts write
YAML (see ``yaml_writer``); the expectation comes from the parser alone
(``postrender_oracle``), never from the labeller under test.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload
from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split
from helm_vnp.stream.labelling import plan_by_indent, plan_by_lines, plan_by_parser
from helm_vnp.stream.labelling.edit import apply
from helm_vnp.stream.scalars import ASK_PARSER
from tests.property.postrender_oracle import (
    _UNPARSABLE,
    RELEASE,
    check_post_render,
    parse_raw,
    split_or_refused,
)
from tests.property.yaml_writer import stream

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STREAMS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])


# -- splitter ----------------------------------------------------------------------------------------
stream_bytes = st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from([b"---", b"...", b"--- x", b"---\t", b"----", b"a: 1", b"# c", b"", b"\r", b" ---",
                              b"\xef\xbb\xbf---", b"...x", b"k: |", b"  ---"]),
             max_size=12).map(lambda xs: b"\n".join(xs)),
    st.lists(st.sampled_from([b"---", b"...", b"a: 1", b"# c", b""]), max_size=12).map(lambda xs: b"\r\n".join(xs)),
)


@FAST
@given(stream_bytes)
def test_split_segments_concatenate_to_the_input(data):
    docs = split_or_refused(data, "s.yaml")
    if docs is None:
        return
    assert docs, "even an empty stream is one (empty) document"
    assert b"".join(d.raw for d in docs) == data
    line = 1
    for i, d in enumerate(docs):
        assert d.line == line, "a segment's line is where its first byte is"
        assert d.source == "s.yaml"
        if i:
            assert d.raw, "only a lone empty stream gives an empty segment"
            assert d.raw.startswith((b"---", b"...")) or data[:sum(len(x.raw) for x in docs[:i])].endswith(b"\n"), \
                "segments start at a marker line or right after a '...' line"
        line += d.raw.count(b"\n")


@FAST
@given(st.lists(st.sampled_from([b"---", b"...", b"a: 1", b"b: |", b"  ---", b"# c", b"--- # x"]), max_size=10))
def test_split_cuts_at_every_marker_line_and_nowhere_else(lines):
    data = b"\n".join(lines) + b"\n"
    docs = split(data)
    starts = {d.line for d in docs}
    for n, text in enumerate(lines, start=1):
        if text.startswith(b"---"):
            assert n in starts, f"line {n} ({text!r}) starts a document"
        if text == b"..." and n < len(lines):
            assert n + 1 in starts, "the line after '...' starts a new segment"
    assert b"".join(d.raw for d in docs) == data


# -- the writer is trustworthy (else every other property is vacuous) --------------------------------
@STREAMS
@given(stream())
def test_generated_text_parses_to_the_drawn_objects(drawn):
    objs, data = drawn
    docs = [d for d in split(data) if not d.is_empty]
    assert len(docs) == len(objs)
    for obj, d in zip(objs, docs):
        if obj is not None:  # None: the writer used aliases, the text is the truth
            assert parse_raw(d.raw) == obj


# -- post_render ---------------------------------------------------------------------------------------
@STREAMS
@given(stream())
def test_post_render_adds_only_the_label_and_the_generated_objects(reference_policies, drawn):
    _, data = drawn
    try:
        result = check_post_render(data, reference_policies)
    except VnpError as exc:
        # the only refusal these streams may meet: a label the template already has for another release
        # is replaced, never refused; anything else is a bug
        pytest.fail(f"refused a valid stream: {exc}\n{data.decode()}")
    assert post_render(data, reference_policies, RELEASE, None).output == result.output, "not deterministic"
    names = [g["metadata"]["name"] for g in result.generated]
    parsed = [d.obj_or_none for d in split(data) if not d.is_empty]  # the drawn list holds None where aliases are
    kinds = [o for o in parsed if isinstance(o, dict) and o.get("kind")]
    hooks_alone = all(((o.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook") for o in kinds)
    if kinds and hooks_alone:  # the hooks' pass of Helm 4.2's `separate` strategy: nothing generated
        assert names == []
    else:
        assert names and all(RELEASE in n for n in names)


@STREAMS
@given(stream())
def test_label_value_of_another_release_is_replaced(reference_policies, drawn):
    _, data = drawn
    result = post_render(data, reference_policies, "other", None)
    for d in result.workloads:
        obj = parse_raw(d.raw)
        from helm_vnp.k8s.workloads import pod_template
        t = pod_template(obj, d.kind)
        if t is not None:
            assert (t.get("metadata") or {}).get("labels", {}).get(RELEASE_LABEL) == "other"


@STREAMS
@given(stream())
def test_the_three_planners_agree(drawn):
    """plan_by_indent, plan_by_lines and plan_by_parser: each declines or gives the same object."""
    _, data = drawn
    for doc in split(data):
        if doc.kind not in POD_METADATA_PATH or not is_workload(doc.kind, doc.api_version) \
                or not doc.is_block_mapping:
            continue
        path = POD_METADATA_PATH[doc.kind]
        outcomes = {}
        for name, plan in (("by_indent", lambda: plan_by_indent.plan(doc, path, RELEASE_LABEL, RELEASE)),
                           ("by_lines",
                            lambda: plan_by_lines.plan(doc.raw, doc.body_start, path, RELEASE_LABEL, RELEASE)),
                           ("by_parser", lambda: plan_by_parser.plan(doc, path, RELEASE_LABEL, RELEASE))):
            edits = plan()
            if edits is ASK_PARSER:
                continue
            out = parse_raw(apply(doc.raw, edits or []))
            assert out is not _UNPARSABLE, f"{name} planner wrote YAML that does not parse"
            outcomes[name] = out
        assert "by_parser" in outcomes, "the parser planner never declines a valid document"
        first = outcomes["by_parser"]
        for name, out in outcomes.items():
            assert out == first, f"{name} planner disagrees with the parser planner"
