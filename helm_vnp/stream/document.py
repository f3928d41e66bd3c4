"""One document of a rendered stream: its bytes, where it came from, and
what vnp needs to know about it, each read as cheaply as possible."""
from __future__ import annotations

import re

from helm_vnp.stream import block_lines
from helm_vnp.stream.line_proof import lines_are_structure, other_line_breaks
from helm_vnp.stream.scalars import ASK_PARSER, plain_text, scalar

_NEXT_TOP = re.compile(rb"\n(?=[^ \t\r\n#])")
_SOURCE = re.compile(rb"^(?:\xef\xbb\xbf)?# Source: ([^\r\n]+)", re.M)  # a BOM may open the stream
_SIGNIFICANT = re.compile(rb"^[ \t]*[^ \t\r\n#]", re.M)
_UNSET = object()
# The top-level keys the line scanner reads (group 1), and every other line at column 0 it cannot vouch for:
# a quoted, explicit (? kind) or spaced (kind :) key, and anything that is neither a plain ``key:`` nor a
# ``- `` item of a top-level key's sequence (an anchor, a tag, a merge key ``<<:``, a flow, a tab, ``...``).
# Any of those sends the head to the parser, so a key the cluster reads cannot hide from the scan; a decoy
# ``kind:`` line inside a multi-line scalar is a second ``kind:`` line, which the parser decides too.
_TOP_KEY = re.compile(rb"""\n(?:(apiVersion|kind|metadata|spec):|"(?:[^"\\\n]|\\.)*"[ \t]*:|'(?:[^'\n]|'')*'[ \t]*:"""
                      rb"""|\?(?=[ \t\r\n])|(?:apiVersion|kind|metadata|spec)[ \t]+:"""
                      rb"""|(?![ \r\n#]|[A-Za-z0-9_][A-Za-z0-9_./-]*:(?:[ \t\r\n]|$)|-(?:[ \t\r\n]|$)"""
                      rb"""|---[ \t\r\n]|$))""")


