"""A small, fast-to-import reader for the block-style YAML that Helm templates render.

``decode(text)`` returns the document as plain data -- exactly what the full loader
(``helm_vnp.base.yamlload.load``) and the event decoder (``helm_vnp.stream.decoded.decode``)
return for it: the same dicts (same key order), lists and scalars, plain scalars resolved by
go-yaml v2's rules (``helm_vnp.base.goyaml``), mapping keys turned into strings by
``goyaml.json_key`` -- or ``DECLINED`` when the text is outside the subset below.  It never
raises and never reports anything: a declined document goes to the ruamel-based readers, which
decode it or give their located message.  Reading a small document this way keeps ruamel (tens
of milliseconds to import and set up) out of ``lint --rendered``.

The subset (anything else, and anything doubtful, is declined):

* characters: those ``str.isprintable`` accepts and ``\\n`` line breaks (no tab, CR, NEL, LS/PS,
  BOM, NUL, other control or format character, no space other than U+0020); at most
  ``MAX_CHARS`` characters (larger documents stay on libyaml, as fast on them);
* blank lines, comment lines and `` #`` comments after a node; one leading ``---`` line (with
  nothing or a comment after it); no other line may start with ``---``, ``...`` or ``%``;
* block mappings and block sequences: ``key: value``, ``key:`` with the value on the following
  more indented lines, ``- item``, compact ``- key: v`` and ``- - x``, a sequence under a key
  indented or not; at most ``MAX_DEPTH`` levels;
* keys: single-line plain, single- or double-quoted scalars followed by ``:`` and a space or the
  line end; a key that resolves to null or to the merge key ``<<``, and two keys of one mapping
  that are equal (as Python values or as JSON keys) are declined (the loader refuses
  duplicates, Kubernetes keeps the last: the ruamel readers decide);
* scalars on one line: plain ones not starting with an indicator (``-`` only before a non-space,
  as in ``-1``) and holding no ``: `` nor a trailing ``:``; single-quoted (``''``); double-quoted
  with the escapes ``\\\\ \\" \\/ \\n \\t \\r \\0 \\xXX \\uXXXX \\UXXXXXXXX`` (no surrogate);
  one-line flow collections (``[]``, ``{}``, ``["a", b]``, ``{name: x, ports: [{port: 80}]}``) of
  quoted scalars and plain ones made of letters, digits and ``_./-``, keys followed by ``: ``, no
  trailing comma, no comment inside; no anchor, alias or tag;
* literal block scalars ``|`` and ``|-`` after ``key:`` or ``-`` (no ``|+``, no folded ``>``, no
  indentation indicator), ending with a line break; a line holding only spaces beyond the
  content's indentation is declined.
"""
from __future__ import annotations

from helm_vnp.base import goyaml

DECLINED = object()  # outside the subset: use the full loader
MAX_CHARS = 64 * 1024
MAX_DEPTH = 50

_PLAIN_START_BAD = frozenset("?:,[]{}#&*!|>'\"%@`")
_SIMPLE_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\x00"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_HEX = frozenset("0123456789abcdefABCDEF")
_FLOW_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")


class _Decline(Exception):
    pass


def decode(text: str):
    """The document ``text`` as plain data, or ``DECLINED``.  Never raises."""
    try:
        # str.isprintable refuses every character YAML does not print (controls, NEL, LS/PS, surrogates,
        # U+FFFE/U+FFFF) and some it does (tab, CR, BOM, non-ASCII spaces, format characters): all declined
        if len(text) > MAX_CHARS or not text.replace("\n", " ").isprintable():
            return DECLINED
        return _Reader(text).document()
    except Exception:  # _Decline, and anything unforeseen (never an error from here)
        return DECLINED


def _decline():
    raise _Decline


