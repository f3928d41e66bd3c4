"""Hypothesis strategies for Kubernetes-like streams, written the many ways charts write YAML.

``documents()`` draws (object, text) pairs: the object is what the text must
parse to.  Style is drawn per document (indent 2/4, compact or indented
sequences, comments, key and value quoting, anchors off the pod-template path,
flow/JSON documents) so every labeller path gets exercised.
"""
from __future__ import annotations

import json
import re

from hypothesis import strategies as st

from helm_vnp.base.names import RELEASE_LABEL

# plain scalars that stay strings in YAML 1.1 and 1.2
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
_PLAIN_OK = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")

names = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(lambda s: s not in _RESERVED)
label_keys = st.one_of(names, st.from_regex(r"[a-z]{1,6}\.io/[a-z][a-z0-9-]{0,8}", fullmatch=True))
texts = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cs")),
                max_size=12)
label_values = st.one_of(names, texts, st.sampled_from(["", "true", "1", "a b", "x: y", "#", "- z", "é"]))
labels = st.dictionaries(label_keys, label_values, max_size=4)

WORKLOADS = {
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1",
    "Job": "batch/v1", "CronJob": "batch/v1", "Pod": "v1", "ReplicationController": "v1",
}


@st.composite
def pod_spec(draw):
    containers = []
    for i in range(draw(st.integers(1, 2))):
        c = {"name": draw(names), "image": draw(st.sampled_from(["nginx:1.27", "busybox", "r.io/a/b@sha256:00"]))}
        if draw(st.booleans()):
            c["args"] = draw(st.lists(st.one_of(names, texts), max_size=3))
        if draw(st.booleans()):
            c["env"] = [{"name": "E", "value": draw(texts)}]
        if draw(st.booleans()):
            c["ports"] = [{"containerPort": draw(st.integers(1, 65535))}]
        containers.append(c)
    return {"containers": containers}


@st.composite
def template_metadata(draw):
    """A pod template's metadata: present with labels, labels {}, labels missing, metadata missing/null."""
    shape = draw(st.sampled_from(["labels", "labels", "empty", "nolabels", "absent", "null"]))
    if shape == "absent":
        return None, False
    if shape == "null":
        return None, True
    meta = {}
    if draw(st.booleans()):
        meta["annotations"] = draw(labels)
    if shape == "labels":
        meta["labels"] = draw(labels.filter(bool))
        if draw(st.integers(0, 5)) == 0:  # already labelled (a second pass), maybe for another release
            meta["labels"][RELEASE_LABEL] = draw(st.sampled_from(["rel", "other"]))
    elif shape == "empty":
        meta["labels"] = {}
    if draw(st.booleans()):
        meta = dict(reversed(list(meta.items())))
    return meta, True


@st.composite
def workload(draw, kind: str):
    meta, present = draw(template_metadata())
    template = {}
    if present:
        template["metadata"] = meta
    template["spec"] = draw(pod_spec())
    top = {"name": draw(names)}
    if draw(st.booleans()):
        top["labels"] = draw(labels)
    if draw(st.booleans()):
        top["annotations"] = {"helm.sh/hook": "pre-install"} if kind == "Job" else draw(labels)
    obj = {"apiVersion": WORKLOADS[kind], "kind": kind, "metadata": top}
    if kind == "Pod":
        pod_meta = dict(top)
        if isinstance(meta, dict) and "labels" in meta:
            pod_meta["labels"] = meta["labels"]
        obj["metadata"] = pod_meta
        obj["spec"] = template["spec"]
        return obj
    spec = {}
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        spec["selector"] = {"matchLabels": draw(labels)}
    if kind == "ReplicationController":
        spec["selector"] = draw(labels)
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController") and draw(st.booleans()):
        spec["replicas"] = draw(st.integers(0, 5))
    spec["template"] = template
    if kind == "CronJob":
        return {**obj, "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": spec}}}
    return {**obj, "spec": spec}


@st.composite
def other(draw):
    """Documents without a pod template: ConfigMap, Service, CRD-like custom resources, a non-core Deployment."""
    kind = draw(st.sampled_from(["ConfigMap", "Service", "Widget", "Deployment"]))
    meta = {"name": draw(names), "labels": draw(labels)}
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta,
                "data": draw(st.dictionaries(names, texts, max_size=3))}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta,
                "spec": {"selector": draw(labels), "ports": [{"port": draw(st.integers(1, 65535))}]}}
    group = "example.com/v1" if kind == "Widget" else "apps.example.com/v1"
    return {"apiVersion": group, "kind": kind, "metadata": meta,
            "spec": {"template": {"metadata": {"labels": draw(labels)}, "size": draw(st.integers())}}}


objects = st.one_of(*(workload(k) for k in WORKLOADS), other())


