"""The fast test that sends a workload to the parser agrees with the one-regex definition."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from helm_vnp.stream.line_proof import has_unprintable

# the definition: C0 controls but tab and line breaks, DEL, a lone CR, NEL, U+2028 and U+2029
REFERENCE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2\x85|\xe2\x80[\xa8\xa9]")
PIECES = st.sampled_from([b"a: 1\n", b"\r\n", b"\r", b"\t", b"\x00", b"\x1f", b"\x7f", b"\xc2\x85", b"\xc2\x86",
                          b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xe2\x80\xa7", "é".encode(), b"\n", b"x"])


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.lists(PIECES, max_size=40).map(b"".join)))
def test_same_answer_as_the_definition(raw):
    assert has_unprintable(raw) == bool(REFERENCE.search(raw))


def test_each_class_is_seen():
    for bad in (b"x\x00", b"\x0b", b"a\rb", b"a\r", "\u0085".encode(), "\u2028".encode(), "\u2029".encode(), b"\x7f"):
        assert has_unprintable(b"kind: Pod\n" + bad), bad
    for good in (b"a\r\nb\r\n", b"\ttab", "é ü – …".encode()):
        assert not has_unprintable(good), good