class _Reader:
    __slots__ = ("lines", "n", "terminated")

    def __init__(self, text: str):
        lines = text.split("\n")
        self.terminated = text.endswith("\n") or not text
        if self.terminated:
            lines.pop()  # the empty string after the last line break
        self.lines = lines
        self.n = len(lines)

    # -- lines -------------------------------------------------------------
    def skip(self, i: int) -> int:
        """The first line from ``i`` that is neither blank nor only a comment."""
        lines, n = self.lines, self.n
        while i < n:
            s = lines[i].lstrip(" ")
            if s and s[0] != "#":
                return i
            i += 1
        return i

    def indent(self, i: int) -> int:
        line = self.lines[i]
        return len(line) - len(line.lstrip(" "))

    def document(self):
        lines = self.lines
        i = self.skip(0)
        if i < self.n and lines[i].startswith("---"):
            rest = lines[i][3:]
            if rest and (rest[0] != " " or not (rest.strip(" ") == "" or rest.lstrip(" ")[0] == "#")):
                _decline()
            marker = i
            i = self.skip(i + 1)
        else:
            marker = -1
        for k, line in enumerate(lines):
            if line[:1] in ("-", ".", "%") and k != marker and (line[:3] in ("---", "...") or line[0] == "%"):
                _decline()
        if i == self.n:
            return None
        col = self.indent(i)
        value, j = self.node(i, col, -1, 0)
        if j != self.n:
            _decline()
        return value

    # -- nodes -------------------------------------------------------------
    def node(self, i: int, col: int, parent: int, depth: int):
        """The node starting on line ``i`` at column ``col`` (its first line, nothing before it on
        the line); ``parent``: the indentation of the collection holding it.  Returns (value, index
        of the next significant line)."""
        if depth > MAX_DEPTH:
            _decline()
        s = self.lines[i][col:]
        if s[0] == "-" and (len(s) == 1 or s[1] == " "):
            return self.sequence(i, col, depth)
        if _key(s) is not None:
            return self.mapping(i, col, depth)
        if s[0] == "|":
            _decline()  # a block scalar on a line of its own
        value = _inline_scalar(s)
        return value, self.skip(i + 1)

    def sequence(self, i: int, col: int, depth: int):
        if depth > MAX_DEPTH:
            _decline()
        out = []
        while True:
            value, j = self.after_indicator(i, col + 1, col, depth, False)
            out.append(value)
            if j == self.n:
                break
            ind = self.indent(j)
            if ind < col:
                break
            if ind > col:
                _decline()
            s = self.lines[j][col:]
            if not (s[0] == "-" and (len(s) == 1 or s[1] == " ")):
                break  # a key after a sequence under a key at its own indentation: the mapping goes on
            i = j
        return out, j

    def mapping(self, i: int, col: int, depth: int):
        if depth > MAX_DEPTH:
            _decline()
        out: dict = {}
        raw_keys: set = set()
        while True:
            found = _key(self.lines[i][col:])
            if found is None:
                _decline()
            raw, end = found
            if raw is None or raw in raw_keys:
                _decline()
            raw_keys.add(raw)
            key = goyaml.json_key(raw)
            if key in out:
                _decline()
            value, j = self.after_indicator(i, col + end, col, depth, True)
            out[key] = value
            if j == self.n:
                break
            ind = self.indent(j)
            if ind < col:
                break
            if ind > col:
                _decline()
            i = j
        return out, j

    def after_indicator(self, i: int, pos: int, col: int, depth: int, in_mapping: bool):
        """The value after ``key:`` or ``-`` (``pos``: just after the indicator) of a collection at
        column ``col``."""
        line = self.lines[i]
        if pos < len(line) and line[pos] != " ":
            _decline()
        start = pos
        while start < len(line) and line[start] == " ":
            start += 1
        s = line[start:]
        if not s or s[0] == "#":  # the value, if any, is on the following lines
            j = self.skip(i + 1)
            if j == self.n:
                return None, j
            ind = self.indent(j)
            if ind > col:
                return self.node(j, ind, col, depth + 1)
            if in_mapping and ind == col:
                t = self.lines[j][col:]
                if t[0] == "-" and (len(t) == 1 or t[1] == " "):
                    return self.sequence(j, col, depth + 1)
            return None, j
        if s[0] == "-" and (len(s) == 1 or s[1] == " "):
            if in_mapping:
                _decline()
            return self.sequence(i, start, depth + 1)
        if s[0] == "|":
            return self.literal(i, s, col)
        if _key(s) is not None:
            if in_mapping:
                _decline()
            return self.mapping(i, start, depth + 1)
        return _inline_scalar(s), self.skip(i + 1)

    def literal(self, i: int, header: str, col: int):
        """A ``|`` or ``|-`` block scalar whose header ``header`` is on line ``i``, in a collection
        at column ``col``."""
        if header.startswith("|-"):
            strip, rest = True, header[2:]
        else:
            strip, rest = False, header[1:]
        if rest and (rest[0] != " " or not (rest.strip(" ") == "" or rest.lstrip(" ")[0] == "#")):
            _decline()  # |+, an indentation indicator, or text after the header
        lines, n = self.lines, self.n
        content_indent = -1
        lead = 0  # most spaces on a blank line before the first content line
        out: list[str] = []
        j = i + 1
        while j < n:
            line = lines[j]
            body = line.lstrip(" ")
            ind = len(line) - len(body)
            if not body:
                if content_indent < 0:
                    lead = max(lead, ind)
                elif ind > content_indent:
                    _decline()
                out.append("")
                j += 1
                continue
            if content_indent < 0:
                if ind <= col:
                    break
                content_indent = ind
                if lead > ind:
                    _decline()
            elif ind < content_indent:
                break
            out.append(line[content_indent:])
            j += 1
        if content_indent < 0:
            if lead > col:
                _decline()
            value = ""
        else:
            if j == n and not self.terminated:
                _decline()  # the last line has no line break
            last = len(out)
            while last and out[last - 1] == "":
                last -= 1
            value = "\n".join(out[:last]) + ("" if strip else "\n")
        return value, self.skip(j)


