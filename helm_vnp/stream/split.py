"""Cut a YAML stream into document segments, byte-exact, without parsing.

A segment runs from the start of its ``---`` line (or the stream start) to
the start of the next ``---`` line, and a ``...`` line closes the segment it
ends.  Concatenating the segments gives back the input byte for byte.  In
YAML a line starting with ``---``/``...`` followed by a space, tab or line end
is always a document marker (it may not occur inside any scalar), so a line
scan is exact.  ``bytes.find`` keeps this at memory speed on 50 MB streams.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.stream.document import Document
from helm_vnp.stream.line_proof import has_control

_AFTER = frozenset(b" \t\r\n")


def _markers(data: bytes, token: bytes, source: str = "") -> list[int]:
    out = []
    n = len(data)
    if data.startswith(token):
        if n == 3 or data[3] in _AFTER:
            out.append(0)
        elif token == b"---":
            raise _not_a_marker(data, 0, source)
    needle = b"\n" + token
    i = data.find(needle)
    while i >= 0:
        j = i + 4
        if j == n or data[j] in _AFTER:
            out.append(i + 1)
        elif token == b"---":
            raise _not_a_marker(data, i + 1, source)
        i = data.find(needle, i + 1)
    return out


def _not_a_marker(data: bytes, at: int, source: str) -> VnpError:
    """A line that starts with ``---`` and goes on (``---#``, ``----``): YAML reads text there, while
    Kubernetes' stream reader splits a document at ``---#`` and refuses the stream at ``----``.  vnp
    would label, check and count other objects than the cluster gets: refused."""
    return VnpError(Problem("a line starting with '---' that is not a YAML document marker: Kubernetes reads "
                            "a document separator there (or refuses the stream), YAML reads text",
                            file=source, line=data.count(b"\n", 0, at) + 1,
                            hint="put a space after '---' (`--- # comment`) or indent the line"))


def _control_char(data: bytes, source: str) -> VnpError | None:
    """A character YAML forbids anywhere in a stream (a C0 or C1 control but tab and line breaks, DEL): Kubernetes'
    reader refuses the stream where it meets one, and whether it meets one past a document's end depends on how
    far its scanner has read ahead, which vnp's edits move.  Refused wherever it is, with its line."""
    import re

    if not has_control(data):
        if data.isascii():
            return None
        found = re.search(rb"\xc2[\x80-\x84\x86-\x9f]", data)  # C1 controls but NEL (a line break) in UTF-8
    else:
        found = re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data)
    if found is None:
        return None
    char = found.group().decode("utf-8", "replace")
    return VnpError(Problem(f"a control character (U+{ord(char):04X}) YAML forbids: Kubernetes refuses a stream "
                            "holding one wherever its reader meets it; vnp refuses it anywhere",
                            file=source, line=data.count(b"\n", 0, found.start()) + 1,
                            hint="remove it from the chart (a template printing binary data: b64enc it)"))


def split(data: bytes, source: str = "") -> list[Document]:
    """Split ``data`` into documents; ``source`` names the file in messages.  Raises VnpError at a line
    that starts with ``---`` but is not a document marker, and at a control character YAML forbids."""
    bad = _control_char(data, source)
    if bad is not None:
        raise bad
    starts = _markers(data, b"---", source)
    ends = _markers(data, b"...")
    cuts = starts
    if ends:  # a '...' line belongs to the segment it closes: cut after it
        after = []
        for e in ends:
            nl = data.find(b"\n", e)
            after.append(len(data) if nl < 0 else nl + 1)
        cuts = sorted(set(starts) | set(after))
    docs: list[Document] = []
    pos = 0
    line = 1
    for cut in cuts:
        if cut > pos:
            docs.append(Document(data[pos:cut], line, source))
            line += data.count(b"\n", pos, cut)
            pos = cut
    if pos < len(data) or not docs:
        docs.append(Document(data[pos:], line, source))
    return docs