# -- writing ---------------------------------------------------------------------------------------
class Style:
    def __init__(self, draw):
        self.draw = draw
        self.indent = draw(st.sampled_from([2, 4]))
        self.compact = draw(st.booleans())  # "- " at the parent key's column
        self.comments = draw(st.sampled_from([0, 0, 0.2]))
        self.quoting = draw(st.sampled_from(["plain", "plain", "mixed"]))
        self.anchors = draw(st.booleans())
        self.anchor_no = 0
        self.aliased = False  # an alias was written: the text no longer equals the drawn object

    def coin(self, p: float) -> bool:
        return p > 0 and self.draw(st.floats(0, 1)) < p

    def scalar(self, v, key: bool = False) -> str:
        if v is None:
            return self.draw(st.sampled_from(["", "null", "~"])) if not key else '""'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        plain_ok = v.lower() not in _RESERVED and (bool(_PLAIN_OK.match(v)) or key and v[:1].isalpha()
                                                   and bool(re.fullmatch(r"[A-Za-z./0-9-]+", v)))
        how = "plain" if plain_ok and (self.quoting == "plain" or not self.coin(0.15 if key else 0.5)) else \
            self.draw(st.sampled_from(["single", "double"]))
        if how == "plain":
            return v
        if how == "single":
            return "'" + v.replace("'", "''") + "'"
        return json.dumps(v, ensure_ascii=self.draw(st.booleans()))

    def comment(self, pad: str) -> list[str]:
        pad = self.draw(st.sampled_from(["", pad, pad + "  "]))
        return [pad + "# " + self.draw(st.sampled_from(["note", "labels: {}", "key: value", "- item", ""]))] \
            if self.coin(self.comments) else []

    def tail(self) -> str:
        return "  # c" if self.coin(self.comments) else ""

    def anchor(self, path: tuple, scalar: bool) -> str:
        """An anchor on a node that is not on the pod-template path (only leaves and containers)."""
        if self.anchors and scalar and "containers" in path and self.coin(0.3):
            self.anchor_no += 1
            return f"&a{self.anchor_no} "
        return ""

    def mapping(self, obj: dict, col: int, path: tuple) -> list[str]:
        out: list[str] = []
        pad = " " * col
        for k, v in obj.items():
            out += self.comment(pad)
            key = self.scalar(k, key=True)
            out += self.value(f"{pad}{key}:", v, col, path + (k,))
        return out

    def value(self, head: str, v, col: int, path: tuple) -> list[str]:
        if isinstance(v, dict):
            if not v:
                return [f"{head} {{}}{self.tail()}"]
            if self.coin(0.08) and not _on_template_path(path):
                return [f"{head} {json.dumps(v)}"]
            return [head + self.tail()] + self.mapping(v, col + self.indent, path)
        if isinstance(v, list):
            if not v:
                return [f"{head} []"]
            return [head + self.tail()] + self.sequence(v, col if self.compact else col + self.indent, path)
        if self.anchor_no and "containers" in path and self.coin(0.3):
            self.aliased = True
            return [f"{head} *a{self.draw(st.integers(1, self.anchor_no))}" + self.tail()]
        text = self.scalar(v)
        anchor = self.anchor(path, True) if text else ""
        return [f"{head} {anchor}{text}".rstrip() + self.tail()]

    def sequence(self, items: list, col: int, path: tuple) -> list[str]:
        out = []
        pad = " " * col
        for item in items:
            if isinstance(item, dict) and item:
                inner = self.mapping(item, col + 2, path)
                out.append(pad + "- " + inner[0].lstrip(" ") if not inner[0].lstrip().startswith("#")
                           else pad + "-")
                out += inner[1:] if not inner[0].lstrip().startswith("#") else inner
            elif isinstance(item, (dict, list)):
                out.append(pad + "- " + json.dumps(item))
            else:
                out.append(f"{pad}- {self.scalar(item)}".rstrip())
        return out


def _on_template_path(path: tuple) -> bool:
    return path in {("spec",), ("spec", "template"), ("spec", "template", "metadata"), ("metadata",),
                    ("spec", "jobTemplate"), ("spec", "jobTemplate", "spec"),
                    ("spec", "jobTemplate", "spec", "template"),
                    ("spec", "jobTemplate", "spec", "template", "metadata")}


@st.composite
def document(draw):
    """(object, text of the document without its --- line, with \\n line ends)."""
    obj = draw(objects)
    form = draw(st.sampled_from(["block"] * 8 + ["json", "flow-pretty"]))
    if form == "json":
        return obj, json.dumps(obj) + "\n"
    if form == "flow-pretty":
        return obj, json.dumps(obj, indent=draw(st.sampled_from([1, 2]))) + "\n"
    style = Style(draw)
    lines = []
    if draw(st.booleans()):
        lines.append(f"# Source: chart/templates/{draw(names)}.yaml")
    lines += style.mapping(obj, 0, ())
    return (None if style.aliased else obj), "\n".join(lines) + "\n"


@st.composite
def stream(draw):
    """(list of objects, stream bytes)."""
    docs = draw(st.lists(document(), min_size=1, max_size=4))
    crlf = draw(st.booleans())
    parts = []
    for i, (_, text) in enumerate(docs):
        marker = draw(st.sampled_from(["---\n", "---\n", "--- # doc\n"])) if i or draw(st.booleans()) else ""
        parts.append(marker + text)
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["---\n", "---\n# only a comment\n", "...\n"])))
    data = "".join(parts)
    if crlf:
        data = data.replace("\n", "\r\n")
    return [o for o, _ in docs], data.encode("utf-8")