# -- scalars -----------------------------------------------------------------
def _key(s: str):
    """(the key's value as read, length up to and including its ``:``) when ``s`` starts with a key
    of the subset followed by ``:`` and a space or the line end; else None."""
    c = s[0]
    if c == '"' or c == "'":
        try:
            value, end = _double(s) if c == '"' else _single(s)
        except _Decline:
            return None
        if end < len(s) and s[end] == ":" and (end + 1 == len(s) or s[end + 1] == " ") and end <= 1000:
            return value, end + 1
        return None
    k = s.find(": ")
    if k < 0:
        if not s.endswith(":"):
            return None
        k = len(s) - 1
    text = s[:k]
    if not text or " #" in text or text.endswith(" ") or k > 1000 or not _plain_start(text):
        return None
    tag, value = goyaml.resolve(text)
    if tag == goyaml.MERGE:
        return None, k + 1  # declined by the caller
    return value, k + 1


def _plain_start(text: str) -> bool:
    c = text[0]
    if c in _PLAIN_START_BAD or c == " ":
        return False
    return c != "-" or (len(text) > 1 and text[1] != " ")


def _inline_scalar(s: str):
    """The scalar that is the rest ``s`` of a line (a comment may follow it)."""
    c = s[0]
    if c == '"' or c == "'":
        value, end = _double(s) if c == '"' else _single(s)
        rest = s[end:]
        if rest and (rest[0] != " " or not (rest.strip(" ") == "" or rest.lstrip(" ")[0] == "#")):
            _decline()
        return value
    if c in "{[":
        value, end = _flow(s, 0, 0)
        rest = s[end:]
        if rest and (rest[0] != " " or not (rest.strip(" ") == "" or rest.lstrip(" ")[0] == "#")):
            _decline()
        return value
    k = s.find(" #")
    text = (s if k < 0 else s[:k]).rstrip(" ")
    if not _plain_start(text) or ": " in text or text.endswith(":"):
        _decline()
    tag, value = goyaml.resolve(text)
    if tag == goyaml.MERGE:
        _decline()
    return value


def _flow(s: str, i: int, depth: int):
    """A one-line flow collection starting at ``s[i]`` (``[`` or ``{``): (value, index after its end).
    Items are quoted scalars, plain ones made of ``_FLOW_PLAIN`` characters only, or flow collections;
    a mapping's keys are scalars followed by ``: ``.  No trailing comma, no comment, no empty entry."""
    if depth > MAX_DEPTH:
        _decline()
    is_map = s[i] == "{"
    close = "}" if is_map else "]"
    out: dict | list = {} if is_map else []
    raw_keys: set = set()
    n = len(s)
    i += 1
    while i < n and s[i] == " ":
        i += 1
    if s[i:i + 1] == close:
        return out, i + 1
    while True:
        if is_map:
            raw, i = _flow_scalar(s, i)
            if raw is None or raw in raw_keys or s[i:i + 2] != ": ":
                _decline()
            raw_keys.add(raw)
            key = goyaml.json_key(raw)
            if key in out:
                _decline()
            i += 2
            while i < n and s[i] == " ":
                i += 1
        if s[i:i + 1] in ("[", "{"):
            value, i = _flow(s, i, depth + 1)
        else:
            value, i = _flow_scalar(s, i)
        if is_map:
            out[key] = value
        else:
            out.append(value)
        while i < n and s[i] == " ":
            i += 1
        c = s[i:i + 1]
        if c == close:
            return out, i + 1
        if c != ",":
            _decline()
        i += 1
        while i < n and s[i] == " ":
            i += 1


def _flow_scalar(s: str, i: int):
    """A scalar inside a flow collection at ``s[i]``: (value, index after it)."""
    c = s[i:i + 1]
    if c == '"' or c == "'":
        value, end = _double(s[i:]) if c == '"' else _single(s[i:])
        return value, i + end
    n = len(s)
    k = i
    while k < n and s[k] in _FLOW_PLAIN:
        k += 1
    text = s[i:k]
    if not text or text[0] in "-." and (len(text) == 1 or text[1] not in _FLOW_PLAIN):
        _decline()
    tag, value = goyaml.resolve(text)
    if tag == goyaml.MERGE:
        _decline()
    return value, k


def _single(s: str):
    """A single-quoted scalar at the start of ``s``: (value, index after its closing quote)."""
    parts = []
    i = 1
    while True:
        k = s.find("'", i)
        if k < 0:
            _decline()
        parts.append(s[i:k])
        if s[k + 1:k + 2] == "'":
            parts.append("'")
            i = k + 2
            continue
        return "".join(parts), k + 1


def _double(s: str):
    """A double-quoted scalar at the start of ``s``: (value, index after its closing quote)."""
    parts = []
    i = 1
    n = len(s)
    while True:
        q = s.find('"', i)
        b = s.find("\\", i)
        if q < 0:
            _decline()
        if b < 0 or q < b:
            parts.append(s[i:q])
            return "".join(parts), q + 1
        parts.append(s[i:b])
        if b + 1 >= n:
            _decline()
        e = s[b + 1]
        if e in _SIMPLE_ESCAPES:
            parts.append(_SIMPLE_ESCAPES[e])
            i = b + 2
        elif e in _HEX_DIGITS:
            width = _HEX_DIGITS[e]
            digits = s[b + 2:b + 2 + width]
            if len(digits) != width or not all(d in _HEX for d in digits):
                _decline()
            code = int(digits, 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                _decline()
            parts.append(chr(code))
            i = b + 2 + width
        else:
            _decline()
