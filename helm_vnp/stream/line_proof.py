"""When a document's lines *are* its YAML structure, and when they are not.

The fast readers (``Document``'s head scan, ``indent_search``, ``block_lines``)
read keys off lines.  That is only right when no line of the document lies
inside something that spans lines: a multi-line quoted scalar or flow
collection (a "decoy" ``template:`` line inside one is text, not a key), or a
line break the readers do not split on (a lone CR, NEL, U+2028/9: YAML 1.1
breaks lines there, so a ``# comment<NEL>kind: Deployment`` holds a key).
Block scalars are fine: their content is every following line indented deeper
than the header's line, which the proof skips.

``lines_are_structure`` proves it with one regular expression at C speed over
the document: every line is blank, a comment, a block scalar (header and
content), or ``[- ]* key: value`` / ``[- ]* value`` with a plain key and a
value that ends on its line (plain, closed quotes, a flat closed flow
collection).  Anything else (anchors, tags, aliases, merge keys, explicit or
quoted path keys, tabs, CRs) fails the proof and the caller asks the parser.
"""
from __future__ import annotations

import re

# Characters YAML forbids anywhere (C0 controls but tab and line breaks, DEL): the parser reports them.
CONTROL = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_LONE_CR = re.compile(rb"\r(?!\n)")
_UNICODE_BREAK = re.compile(rb"\xc2\x85|\xe2\x80[\xa8\xa9]")


def other_line_breaks(raw: bytes) -> bool:
    """A lone CR, NEL, U+2028 or U+2029 in ``raw``: line breaks for YAML 1.1 (go-yaml), not for
    a reader that splits on ``\\n``.  C-speed tests only: this runs on every document."""
    if b"\r" in raw and _LONE_CR.search(raw):
        return True
    return not raw.isascii() and _UNICODE_BREAK.search(raw) is not None


def has_unprintable(raw: bytes) -> bool:
    """A character YAML forbids or a line break the line readers do not split on.  Each test runs
    at C speed (one regex alternation would cost ~10x more: this is on the path of every workload)."""
    return has_control(raw) or other_line_breaks(raw)


def has_control(raw: bytes) -> bool:
    """A C0 control YAML forbids (but tab and line breaks), or DEL, in ``raw``: at C speed."""
    return len(raw.translate(None, CONTROL)) != len(raw)


# Keys the labelling path and the head scan look for: written quoted they could hide a duplicate
# of the plain spelling, so a quoted key with one of these names fails the proof.
_PATH_KEYS = rb"(?:apiVersion|kind|metadata|spec|template|jobTemplate|labels|annotations|name|namespace)"
_KEY = rb"[A-Za-z0-9_][A-Za-z0-9_./-]*"
_DQ = rb'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"'   # (loops unrolled: these run over every workload)
_SQ = rb"'[^'\n]*(?:''[^'\n]*)*'"
_QUOTED_KEY = rb'"(?!' + _PATH_KEYS + rb'")[^"\\\n]*"|\'(?!' + _PATH_KEYS + rb"')[^'\n]*'"
_FLAT_ITEMS = rb"(?:[^\[\]{}\"'\n&*!#]|" + _DQ + rb"|" + _SQ + rb")*"
_FLAT = rb"\[" + _FLAT_ITEMS + rb"\]|\{" + _FLAT_ITEMS + rb"\}"
_FLOW_ITEMS = rb"(?:[^\[\]{}\"'\n&*!#]|" + _DQ + rb"|" + _SQ + rb"|" + _FLAT + rb")*"
_FLOW = rb"\[" + _FLOW_ITEMS + rb"\]|\{" + _FLOW_ITEMS + rb"\}"  # closed on its line, nested two deep at most
# a plain scalar: no indicator first, and no ": " / ":" at the end / " #" inside (those end it or make a key)
_PLAIN = rb"(?:[A-Za-z0-9_/$(=+~^.]|-(?=[^ \n]))[^\n:#]*(?:(?::(?=[^ \n])|(?<! )#)[^\n:#]*)*"
_VALUE = rb"(?:" + _DQ + rb"|" + _SQ + rb"|" + _FLOW + rb"|" + _PLAIN + rb")"
_END = rb"(?:[ ]+#[^\n]*)?[ ]*\n"
_LINE = (rb"(?!(?:---|\.\.\.)[ \n])(?:"
         rb"[ ]*(?:-[ ]+)*(?:(?:" + _KEY + rb"|" + _QUOTED_KEY + rb"):(?:[ ]+" + _VALUE + rb")?|"  # most lines
         + _VALUE + rb"|-)" + _END
         + rb"|( *)(?:" + _KEY + rb"|" + _QUOTED_KEY + rb"):[ ]+[|>][-+]?" + _END  # a block scalar header...
         + rb"(?:\1[ ]+[^\n]*\n|[ ]*\n)*"                                          # ...and its content
         rb"|[ ]*(?:#[^\n]*)?\n)")                                                 # comments, blank lines
_STRUCTURE = re.compile(rb"(?:" + _LINE + rb")*")


def lines_are_structure(raw: bytes, start: int = 0, end: int | None = None) -> bool:
    """True when every line of ``raw[start:end]`` (whole lines) is what it looks like (see the module
    docstring).  False says nothing about the document: only that its lines must not be trusted."""
    end = len(raw) if end is None else end
    if raw.find(b"\r", start, end) >= 0 or raw.find(b"\t", start, end) >= 0 or other_line_breaks(raw[start:end]):
        return False
    if end == len(raw) and not raw.endswith(b"\n"):
        raw += b"\n"
        end += 1
    m = _STRUCTURE.match(raw, start, end)
    return m.end() >= end