class Document:
    """A segment of the stream (see ``split``) and lazily read facts about it."""

    __slots__ = ("raw", "line", "source", "_top", "_meta", "_obj", "_body_start", "lint_source", "_keys", "_decoded")

    def __init__(self, raw: bytes, line: int, source: str = ""):
        self.raw = raw
        self.line = line  # line of raw's first byte in the source file (1-based)
        self.source = source
        self._top = None
        self._meta = None
        self._obj = _UNSET
        self._decoded = _UNSET
        self._body_start = None
        self._keys = None
        self.lint_source = None  # set by lint: where to point findings (helm_vnp.checks.base.Source)

    # -- layout --------------------------------------------------------------
    @property
    def body_start(self) -> int:
        """Offset of the document's content: after its ``---`` line, if any."""
        if self._body_start is None:
            start = 0
            raw = self.raw
            if raw.startswith(b"\xef\xbb\xbf"):
                start = 3
            if raw.startswith(b"---", start):
                nl = raw.find(b"\n", start)
                start = len(raw) if nl < 0 else nl + 1
            self._body_start = start
        return self._body_start

    @property
    def marker_has_content(self) -> bool:
        """``--- {…}`` / ``--- !tag``: content on the marker line (not the fast path)."""
        raw = self.raw
        off = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        if not raw.startswith(b"---", off):
            return False
        rest = raw[off + 3:self.body_start].strip()
        return bool(rest) and not rest.startswith(b"#")

    @property
    def is_empty(self) -> bool:
        """Only comments, blank lines and markers: no YAML node at all."""
        if self.marker_has_content:
            return False
        body = self.raw[self.body_start:]
        for m in _SIGNIFICANT.finditer(body):
            line_end = body.find(b"\n", m.start())
            text = body[m.start():None if line_end < 0 else line_end].strip()
            if text not in (b"...",):
                return False
        return True

    @property
    def object_line(self) -> int:
        """Line (in the source) where the object's first content line is."""
        m = _SIGNIFICANT.search(self.raw, self.body_start)
        if m is None:
            return self.line
        return self.line + self.raw.count(b"\n", 0, m.start())

    @property
    def is_block_mapping(self) -> bool:
        """True when the fast line readers apply (a block mapping at column 0)."""
        if self.marker_has_content:
            return False
        m = _SIGNIFICANT.search(self.raw, self.body_start)
        if m is None:
            return False
        return self.raw[m.start():m.start() + 1] not in (b" ", b"\t", b"{", b"[", b"-", b"&", b"!", b"*", b"%",
                                                          b'"', b"'", b"|", b">", b"?")

    # -- head ----------------------------------------------------------------
    def _top_fields(self) -> dict:
        if self._top is None:
            top = {}
            if self.is_block_mapping and not other_line_breaks(self.raw):
                for key in ("apiVersion", "kind"):
                    value = self._top_scalar(key)
                    if value is ASK_PARSER:
                        top = None
                        break
                    top[key] = value
            elif self.is_empty:
                top = {}
            else:
                top = None
            if top is None:
                obj = self.decoded
                top = {}
                if isinstance(obj, dict):
                    for key in ("apiVersion", "kind"):
                        v = obj.get(key)
                        top[key] = v if isinstance(v, str) else None
            self._top = top
        return self._top

    def _top_keys(self):
        """{key: [offsets]} of the top-level ``apiVersion``/``kind``/``metadata``/``spec`` lines, found in
        one scan of the document; ASK_PARSER when a top-level key is written in a way the line scanner does
        not read (quoted, explicit ``?`` or ``key :``): then the parser decides."""
        if self._keys is None:
            raw = self.raw
            start = self.body_start
            nl = raw.find(b"\n", start)
            first = _TOP_KEY.match(b"\n" + raw[start:len(raw) if nl < 0 else nl])
            keys: dict = {}
            if first is not None:
                if first.group(1) is None:
                    keys = ASK_PARSER
                else:
                    keys[first.group(1)] = [start]
            if keys is not ASK_PARSER:
                for m in _TOP_KEY.finditer(raw, start):
                    name = m.group(1)
                    if name is None:
                        keys = ASK_PARSER
                        break
                    keys.setdefault(name, []).append(m.start() + 1)
            self._keys = keys
        return self._keys

    def find_top_key(self, key: bytes):
        """Offset of the one top-level ``key:`` line (apiVersion, kind, metadata or spec); None if
        absent, ASK_PARSER if repeated (a duplicate key: the parser decides) or not written plainly."""
        keys = self._top_keys()
        if keys is ASK_PARSER:
            return ASK_PARSER
        hits = keys.get(key)
        if not hits:
            return None
        return ASK_PARSER if len(hits) > 1 else hits[0]

    def _top_scalar(self, key: str):
        """The one-line value of a top-level ``key:`` (None if absent, ASK_PARSER if unclear)."""
        raw = self.raw
        at = self.find_top_key(key.encode())
        if at is None or at is ASK_PARSER:
            return at
        at += len(key) + 1
        nl = raw.find(b"\n", at)
        rest = raw[at:len(raw) if nl < 0 else nl]
        if rest[:1] not in (b"", b" ", b"\t", b"\r"):
            return ASK_PARSER
        try:
            value = scalar(rest.decode("utf-8"))
        except UnicodeDecodeError:
            return ASK_PARSER
        if value is None or (nl >= 0 and raw[nl + 1:nl + 2] in (b" ", b"\t")):
            return ASK_PARSER  # the value may be on the next lines (``kind:\n  Deployment``): the parser reads it
        return value

    @property
    def kind(self) -> str | None:
        v = self._top_fields().get("kind")
        return v if isinstance(v, str) else None

    @property
    def api_version(self) -> str | None:
        v = self._top_fields().get("apiVersion")
        return v if isinstance(v, str) else None

    def _metadata(self) -> dict:
        """name, namespace, labels, annotations (plain strings) of the object."""
        if self._meta is None:
            if self.is_block_mapping and not other_line_breaks(self.raw):
                meta = self._scan_metadata()
            elif self.is_empty:
                meta = {"name": None, "namespace": None, "labels": {}, "annotations": {}}
            else:
                meta = ASK_PARSER
            if meta is ASK_PARSER:
                obj = self.decoded
                m = obj.get("metadata") if isinstance(obj, dict) else None
                m = m if isinstance(m, dict) else {}
                meta = {
                    "name": _str(m.get("name")),
                    "namespace": _str(m.get("namespace")),
                    "labels": str_map(m.get("labels")),
                    "annotations": str_map(m.get("annotations")),
                }
            self._meta = meta
        return self._meta

    def _scan_metadata(self):
        raw = self.raw
        at = self.find_top_key(b"metadata")
        if at is ASK_PARSER:
            return ASK_PARSER
        if at is None:
            return {"name": None, "namespace": None, "labels": {}, "annotations": {}}
        nl = raw.find(b"\n", at)
        if nl < 0:
            return ASK_PARSER
        rest = raw[at + len(b"metadata:"):nl].strip()
        if rest and not rest.startswith(b"#"):
            return ASK_PARSER  # flow-style or inline metadata
        start = nl + 1
        nxt = _NEXT_TOP.search(raw, start)
        end = len(raw) if nxt is None else nxt.start() + 1
        if not lines_are_structure(raw, self.body_start, end):
            # a multi-line quote, a tab, an anchor... in the metadata or before it (a quoted scalar opened above
            # can hold a decoy ``metadata:`` line): the parser reads the metadata
            return ASK_PARSER
        lines = block_lines.lines_of(raw[:end], start)
        if lines is ASK_PARSER:
            return ASK_PARSER
        entries = block_lines.entries(lines, 0, len(lines), 1)
        if entries is ASK_PARSER:
            return ASK_PARSER
        meta = {"name": None, "namespace": None, "labels": {}, "annotations": {}}
        for key in ("name", "namespace"):
            e = entries.get(key)
            if e is not None:
                v = scalar(e.rest)
                if v is ASK_PARSER or any(lines[i].indent >= 0 for i in range(e.start, e.end)):
                    return ASK_PARSER  # a value continued on the next lines (``a\n    b`` is "a b"): the parser
                meta[key] = v
        for key in ("labels", "annotations"):
            e = entries.get(key)
            if e is None:
                continue
            kind = block_lines.block_value(lines, e)
            if kind is ASK_PARSER:
                return ASK_PARSER
            if kind[0] == "inline":
                if kind[1].split(" #")[0].strip() not in ("{}", ""):
                    return ASK_PARSER
                continue
            sub = block_lines.entries(lines, kind[1], kind[2], e.column + 1)
            if sub is ASK_PARSER:
                return ASK_PARSER
            values = {}
            for k, se in sub.items():
                if plain_text(k) is not k:
                    return ASK_PARSER  # a key Kubernetes reads as another string (``yes:`` is "true")
                v = scalar(se.rest)
                if v is ASK_PARSER or (v is None and any(lines[i].indent >= 0 for i in range(se.start, se.end))):
                    return ASK_PARSER  # block scalars and multi-line values: ask the parser
                values[k] = "" if v is None else v
            meta[key] = values
        return meta

    @property
    def name(self) -> str | None:
        return self._metadata()["name"]

    @property
    def namespace(self) -> str | None:
        return self._metadata()["namespace"]

    @property
    def labels(self) -> dict:
        return self._metadata()["labels"]

    @property
    def annotations(self) -> dict:
        return self._metadata()["annotations"]

    @property
    def source_file(self) -> str:
        """The chart template this object came from: Helm 3's ``# Source:`` or Helm 4's annotation."""
        m = _SOURCE.search(self.raw, 0, self.body_start + 4096 if self.body_start else 4096)
        if m is not None:
            return m.group(1).decode("utf-8", "replace").strip()
        from helm_vnp.base.names import POSTRENDER_FILENAME_ANNOTATION
        if POSTRENDER_FILENAME_ANNOTATION.encode() in self.raw:
            return self.annotations.get(POSTRENDER_FILENAME_ANNOTATION, "")
        return ""

    # -- body ----------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")

    @property
    def obj(self):
        """The parsed document (dict, list, scalar or None); raises VnpError if it is not YAML."""
        if self._obj is _UNSET:
            from helm_vnp.base.errors import Problem, VnpError
            from helm_vnp.base.yamlload import load
            try:
                text = self.raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = self.line + self.raw.count(b"\n", 0, exc.start)
                raise VnpError(Problem("invalid UTF-8 in the document", file=self.source, line=line)) from None
            if "\x00" in text:
                line = self.line + text.count("\n", 0, text.index("\x00"))
                raise VnpError(Problem("NUL byte in the document", file=self.source, line=line))
            self._obj = load(text, self.source, self.line)
        return self._obj

    @property
    def decoded(self):
        """The document as Kubernetes decodes it (``stream.decoded``: go-yaml v2 scalars, the last of
        duplicate keys wins, where ``obj`` refuses them), None when it does not decode.  The head and the
        metadata are read from it when the line scanner cannot vouch for them."""
        if self._decoded is _UNSET:
            try:
                self._decoded = self.kubernetes_view(aliases=True)[0]
            except Exception:
                self._decoded = None
        return self._decoded

    def kubernetes_view(self, aliases: bool):
        """(the document as Kubernetes decodes it, whether that took the full loader).  ``aliases``: read
        anchors and aliases with the event decoder too (one shared object per alias); else they go to the
        loader, which expands them.  Raises VnpError, located, when the document is not YAML."""
        from helm_vnp.stream.decoded import NEEDS_LOADER, decode
        try:
            text = self.raw.decode("utf-8")
        except UnicodeDecodeError:
            return self.obj, True  # raises the loader's located message
        value = self.obj if "\x00" in text else decode(text, self.source, self.line, aliases)  # obj: NUL, located
        return (self.obj, True) if value is NEEDS_LOADER else (value, False)

    @property
    def obj_or_none(self):
        try:
            return self.obj
        except Exception:
            return None

    def describe(self) -> str:
        """How messages name this document: kind, name and chart template, as far as they are known."""
        what = " ".join(x for x in (self.kind, self.name) if x) or "document"
        src = self.source_file
        return f"{what} ({src})" if src else what

    def error_in(self, exc):
        """``exc`` (a VnpError about this document) with each message naming the document."""
        from helm_vnp.base.errors import Problem, VnpError
        head = " ".join(x for x in (self.kind, self.name) if x)
        name = self.describe()
        problems = [p if head and p.message.startswith(head + ":")
                    else Problem(**{**p.as_dict(), "message": f"{name}: {p.message}"}) for p in exc.problems]
        return VnpError(problems)

    def adopt_metadata(self, meta: dict) -> None:
        """Take name, namespace, labels and annotations as a decoder read them (``labelling.verify``)."""
        self._meta = meta

    def relabelled(self, raw: bytes) -> Document:
        """This document after an edit of its pod template's labels: ``raw`` as its bytes, same line and
        source.  Such an edit leaves kind and apiVersion as they are: if already read, they are kept."""
        out = Document(raw, self.line, self.source)
        out._top = self._top
        return out

    def __repr__(self) -> str:
        return f"<Document {self.kind}/{self.name} line {self.line}>"


def _str(v) -> str | None:
    """A scalar as text; None for None and for collections (a name or label value that is a mapping
    is invalid, and str() of a 10,000-level value would recurse that deep)."""
    if v is None or isinstance(v, (dict, list)):
        return None
    return v if isinstance(v, str) else str(v)


def str_map(v) -> dict:
    """A labels/annotations mapping as text: scalar keys and values only (null values are "")."""
    if not isinstance(v, dict):
        return {}
    return {str(k): "" if x is None else _str(x) for k, x in v.items()
            if not isinstance(k, (dict, list)) and not isinstance(x, (dict, list))}
