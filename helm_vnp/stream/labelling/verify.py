"""After labelling: is the label where Kubernetes will read it?

The planners write where a document's lines say the pod template is.  When
``stream.line_proof`` cannot prove the lines are the structure (a multi-line
quoted scalar, a tab, a second ``"labels":`` spelled another way, an anchor),
the labelled document is decoded as Kubernetes decodes it
(``stream.decoded``, the full loader for anchors and merge keys) and every pod
template must carry the label with the release's value; the decoded kind and
apiVersion must be the ones vnp acted on.  ``misplaced`` says what is wrong,
or None.
"""
from __future__ import annotations

import copy
import json

from helm_vnp.base.errors import Problem
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.base.tree import ABSENT, value_at
from helm_vnp.k8s.pod_creators import creator_for, find_sources
from helm_vnp.k8s.workloads import POD_METADATA_PATH, is_workload
from helm_vnp.stream.document import Document, str_map


def decoded(doc: Document):
    """``doc`` as Kubernetes decodes it (VnpError, located, when it is not YAML)."""
    return doc.kubernetes_view(aliases=False)[0]


def misplaced(doc: Document, release: str, declared: tuple = (), before: Document | None = None,
              key: str = RELEASE_LABEL) -> Problem | None:
    """What keeps the release label of ``doc`` (labelled) from reaching its pods, or None.  With ``before``
    (the chart's document), the label must also be the only change Kubernetes sees: an edit that reaches
    further (into an anchored mapping an alias elsewhere repeats) is refused."""
    obj, shared = doc.kubernetes_view(aliases=False)
    if not isinstance(obj, dict):
        return _problem(doc, "it does not decode as an object")
    head = (obj.get("apiVersion"), obj.get("kind"))
    if head != (doc.api_version, doc.kind):
        return _problem(doc, f"vnp read it as {doc.api_version} {doc.kind}, but it decodes as "
                             f"{_show(head[0])} {_show(head[1])}")
    path = POD_METADATA_PATH.get(doc.kind or "")
    if path is not None and is_workload(doc.kind, doc.api_version):
        # no pod template at all: nothing to label (the API server refuses such a workload); a template
        # without metadata is one whose pods would run unlabelled
        places = [] if value_at(obj, path[:-1]) is ABSENT else [(path, value_at(obj, path))]
    else:
        creator = creator_for(doc.api_version, doc.kind, declared)
        places = [] if creator is None else [(f.metadata_path, value_at(obj, f.metadata_path))
                                             for f in find_sources(obj, creator)]
    for where, meta in places:
        labels = meta.get("labels") if isinstance(meta, dict) else None
        if not isinstance(labels, dict) or labels.get(key) != release:
            dotted = ".".join(str(p) for p in where) + ".labels"
            return _problem(doc, f"after labelling, {dotted} as Kubernetes decodes it does not carry "
                                 f"{key}={release}")
    if shared and before is not None and before is not doc:  # only an alias repeats an edit elsewhere
        prior = decoded(before)
        if _unlabelled(obj, prior, [w for w, _ in places], key) != prior:
            return _problem(doc, "the label would change more than the pod template's labels (a YAML anchor "
                                 "shared with another place?)")
    doc.adopt_metadata(_metadata(obj))
    return None


def _unshared(value):
    """A copy of decoded data in which no two places share an object (as JSON, which is what the API
    server gets: an alias is two copies there)."""
    try:
        return json.loads(json.dumps(value))
    except (RecursionError, ValueError, TypeError):  # too deep to compare: not proven, so refused
        return ABSENT


def _unlabelled(after, before, places: list, key_: str = RELEASE_LABEL):
    """``after`` with vnp's label taken back out of each place, and the ``labels``/``metadata`` mappings the
    labeller created removed (or put back to what ``before`` had there): equal to ``before`` exactly
    when the label was the only change."""
    out = _unshared(after)  # a deep copy would keep an alias's two places one object
    for where in places if out is not ABSENT else ():
        for depth in range(len(where), len(where) - 2, -1):  # the labels, then the metadata holding them
            key = "labels" if depth == len(where) else where[-1]
            parent = value_at(out, where if depth == len(where) else where[:-1])
            was = value_at(before, where if depth == len(where) else where[:-1])
            if not isinstance(parent, dict) or not isinstance(parent.get(key), dict):
                break
            if key == "labels":
                prior = was.get("labels") if isinstance(was, dict) else None
                if isinstance(prior, dict) and key_ in prior:
                    parent["labels"][key_] = prior[key_]
                else:
                    parent["labels"].pop(key_, None)
            if parent[key]:
                break
            if isinstance(was, dict) and key in was:
                parent[key] = copy.deepcopy(was[key])
            else:
                del parent[key]
    return out




def _metadata(obj: dict) -> dict:
    m = obj.get("metadata")
    m = m if isinstance(m, dict) else {}
    return {"name": _text(m.get("name")), "namespace": _text(m.get("namespace")),
            "labels": str_map(m.get("labels")), "annotations": str_map(m.get("annotations"))}


def _text(v):
    return v if isinstance(v, str) else None


def _show(v) -> str:
    return repr(v) if not isinstance(v, str) else v


def _problem(doc: Document, why: str) -> Problem:
    head = " ".join(x for x in (doc.kind, doc.name) if x) or "document"  # error_in adds the template
    return Problem(f"{head}: {why}; vnp refuses to pass a workload whose pods it cannot isolate",
                   file=doc.source, line=doc.object_line,
                   hint="write the workload in plain block YAML (no duplicate keys, no multi-line quoted "
                        "scalars around its pod template)")
