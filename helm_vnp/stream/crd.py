"""What lint needs of a CustomResourceDefinition, without parsing its (large) schema.

A CRD is mostly ``spec.versions[].schema``: megabytes nobody reads.  Scope
rules need only ``spec.group``, ``spec.names.kind/plural`` and ``spec.scope``;
in block YAML those are direct children of ``spec`` (and ``names``), found by
their indentation with ``bytes.find``.  Anything unusual returns None and the
caller parses the document.
"""
from __future__ import annotations

from helm_vnp.stream.document import Document
from helm_vnp.stream.scalars import COMPLEX, scalar


def _child_indent(raw: bytes, start: int) -> int | None:
    """Indentation of the first significant line at or after ``start``."""
    pos = start
    while pos < len(raw):
        nl = raw.find(b"\n", pos)
        end = len(raw) if nl < 0 else nl
        line = raw[pos:end]
        stripped = line.lstrip(b" ")
        if stripped.strip() and not stripped.startswith(b"#"):
            if stripped[:1] in (b"\t", b"-"):
                return None
            return len(line) - len(stripped)
        pos = end + 1
    return None


def _block_end(raw: bytes, start: int, indent: int) -> int:
    """End of the block whose children sit at ``indent``: the next significant line indented less."""
    import re

    less = re.compile(rb"\n {0,%d}(?=[^ \r\n#])" % (indent - 1)) if indent > 0 else re.compile(rb"\n(?=[^ \r\n#])")
    m = less.search(raw, max(start - 1, 0))
    return len(raw) if m is None else m.start() + 1


def _children(raw: bytes, start: int, end: int, indent: int, keys: tuple[str, ...]):
    """{key: (value text, offset after the key line)} for direct children; COMPLEX on duplicates."""
    out = {}
    pad = b"\n" + b" " * indent
    for key in keys:
        needle = pad + key.encode() + b":"
        i = raw.find(needle, start - 1, end)
        if i < 0:
            continue
        if raw.find(needle, i + 1, end) >= 0:
            return COMPLEX
        at = i + len(needle)
        nl = raw.find(b"\n", at)
        nl = len(raw) if nl < 0 else nl
        rest = raw[at:nl]
        if rest[:1] not in (b"", b" ", b"\t", b"\r"):
            continue
        out[key] = (rest.decode("utf-8", "replace"), nl + 1)
    return out


def crd_light(doc: Document) -> dict | None:
    """A parsed-looking CRD with only apiVersion, kind, metadata (name) and the scope-relevant spec."""
    if not doc.is_block_mapping:
        return None
    raw = doc.raw
    spec_at = doc._find_top_key(b"spec")
    if spec_at is None or spec_at is COMPLEX:
        return None
    nl = raw.find(b"\n", spec_at)
    if nl < 0 or raw[spec_at + 5:nl].strip() not in (b"",):
        return None
    body = nl + 1
    indent = _child_indent(raw, body)
    if not indent:
        return None
    end = _block_end(raw, body, indent)
    top = _children(raw, body, end, indent, ("group", "scope", "names"))
    if top is COMPLEX or "names" not in top or "group" not in top:
        return None
    group, scope = scalar(top["group"][0]), scalar(top.get("scope", ("", 0))[0])
    names_start = top["names"][1]
    if top["names"][0].strip() and not top["names"][0].strip().startswith("#"):
        return None  # flow-style names
    n_indent = _child_indent(raw, names_start)
    if n_indent is None or n_indent <= indent:
        return None
    names = _children(raw, names_start, _block_end(raw, names_start, n_indent), n_indent, ("kind", "plural"))
    if names is COMPLEX or "kind" not in names:
        return None
    kind = scalar(names["kind"][0])
    plural = scalar(names["plural"][0]) if "plural" in names else None
    if COMPLEX in (group, scope, kind, plural):
        return None
    spec = {"group": group, "names": {"kind": kind}}
    if plural:
        spec["names"]["plural"] = plural
    if scope:
        spec["scope"] = scope
    return {"apiVersion": doc.api_version, "kind": doc.kind,
            "metadata": {"name": doc.name, **({"labels": doc.labels} if doc.labels else {}),
                         **({"annotations": doc.annotations} if doc.annotations else {})},
            "spec": spec}
