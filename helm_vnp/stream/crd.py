"""What lint needs of a CustomResourceDefinition, without parsing its (large) schema.

A CRD is mostly ``spec.versions[].schema``: megabytes nobody reads.  Scope
rules need only ``spec.group``, ``spec.names.kind/plural`` and ``spec.scope``;
in block YAML those are direct children of ``spec`` (and ``names``), found by
their indentation with ``bytes.find``.  Anything unusual returns None and the
caller parses the document.
"""
from __future__ import annotations

from helm_vnp.stream.document import Document
from helm_vnp.stream.indent_search import block_end, child_indent, children
from helm_vnp.stream.scalars import ASK_PARSER, scalar


def _spec_children(doc: Document, keys: tuple) -> tuple[dict, int] | None:
    """({key: (rest of its line, offset after it)} for ``keys`` found among the direct children of a
    block-style top-level ``spec:``, the children's indentation); None when the layout is unusual."""
    if not doc.is_block_mapping:
        return None
    raw = doc.raw
    spec_at = doc.find_top_key(b"spec")
    if spec_at is None or spec_at is ASK_PARSER:
        return None
    nl = raw.find(b"\n", spec_at)
    if nl < 0 or raw[spec_at + 5:nl].strip():
        return None
    body = nl + 1
    indent = child_indent(raw, body)
    if not indent:
        return None
    found = children(raw, body, block_end(raw, body, indent), indent, keys)
    return None if found is ASK_PARSER else (found, indent)


def crd_light(doc: Document) -> dict | None:
    """A parsed-looking CRD with only apiVersion, kind, metadata (name) and the scope-relevant spec."""
    found = _spec_children(doc, ("group", "scope", "names"))
    if found is None:
        return None
    raw = doc.raw
    top, indent = found
    if "names" not in top or "group" not in top:
        return None
    group, scope = scalar(top["group"][0]), scalar(top.get("scope", ("", 0))[0])
    names_start = top["names"][1]
    if top["names"][0].strip() and not top["names"][0].strip().startswith("#"):
        return None  # flow-style names
    n_indent = child_indent(raw, names_start)
    if n_indent is None or n_indent <= indent:
        return None
    names = children(raw, names_start, block_end(raw, names_start, n_indent), n_indent, ("kind", "plural"))
    if names is ASK_PARSER or "kind" not in names:
        return None
    kind = scalar(names["kind"][0])
    plural = scalar(names["plural"][0]) if "plural" in names else None
    if ASK_PARSER in (group, scope, kind, plural):
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


def crd_conversion(doc: Document) -> dict | None:
    """The CRD as {apiVersion, kind, metadata, spec: {conversion}}, reading only the small
    ``spec.conversion`` block (the traffic a conversion webhook needs), never the schemas; None when
    the layout is unusual (the caller then parses the document)."""
    from helm_vnp.base.yamlload import load
    from helm_vnp.stream.indent_search import value_block
    spec = _spec_children(doc, ("conversion",))
    if spec is None:
        return None
    raw = doc.raw
    found = spec[0]
    conversion = None
    if "conversion" in found:
        rest, after = found["conversion"]
        block = value_block(raw, rest, after)
        if block is None:
            return None  # flow style or a scalar: let the parser say
        start, end, _ = block
        try:
            conversion = load(raw[start:end].decode("utf-8"), doc.source, doc.line + raw.count(b"\n", 0, start))
        except Exception:
            return None
    spec = {"conversion": conversion} if isinstance(conversion, dict) else {}
    return {"apiVersion": doc.api_version, "kind": doc.kind, "metadata": {"name": doc.name}, "spec": spec}
