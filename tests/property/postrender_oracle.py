"""The post-render guarantees as one checker, shared by the property tests and the fuzz target.

``check_post_render(data, policies)`` runs the pipeline and returns the Result,
or raises ``VnpError`` (an allowed, clean refusal); any broken guarantee is an
``AssertionError`` naming it.  The expectation is built from the parser alone
(``stream.parse.load`` + ``workloads.pod_template``), never from the labeller.
"""
from __future__ import annotations

import copy
import re

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.base.yamlload import load
from helm_vnp.k8s.pod_creators import creator_for, find_sources, is_pod_creator
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload, pod_template
from helm_vnp.release.pipeline import generates, is_generated, post_render
from helm_vnp.stream import split

RELEASE = "rel"
_UNPARSABLE = object()


def parse_raw(raw: bytes):
    """The document's data, or _UNPARSABLE."""
    try:
        text = raw.decode("utf-8")
        if "\x00" in text:
            return _UNPARSABLE
        return load(text)
    except (VnpError, UnicodeDecodeError):
        return _UNPARSABLE


def labelled(obj, kind: str, release: str = RELEASE, api_version: str | None = None):
    """``obj`` with the release label on its pod template; new dicts on the path, so aliases don't leak."""
    if not (kind in POD_METADATA_PATH and is_workload(kind, api_version or obj.get("apiVersion"))):
        return _custom_labelled(obj, creator_for(api_version or obj.get("apiVersion"), kind), release)
    obj = copy.deepcopy(obj)
    template = pod_template(obj, kind)
    if template is None:
        return obj
    meta = template.get("metadata")
    meta = dict(meta) if isinstance(meta, dict) else {}
    labels = meta.get("labels")
    meta["labels"] = {**(labels if isinstance(labels, dict) else {}), RELEASE_LABEL: release}
    if kind == "Pod":
        obj["metadata"] = meta
    else:
        parent = obj
        for key in POD_METADATA_PATH[kind][:-2]:
            parent[key] = dict(parent[key])
            parent = parent[key]
        parent["template"] = {**template, "metadata": meta}
    return obj


def _custom_labelled(obj, creator, release: str):
    """A registered kind: the label in the labels of every place ``k8s.pod_creators`` finds (missing
    mappings on the way created), built on a copy with new dicts."""
    obj = copy.deepcopy(obj)
    for found in find_sources(obj, creator):
        node = obj
        for seg in found.metadata_path:
            child = node[seg] if isinstance(node, list) else node.get(seg)
            child = dict(child) if isinstance(child, dict) else list(child) if isinstance(child, list) else {}
            node[seg] = child
            node = child
        labels = node.get("labels") if isinstance(node.get("labels"), dict) else {}
        node["labels"] = {**labels, RELEASE_LABEL: release}
    return obj


def _labels_here(policies: dict) -> bool:
    return policies["selection"] == "podLabel" and bool(policies["networkPolicy"]["enabled"])


def check_post_render(data: bytes, policies: dict, release: str = RELEASE, idempotence: bool = True):
    """Run post_render on ``data`` and assert the guarantees of issue 4; VnpError propagates."""
    result = post_render(data, policies, release, None)
    in_docs = [d for d in split(data) if not (generates(policies) and is_generated(d, release))]
    out_docs = result.docs
    assert len(out_docs) == len(in_docs), "a document was lost or added among the chart's documents"
    output = result.output
    chart = b"".join(d.raw for d in out_docs)
    assert output.startswith(chart), "the chart's documents are not written first, in order"
    workloads = {id(d) for d in result.workloads}
    for i, (a, b) in enumerate(zip(in_docs, out_docs)):
        if a.raw == b.raw:
            if _labels_here(policies) and id(b) in workloads:
                _assert_already_labelled(a, release, i)
            continue
        assert _labels_here(policies), f"document {i} altered though nothing is labelled"
        kind = a.kind
        assert is_pod_creator(a.api_version, kind), f"document {i} ({kind}) altered though it has no pod template"
        before = parse_raw(a.raw)
        after = parse_raw(b.raw)
        if before is _UNPARSABLE:
            continue  # the fast path labels without parsing; Helm rejects such a document anyway
        assert after is not _UNPARSABLE, f"document {i} ({kind}) no longer parses after labelling"
        assert after == labelled(before, kind, release, a.api_version), \
            f"document {i} ({kind}): not the input plus the label"
    # the appended documents are exactly the generated objects
    tail = output[len(chart):]
    tail_docs = [d for d in split(tail) if not d.is_empty]
    assert [parse_raw(d.raw) for d in tail_docs] == result.generated, "appended documents != generated objects"
    if idempotence:
        again = post_render(output, policies, release, None).output
        assert again == output, "post_render is not idempotent"
    return result


def _assert_already_labelled(doc, release: str, i: int) -> None:
    obj = parse_raw(doc.raw)
    if obj is _UNPARSABLE:
        return
    if not (doc.kind in POD_METADATA_PATH and is_workload(doc.kind, doc.api_version)):
        creator = creator_for(doc.api_version, doc.kind)
        for found in find_sources(obj, creator) if creator is not None else ():
            assert found.labels.get(RELEASE_LABEL) == release, f"{doc.kind} document {i}: {found.where} unlabelled"
        return
    template = pod_template(obj, doc.kind)
    if template is None:
        return  # no pod template: nothing to label
    meta = template.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    assert isinstance(labels, dict) and labels.get(RELEASE_LABEL) == release, \
        f"workload document {i} ({doc.kind}) left unlabelled"

_NOT_A_MARKER = re.compile(rb"^---[^ \t\r\n]", re.M)


def first_control(data: bytes) -> int | None:
    """Where the first character YAML forbids anywhere is: a C0 control but tab, LF and CR, DEL, or a C1
    control but NEL written in UTF-8 (``\\xc2\\x80``-``\\xc2\\x9f``)."""
    for i, b in enumerate(data):
        if (b < 0x20 and b not in (0x09, 0x0a, 0x0d)) or b == 0x7f:
            return i
        if b == 0xc2 and i + 1 < len(data) and 0x80 <= data[i + 1] <= 0x9f and data[i + 1] != 0x85:
            return i
    return None


def split_or_refused(data: bytes, source: str):
    """``split(data)``, or None when it refused, rightly, a control character YAML forbids (Kubernetes refuses
    the stream where its reader meets one) or a '---' line that is not a marker (Kubernetes reads a separator
    there, YAML text): the refusal names the first control character's line, else the first such line."""
    control = first_control(data)
    bad = _NOT_A_MARKER.search(data)
    if control is None and bad is None:
        return split(data, source)
    with pytest.raises(VnpError) as exc:
        split(data, source)
    at = control if control is not None else bad.start()
    assert exc.value.problems[0].line == data.count(b"\n", 0, at) + 1
    assert ("control character" in exc.value.problems[0].message) == (control is not None)
    return None
