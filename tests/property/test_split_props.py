"""The splitter loses nothing: for ANY bytes, the segments concatenate to the input."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from helm_vnp.stream import split
from tests.property.postrender_oracle import first_control, split_or_refused

# pieces that make markers likely: '---' and '...' at line starts, with every follower
PIECES = st.sampled_from([b"---", b"...", b"\n", b"\r\n", b"\r", b" ", b"\t", b"#", b"a: 1", b"- x", b"-", b".",
                          b"\xef\xbb\xbf", b"\x00", b"\xff", b"--- {}", b"...x", b"---x", b"%YAML 1.2"])
STREAMS = st.one_of(st.binary(max_size=400), st.lists(PIECES, max_size=60).map(b"".join))



@settings(max_examples=1500, deadline=None)
@given(STREAMS)
def test_segments_concatenate_to_the_input(data):
    docs = split_or_refused(data, "s")
    if docs is None:
        return
    assert b"".join(d.raw for d in docs) == data
    assert docs, "even an empty stream is one (empty) document"


@settings(max_examples=800, deadline=None)
@given(STREAMS)
def test_segments_start_at_markers_and_know_their_line(data):
    docs = split_or_refused(data, "s")
    if docs is None:
        return
    offset = 0
    for i, d in enumerate(docs):
        assert d.line == data.count(b"\n", 0, offset) + 1
        if i:
            prev = docs[i - 1].raw
            # a segment starts at a '---' line, or right after a line that was a '...' marker
            last_line = prev.rstrip(b"\n").rsplit(b"\n", 1)[-1]
            assert d.raw.startswith(b"---") or last_line.startswith(b"..."), (prev[-20:], d.raw[:20])
        assert d.raw or data == b"", "no empty segment, except the one document of an empty stream"
        offset += len(d.raw)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=60).filter(lambda b: b"\n---" not in b"\n" + b and b"\n..." not in b"\n" + b
                                              and not b.startswith((b"---", b"...")) and first_control(b) is None),
                min_size=1, max_size=8))
def test_one_segment_per_marker(bodies):
    """Documents joined with '---' lines come back as exactly those documents."""
    data = b"".join(b"---\n" + b + (b"" if b.endswith(b"\n") else b"\n") for b in bodies)
    docs = split(data)
    assert len(docs) == len(bodies)
