"""Read the simple one-line YAML scalars and keys a head scan meets.

Anything beyond a plain, single- or double-quoted scalar on one line
(anchors, tags, aliases, flow collections, block scalars) makes the reader
return ``ASK_PARSER`` so the caller falls back to a real parser; so does a plain scalar
Kubernetes reads as a boolean or a number (``helm_vnp.base.goyaml``).  Every fast
reader of the package answers ``ASK_PARSER`` the same way when it cannot vouch
for its answer.
"""
from __future__ import annotations

import re

from helm_vnp.base import goyaml

ASK_PARSER = object()  # "this reader cannot say": a slower reader, in the end the YAML parser, decides

_PLAIN_END_COMMENT = re.compile(r"[ \t]+#.*$")
_DQ_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\0", " ": " "}


def scalar(text: str):
    """Value of a one-line scalar as a string, None for an empty value, or ASK_PARSER."""
    text = text.strip()
    if not text or text.startswith("#"):
        return None
    c = text[0]
    if c == '"':
        return _double_quoted(text)
    if c == "'":
        end = _single_quote_end(text)
        if end < 0 or text[end + 1:].strip() not in ("",) and not text[end + 1:].lstrip().startswith("#"):
            return ASK_PARSER
        return text[1:end].replace("''", "'")
    if c in "&*!|>{[]}%@`?,":
        return ASK_PARSER  # indicators a plain scalar may not start with: the parser decides
    if c == "-" and (len(text) == 1 or text[1] in " \t"):
        return ASK_PARSER
    value = _PLAIN_END_COMMENT.sub("", text)
    if ": " in value or value.endswith(":"):
        return ASK_PARSER
    return plain_text(value)


def plain_text(value: str):
    """A plain scalar as the string Kubernetes reads, None for a null (``~``, ``null``), ASK_PARSER
    when Kubernetes reads a boolean or a number (``on``, ``0x1F``): the parser gives the typed value."""
    tag = goyaml.resolve(value)[0]
    if tag == goyaml.STR:
        return value
    return None if tag == goyaml.NULL else ASK_PARSER


def _single_quote_end(text: str) -> int:
    i = 1
    while i < len(text):
        if text[i] == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _double_quoted(text: str):
    out = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            rest = text[i + 1:].strip()
            if rest and not rest.startswith("#"):
                return ASK_PARSER
            return "".join(out)
        if ch == "\\":
            if i + 1 >= len(text):
                return ASK_PARSER
            esc = text[i + 1]
            if esc in _DQ_ESCAPES:
                out.append(_DQ_ESCAPES[esc])
                i += 2
                continue
            return ASK_PARSER  # \x, \u, line continuations: leave to the parser
        out.append(ch)
        i += 1
    return ASK_PARSER  # unterminated on this line: a multi-line scalar


def split_key(line: str):
    """Split ``key: rest`` of a block-mapping line (already de-indented).

    Returns (key, rest) or None when the line is not a simple mapping entry.
    """
    if not line or line[0] in "-?#&*!|>{[%@`,":
        return None
    if line[0] in "\"'":
        q = line[0]
        end = _single_quote_end(line) if q == "'" else line.find('"', 1)
        if end < 0 or (q == '"' and "\\" in line[1:end]):
            return None
        key = line[1:end] if q == '"' else line[1:end].replace("''", "'")
        rest = line[end + 1:]
        if not rest.startswith(":"):
            return None
        return key, rest[1:]
    i = line.find(":")
    while i >= 0:
        if i + 1 == len(line) or line[i + 1] in " \t":
            key = line[:i].rstrip()
            if " #" in key:
                return None
            return key, line[i + 1:]
        i = line.find(":", i + 1)
    return None
