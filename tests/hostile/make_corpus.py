"""Build the hostile corpus: bad streams and values files, each with its expected outcome.

Run ``python tests/hostile/make_corpus.py`` to (re)write ``tests/hostile/cases/``
(``index.json`` plus one input file per case); ``test_corpus_in_sync`` fails when
the committed files differ from what this script builds.  Cases marked ``big``
(100 MB documents, megabyte lines) are built at test time and never committed.

Outcomes (see README.md):
- ``passthrough``: stdout is the input bytes, then the generated documents.
- ``labelled``: like passthrough, except the documents listed in ``labelled``
  (0-based, in ``split`` order) parse to the input plus the release label on
  their pod template; every other document is byte-identical.
- ``error``: exit 2, nothing on stdout, stderr holds ``message`` and ``where``
  (``<stdin>:LINE`` or ``FILE:LINE``).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
RELEASE = "app"
NAMESPACE = "ns"
# Secret and ConfigMap canaries: they must never show up on stderr (see test_secrets_never_leak).
CANARY = "CANARY-7f3a9c"
CANARY_B64 = "Q0FOQVJZLTdmM2E5Yw=="  # base64 of CANARY

DEFAULT_VALUES = b"""policies:
  networkPolicy:
    enabled: true
  resourceQuota:
    enabled: true
"""


@dataclass
class Case:
    name: str  # unique, file-name safe
    cls: str  # the class of bad input
    stream: bytes = b""
    expect: str = "passthrough"  # passthrough | labelled | error
    labelled: list[int] = field(default_factory=list)
    message: str = ""  # error: substring of stderr
    where: str = ""  # error: "<stdin>:LINE" or "FILE:LINE" substring of stderr
    values: bytes | None = None  # None: DEFAULT_VALUES
    args: list[str] = field(default_factory=list)  # extra post-renderer arguments
    big: bool = False  # built at test time, not committed
    text_only: bool = False  # judge labelled documents as text (parsing would expand an alias bomb)
    known_bug: str = ""  # a bug outside tests/hostile's owner's files: strict xfail until fixed
    note: str = ""

    def index_entry(self) -> dict:
        entry = {"name": self.name, "class": self.cls, "expect": self.expect, "stream": f"streams/{self.name}.yaml",
                 "values": f"values/{self.name}.yaml" if self.values is not None else "values/default.yaml"}
        if self.labelled:
            entry["labelled"] = self.labelled
        if self.expect == "error":
            entry["message"] = self.message
            entry["where"] = self.where
        if self.args:
            entry["args"] = self.args
        if self.note:
            entry["note"] = self.note
        if self.text_only:
            entry["text_only"] = True
        if self.known_bug:
            entry["known_bug"] = self.known_bug
        return entry


# -- building blocks ----------------------------------------------------------------

def deployment(name: str = "web", *, head: str = "", spec_extra: str = "", pod_extra: str = "",
               template_labels: str | None = "        app: {name}\n", kind: str = "Deployment",
               api: str = "apps/v1") -> str:
    labels = "      labels:\n" + template_labels.replace("{name}", name) if template_labels is not None else ""
    return (f"# Source: chart/templates/{name}.yaml\n"
            f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  labels:\n    app: {name}\n{head}"
            f"spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: {name}\n{spec_extra}"
            f"  template:\n    metadata:\n{labels}"
            f"    spec:\n      containers:\n        - name: {name}\n          image: nginx:1.27\n{pod_extra}")


def configmap(name: str = "cfg", data: str = "  key: value\n") -> str:
    return (f"# Source: chart/templates/{name}.yaml\napiVersion: v1\nkind: ConfigMap\n"
            f"metadata:\n  name: {name}\ndata:\n{data}")


def secret(name: str = "creds") -> str:
    return (f"# Source: chart/templates/{name}.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n"
            f"type: Opaque\ndata:\n  password: {CANARY_B64}\nstringData:\n  token: {CANARY}\n")


def service(name: str = "svc") -> str:
    return (f"# Source: chart/templates/{name}.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n"
            f"spec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n")


def stream(*docs: str) -> bytes:
    return "".join("---\n" + d for d in docs).encode("utf-8")


def line_of(data: bytes, needle: bytes, nth: int = 0) -> int:
    """1-based line of the nth occurrence of needle."""
    at = -1
    for _ in range(nth + 1):
        at = data.index(needle, at + 1)
    return data.count(b"\n", 0, at) + 1


# -- stream cases --------------------------------------------------------------------

# Broken YAML snippets, each one line under a mapping indented by `pad`: (name, line, message).
SYNTAX_ERRORS = [
    ("unclosed-dquote", 'broken: "abc', "invalid YAML"),
    ("unclosed-squote", "broken: 'abc", "invalid YAML"),
    ("unclosed-flow-map", "broken: {a: 1", "invalid YAML"),
    ("unclosed-flow-seq", "broken: [1, 2", "invalid YAML"),
    ("value-after-value", "broken: a: b", "invalid YAML"),
    ("undefined-alias", "broken: *nowhere", "invalid YAML"),
    ("reserved-indicator", "broken: @at", "invalid YAML"),
    ("bad-escape", 'broken: "\\q"', "invalid YAML"),
    ("stray-bracket", "broken: ]x", "invalid YAML"),
    ("tab-indent", "\tbroken: 1", "invalid YAML"),
    ("seq-in-map", "- broken", "invalid YAML"),
    ("over-indented-key", "  broken: 1", "invalid YAML"),
]


def syntax_cases() -> list[Case]:
    out = []
    for label, snippet, message in SYNTAX_ERRORS:
        for position in ("first", "last"):
            # in a workload, on the pod template path (pod template metadata): the label needs a parse
            bad = deployment(template_labels="        app: {name}\n        " + snippet + "\n")
            docs = [bad, configmap(), service()] if position == "first" else [configmap(), service(), bad]
            data = stream(*docs)
            out.append(Case(f"syntax-{label}-workload-path-{position}", "YAML syntax error in a workload", data,
                            "error", message="Deployment web (chart/templates/web.yaml): " + message,
                            where=f"<stdin>:{line_of(data, b'broken')}",
                            note="error in the labels the label goes into: the labeller parses and reports it"))
            # in an untouched document: passes through byte for byte (Helm rejects it with its own message)
            bad_cm = configmap(data="  key: value\n  " + snippet + "\n")
            docs = [bad_cm, deployment(), service()] if position == "first" else [service(), deployment(), bad_cm]
            data = stream(*docs)
            out.append(Case(f"syntax-{label}-untouched-{position}", "YAML syntax error in an untouched document",
                            data, "labelled", labelled=[1],
                            note="never parsed: passed through byte for byte; Helm rejects the stream itself"))
    # off the pod template path in a workload (container list): the fast labeller needs no parse
    for label, snippet, message in SYNTAX_ERRORS[:6]:
        bad = deployment(pod_extra="          " + snippet + "\n")
        data = stream(bad, configmap())
        out.append(Case(f"syntax-{label}-workload-offpath", "YAML syntax error in a workload", data, "error",
                        message="Deployment web (chart/templates/web.yaml): " + message,
                        where=f"<stdin>:{line_of(data, b'broken')}",
                        note="a line that is not what it looks like: the workload is decoded to check its label, "
                             "and the decoder reports the error with its line"))
    return out


def encoding_cases() -> list[Case]:
    out = []
    bom = b"\xef\xbb\xbf"
    out.append(Case("bom-stream-start-workload", "UTF-8 BOM", bom + deployment().encode(), "labelled", labelled=[0]))
    out.append(Case("bom-stream-start-marker", "UTF-8 BOM", bom + stream(deployment(), configmap()), "labelled",
                    labelled=[0]))
    out.append(Case("bom-stream-start-configmap", "UTF-8 BOM", bom + stream(configmap(), service())))
    out.append(Case("bom-mid-stream-configmap", "UTF-8 BOM", stream(service()) + b"---\n" + bom + configmap().encode()))
    out.append(Case("bom-mid-stream-workload", "UTF-8 BOM", stream(service()) + b"---\n" + bom + deployment().encode(),
                    "labelled", labelled=[1]))
    # CRLF
    crlf = stream(configmap(), deployment(), service()).replace(b"\n", b"\r\n")
    out.append(Case("crlf-whole-stream", "CRLF line ends", crlf, "labelled", labelled=[1]))
    out.append(Case("crlf-workload-only", "CRLF line ends",
                    stream(configmap()) + stream(deployment()).replace(b"\n", b"\r\n"), "labelled", labelled=[1]))
    out.append(Case("crlf-no-template-labels", "CRLF line ends",
                    stream(deployment(template_labels=None)).replace(b"\n", b"\r\n"), "labelled", labelled=[0]))
    out.append(Case("crlf-mixed-in-workload", "CRLF line ends",
                    stream(deployment()).replace(b"  template:\n", b"  template:\r\n"), "labelled", labelled=[0]))
    out.append(Case("cr-only-line-ends-configmap", "CRLF line ends", stream(configmap()).replace(b"\n", b"\r")))
    # invalid UTF-8 and NUL bytes
    bad = stream(configmap(data="  key: caf\xe9\n").replace("\xe9", "@@")).replace(b"@@", b"\xe9")
    out.append(Case("invalid-utf8-untouched", "invalid UTF-8", bad + stream(deployment()), "labelled", labelled=[1]))
    wl = stream(deployment(template_labels="        app: caf@@\n")).replace(b"@@", b"\xff\xfe")
    out.append(Case("invalid-utf8-workload-path", "invalid UTF-8", stream(configmap()) + wl, "error",
                    message="invalid UTF-8", where=f"<stdin>:{line_of(stream(configmap()) + wl, b'caf')}"))
    wl = stream(deployment(pod_extra="          args: [\"\xc3\x28\"]\n".encode("latin-1").decode("latin-1")))
    wl = stream(deployment(pod_extra="          args: [X]\n")).replace(b"[X]", b"[\xc3\x28]")
    out.append(Case("invalid-utf8-workload-offpath", "invalid UTF-8", wl, "labelled", labelled=[0],
                    note="outside what the labeller reads: label added, Helm rejects the bytes"))
    out.append(Case("invalid-utf8-lone-continuation", "invalid UTF-8", stream(service()) + b"---\n\x80\x80\n"))
    out.append(Case("invalid-utf8-overlong", "invalid UTF-8",
                    stream(configmap(data="  k: X\n")).replace(b"X", b"\xc0\xaf") + stream(deployment()),
                    "labelled", labelled=[1]))
    out.append(Case("invalid-utf8-surrogate", "invalid UTF-8",
                    stream(configmap(data="  k: X\n")).replace(b"X", b"\xed\xa0\x80")))
    # a control character YAML forbids is refused anywhere, even in a document vnp leaves alone: Kubernetes refuses
    # the stream where its reader meets one, and whether it meets one past a document's end depends on how far its
    # scanner has read ahead, which vnp's edits move (found by make fuzz)
    nul = stream(configmap(data="  key: a\x00b\n"))
    out.append(Case("nul-untouched", "NUL bytes", nul + stream(deployment()), "error", message="control character "
                    "(U+0000)", where=f"<stdin>:{line_of(nul, bytes(1))}"))
    nulw = stream(deployment(template_labels="        app: a\x00b\n"))
    out.append(Case("nul-workload-path", "NUL bytes", nulw, "error", message="control character (U+0000)",
                    where=f"<stdin>:{line_of(nulw, b'a' + bytes(1))}"))
    nulw = stream(deployment(pod_extra="          args: [\"a\x00b\"]\n"))
    out.append(Case("nul-workload-offpath", "NUL bytes", nulw, "error", message="control character (U+0000)",
                    where=f"<stdin>:{line_of(nulw, bytes(1))}"))
    out.append(Case("nul-only-stream", "NUL bytes", b"\x00" * 64, "error", message="control character (U+0000)",
                    where="<stdin>:1"))
    between = stream(configmap()) + b"---\n\x00\n" + stream(service())
    out.append(Case("nul-between-documents", "NUL bytes", between, "error", message="control character (U+0000)",
                    where=f"<stdin>:{line_of(between, bytes(1))}"))
    past_end = stream(deployment()) + b"...\n# after the end\x1b\n"
    out.append(Case("control-past-document-end", "NUL bytes", past_end, "error",
                    message="control character (U+001B)", where=f"<stdin>:{line_of(past_end, bytes([27]))}"))
    # tabs
    out.append(Case("tab-in-value-workload", "tabs", stream(deployment(pod_extra="          args: [\"a\tb\"]\n")),
                    "labelled", labelled=[0]))
    out.append(Case("tab-before-comment-workload", "tabs",
                    stream(deployment()).replace(b"replicas: 1", b"replicas: 1\t# one"), "labelled", labelled=[0]))
    tabbed = stream(deployment()).replace(b"\n        app: web\n", b"\n\t\tapp: web\n")
    out.append(Case("tab-indent-template-labels", "tabs", tabbed, "error", message="invalid YAML",
                    where=f"<stdin>:{line_of(tabbed, bytes([9]))}"))
    out.append(Case("tab-indent-untouched", "tabs", stream(configmap(data="\tkey: v\n"), service())))
    out.append(Case("tab-inside-comment-workload", "tabs",
                    stream(deployment()).replace(b"  template:\n", b"  template:\n  # tabbed\tcomment\n"),
                    "labelled", labelled=[0]))
    return out


def key_cases() -> list[Case]:
    out = []
    dup_top = stream(deployment()).replace(b"kind: Deployment\n", b"kind: Deployment\nkind: Deployment\n")
    out.append(Case("dup-key-kind", "duplicate keys", dup_top, "labelled", labelled=[0],
                    note="Kubernetes keeps the last kind (the same Deployment): read as it decodes, labelled"))
    dup_top = stream(deployment()).replace(b"kind: Deployment\n", b"kind: ConfigMap\nkind: Deployment\n")
    out.append(Case("dup-key-kind-decoy-first", "duplicate keys", dup_top, "labelled", labelled=[0],
                    note="a decoy kind before the real one: Kubernetes keeps the last, a Deployment, labelled"))
    d = stream(deployment(template_labels="        app: web\n        app: web2\n"))
    out.append(Case("dup-key-template-labels", "duplicate keys", d, "error", message="duplicate key",
                    where="<stdin>:"))
    d = stream(deployment()).replace(b"  template:\n", b"  template:\n    metadata: {}\n", 1)
    out.append(Case("dup-key-template-metadata", "duplicate keys", d, "error", message="duplicate key",
                    where="<stdin>:"))
    d = stream(deployment()).replace(b"spec:\n  replicas: 1\n", b"spec:\n  replicas: 1\n  replicas: 2\n")
    out.append(Case("dup-key-spec-replicas", "duplicate keys", d, "labelled", labelled=[0],
                    note="outside what the labeller reads: label added, Helm rejects the duplicate"))
    d = stream(deployment(pod_extra="          image: other\n"))
    out.append(Case("dup-key-container-offpath", "duplicate keys", d, "labelled", labelled=[0],
                    note="outside what the labeller reads; Helm rejects the duplicate"))
    d = stream(deployment()).replace(b"\nspec:\n", b"\nspec: {}\nspec:\n", 1)
    out.append(Case("dup-key-spec-top", "duplicate keys", d, "error", message="duplicate key", where="<stdin>:"))
    out.append(Case("dup-key-configmap", "duplicate keys",
                    stream(configmap(data="  k: 1\n  k: 2\n"), deployment()), "labelled", labelled=[1]))
    dup_meta = stream(configmap()).replace(b"metadata:\n", b"metadata:\n  name: x\nmetadata:\n")
    out.append(Case("dup-key-metadata-untouched", "duplicate keys", dup_meta))
    dup_kind = stream(configmap()).replace(b"kind: ConfigMap\n", b"kind: ConfigMap\nkind: Deployment\n")
    out.append(Case("dup-key-kind-untouched", "duplicate keys", dup_kind,
                    note="Kubernetes keeps the last kind: a Deployment without a pod template, which the API "
                         "server refuses; vnp reads the same and has nothing to label"))
    # anchors, aliases, merge keys
    d = stream(deployment()).replace(b"  selector:\n    matchLabels:\n      app: web\n",
                                     b"  selector:\n    matchLabels: &sel\n      app: web\n").replace(
        b"    metadata:\n      labels:\n        app: web\n", b"    metadata:\n      labels: *sel\n")
    out.append(Case("alias-template-labels", "anchors, aliases, merge keys", d, "labelled", labelled=[0],
                    note="the aliased labels are written out in place; the selector keeps its anchor"))
    d = stream(deployment()).replace(b"      labels:\n        app: web\n", b"      labels: &tl\n        app: web\n")
    out.append(Case("anchor-on-template-labels-unused", "anchors, aliases, merge keys", d, "error",
                    message="anchor", where="<stdin>:"))
    d = stream(deployment()).replace(b"  template:\n    metadata:\n", b"  template:\n    metadata: &m\n")
    out.append(Case("anchor-on-template-metadata", "anchors, aliases, merge keys", d, "error", message="anchor",
                    where="<stdin>:"))
    d = stream(deployment(pod_extra="          env: &env\n            - name: A\n              value: b\n"))
    out.append(Case("anchor-offpath-container", "anchors, aliases, merge keys", d, "labelled", labelled=[0]))
    d = stream(deployment(pod_extra="          env: &env\n            - name: A\n              value: b\n"
                                    "        - name: side\n          image: busybox\n          env: *env\n"))
    out.append(Case("alias-offpath-container", "anchors, aliases, merge keys", d, "labelled", labelled=[0]))
    d = stream(deployment(pod_extra="          resources: &r {limits: {cpu: 1}}\n"
                                    "        - name: side\n          image: busybox\n          resources:\n"
                                    "            <<: *r\n"))
    out.append(Case("merge-key-offpath", "anchors, aliases, merge keys", d, "labelled", labelled=[0]))
    d = stream(deployment()).replace(b"  template:\n    metadata:\n      labels:\n        app: web\n",
                                     b"  template:\n    metadata:\n      labels:\n        <<: {app: web}\n")
    out.append(Case("merge-key-in-template-labels", "anchors, aliases, merge keys", d, "labelled", labelled=[0],
                    note="the merged labels do not hold vnp's label: it is written beside them"))
    d = stream(deployment()).replace(b"  template:\n    metadata:\n",
                                     b"  template:\n    <<: {metadata: {labels: {x: y}}}\n    metadata:\n")
    out.append(Case("merge-key-in-template", "anchors, aliases, merge keys", d, "labelled", labelled=[0],
                    note="the explicit metadata overrides the merged one, so labelling it is exact"))
    d = stream(deployment()).replace(b"  template:\n    metadata:\n      labels:\n        app: web\n",
                                     b"  template:\n    <<: {metadata: {labels: {app: web}}}\n")
    out.append(Case("merge-key-template-only", "anchors, aliases, merge keys", d, "error", message="merge key",
                    where="<stdin>:", note="the pod template's metadata comes from a merge: refused, not guessed"))
    d = stream(configmap(data="  a: &x v\n  b: *x\n  c:\n    <<: {m: 1}\n"))
    out.append(Case("anchors-configmap", "anchors, aliases, merge keys", d))
    d = stream(deployment()).replace(b"kind: Deployment\n", b"kind: &k Deployment\n")
    out.append(Case("anchor-on-kind", "anchors, aliases, merge keys", d, "labelled", labelled=[0],
                    note="the head is read by the parser; kind is still Deployment"))
    return out


def bomb(levels: int = 12, fan: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join(f"*a{i - 1}" for _ in range(fan))
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def resource_cases() -> list[Case]:
    out = []
    # billion laughs: in a workload it must be refused quickly; elsewhere it is never expanded
    b = bomb()
    wl = deployment(head="  annotations:\n    bomb: |\n      x\n").replace("  template:\n", "  template:\n") + \
        "  " + "\n  ".join(b.strip().splitlines()) + "\n"
    wl = ("# Source: chart/templates/bomb.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bomb\n"
          "spec:\n  selector:\n    matchLabels: {app: bomb}\n  template:\n    metadata: {labels: {app: bomb}}\n"
          "    spec:\n      containers: [{name: c, image: busybox}]\n" + "lol:\n  " +
          "\n  ".join(b.strip().splitlines()) + "\n")
    data = stream(configmap(), wl)
    out.append(Case("alias-bomb-workload", "alias bomb", data, "error", message="alias bomb",
                    where=f"<stdin>:{line_of(data, b'apiVersion: apps/v1')}",
                    note="flow-style pod template metadata needs the parser, which refuses before expanding"))
    block_wl = wl.replace("    metadata: {labels: {app: bomb}}\n", "    metadata:\n      labels:\n        app: bomb\n")
    data = stream(configmap(), block_wl)
    out.append(Case("alias-bomb-workload-block", "alias bomb", data, "error", message="alias bomb",
                    where=f"<stdin>:{line_of(data, b'apiVersion: apps/v1')}",
                    note="anchors make the lines untrustworthy: the label is checked on the decoded document, "
                         "and the loader refuses the bomb before expanding it"))
    wl_flow = ("# Source: chart/templates/bomb.yaml\n{apiVersion: apps/v1, kind: Deployment, metadata: {name: bomb},"
               " spec: {template: {metadata: {labels: {app: bomb}}, spec: {containers: [{name: c, image: b}]}}},"
               " lol: {" + ", ".join(b.strip().splitlines()) + "}}\n")
    data = stream(configmap(), wl_flow)
    out.append(Case("alias-bomb-workload-flow", "alias bomb", data, "error", message="alias bomb",
                    where=f"<stdin>:{line_of(data, b'{apiVersion')}",
                    note="flow style needs the parser: the expansion check refuses it before constructing"))
    out.append(Case("alias-bomb-configmap", "alias bomb", stream(configmap(data="  " + "\n  ".join(
        b.strip().splitlines()) + "\n"), deployment()), "labelled", labelled=[1]))
    out.append(Case("alias-bomb-bare-doc", "alias bomb", stream(b, service())))
    rec = "{apiVersion: apps/v1, kind: Deployment, metadata: &m {name: r, x: *m}, spec: {template: {spec: {}}}}\n"
    out.append(Case("alias-recursive-workload", "alias bomb", stream(rec), "error", message="recursive alias",
                    where="<stdin>:2", note="an alias to an unfinished anchor: refused before constructing"))
    # deep nesting
    depth = 10_000
    deep_flow = "[" * depth + "]" * depth
    out.append(Case("deep-flow-seq-untouched", "deep nesting", stream(configmap(data=f"  deep: '{'x'}'\n"),
                                                                        deep_flow + "\n")))
    wl = ("{apiVersion: apps/v1, kind: Deployment, metadata: {name: deep}, spec: {template: {metadata: {}, spec: "
          "{containers: [{name: c, image: b, args: " + deep_flow + "}]}}}}\n")
    out.append(Case("deep-flow-seq-workload", "deep nesting", stream(wl), "labelled", labelled=[0],
                    note="flow document: the parser-based planner edits at node positions, depth is no obstacle"))
    deep_map = "{a: " * depth + "1" + "}" * depth
    out.append(Case("deep-flow-map-untouched", "deep nesting", stream(service(), "deep: " + deep_map + "\n")))
    out.append(Case("deep-block-seq-untouched", "deep nesting", stream(configmap(), "- " * depth + "x\n")))
    wl = deployment(pod_extra="          args:\n            - " + "- " * depth + "x\n")
    out.append(Case("deep-block-seq-workload-offpath", "deep nesting", stream(wl), "labelled", labelled=[0]))
    data = stream(deployment(template_labels=None).replace("    metadata:\n", "    metadata:\n      labels:\n"
                                                             "        " + "- " * depth + "x\n"))
    out.append(Case("deep-block-seq-template-labels", "deep nesting", data, "error", message="not a mapping",
                    where="<stdin>:"))
    wl = deployment(pod_extra="          args:\n" + "".join(" " * (12 + i) + "- \n" for i in range(0)) +
                    "            - " + "[" * depth + "]" * depth + "\n")
    out.append(Case("deep-flow-in-workload-offpath", "deep nesting", stream(wl), "labelled", labelled=[0],
                    note="outside what the labeller reads: never parsed"))
    deep_tpl = stream(deployment()).replace(b"        app: web\n", b"        app: web\n        deep: " +
                                            ("[" * depth + "]" * depth).encode() + b"\n")
    out.append(Case("deep-flow-template-labels", "deep nesting", deep_tpl, "labelled", labelled=[0],
                    note="the line reader inserts beside the deep value without reading it"))
    # long lines (committed at 64 KiB; the 1 MB line is a big case)
    long = "x" * 65536
    out.append(Case("long-line-configmap", "long lines", stream(configmap(data=f"  k: {long}\n"), deployment()),
                    "labelled", labelled=[1]))
    out.append(Case("long-line-workload-annotation", "long lines",
                    stream(deployment(head=f"  annotations:\n    big: {long}\n")), "labelled", labelled=[0]))
    return out


def shape_cases() -> list[Case]:
    out = []
    for name, doc in [("scalar-plain", "just a string\n"), ("scalar-int", "42\n"), ("scalar-quoted", '"q"\n'),
                      ("scalar-block", "|\n  text\n"), ("list-block", "- a\n- b\n"), ("list-flow", "[1, 2]\n"),
                      ("list-of-deployments", "- apiVersion: apps/v1\n  kind: Deployment\n"),
                      ("null-tilde", "~\n"), ("null-word", "null\n"), ("empty-map", "{}\n"), ("bool", "true\n")]:
        out.append(Case(f"doc-{name}", "scalar, list or null documents", stream(service(), doc, deployment()),
                        "labelled", labelled=[2]))
    # kind: List
    items = ("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
             "    metadata:\n      name: a\n")
    out.append(Case("list-kind-configmaps", "kind: List", stream(items, deployment()), "labelled", labelled=[1]))
    wl_list = ("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n"
               "    metadata:\n      name: hidden\n    spec:\n      template:\n        spec:\n"
               "          containers: [{name: c, image: b}]\n")
    data = stream(configmap(), wl_list)
    out.append(Case("list-kind-with-deployment", "kind: List", data, "error",
                    message="items[0]: List: holds a Deployment",
                    where=f"<stdin>:{line_of(data, b'kind: List') - 1}",
                    note="Helm flattens Lists: a workload inside one would escape the release label"))
    data = stream(wl_list.replace("kind: List", "kind: DeploymentList")
                  .replace("apiVersion: v1\n", "apiVersion: apps/v1\n", 1))
    out.append(Case("list-kind-deploymentlist", "kind: List", data, "error",
                    message="items[0]: DeploymentList: holds a Deployment",
                    where=f"<stdin>:{line_of(data, b'kind: DeploymentList') - 1}"))
    typed = ("apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - metadata:\n      name: hidden\n"
             "    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n"
             "              image: nginx\n")
    data = stream(typed, deployment())
    out.append(Case("list-typed-kindless-items", "kind: List", data, "error",
                    message="items[0]: DeploymentList: holds a Deployment",
                    where=f"<stdin>:{line_of(data, b'kind: DeploymentList') - 1}",
                    note="the decoder gives a typed list's kindless items the list's kind without 'List'"))
    any_kind = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: carrier\nItems:\n  - apiVersion: v1\n"
                "    kind: Pod\n    metadata:\n      name: hidden\n    spec:\n      containers:\n"
                "        - name: c\n          image: nginx\n")
    data = stream(any_kind, deployment())
    out.append(Case("list-any-kind-items-key", "kind: List", data, "error",
                    message="Items[0]: ConfigMap carrier: holds a Pod",
                    where=f"<stdin>:{line_of(data, b'kind: ConfigMap') - 1}",
                    note="Helm's client reads any object with an items list (key matched ignoring case) as a list"))
    nested = ('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: carrier\n"item\\u017f":\n  - apiVersion: v1\n'
              "    kind: List\n    items:\n      - apiVersion: batch/v1\n        kind: Job\n"
              "        metadata:\n          name: hidden\n")
    data = stream(nested, deployment())
    out.append(Case("list-nested-escaped-key", "kind: List", data, "error",
                    message="[0].items[0]: ConfigMap carrier: holds a Job",
                    where=f"<stdin>:{line_of(data, b'kind: ConfigMap') - 1}",
                    note="an escaped key the line scan cannot read goes to the parser; nested lists are flattened"))
    out.append(Case("list-kind-empty", "kind: List", stream("apiVersion: v1\nkind: List\nitems: []\n")))
    out.append(Case("list-kind-items-null", "kind: List", stream("apiVersion: v1\nkind: List\nitems:\n")))
    out.append(Case("list-kind-broken", "kind: List", stream("apiVersion: v1\nkind: List\nitems: [\n"), "error",
                    message="invalid YAML", where="<stdin>:",
                    note="a List must be read to find workloads; unreadable means refused"))
    # unknown kinds and CRs
    crd_deploy = deployment(api="example.com/v1")
    out.append(Case("cr-named-deployment", "unknown kinds and CRs", stream(crd_deploy), "error",
                    message="Deployment web (chart/templates/web.yaml): holds a pod template "
                            "(spec.template.spec.containers) but vnp does not know the kind Deployment",
                    where="<stdin>:3", note="kind Deployment of another API group is not a workload: an unknown "
                                            "kind with a pod template is refused (policies.unknownWorkloads: error)"))
    for mode in ("warn", "ignore"):
        out.append(Case(f"cr-named-deployment-{mode}", "unknown kinds and CRs", stream(crd_deploy),
                        values=DEFAULT_VALUES + f"  unknownWorkloads: {mode}\n".encode(),
                        note=f"unknownWorkloads: {mode} lets the unknown kind pass untouched"))
    out.append(Case("cr-named-deployment-declared", "unknown kinds and CRs", stream(crd_deploy), "labelled",
                    labelled=[0], values=DEFAULT_VALUES + b"  workloadKinds:\n  - apiVersion: example.com/*\n"
                                                          b"    kind: Deployment\n    podTemplatePath: spec.template\n",
                    note="declared in policies.workloadKinds: labelled at the declared path"))
    out.append(Case("cr-unknown-kind", "unknown kinds and CRs",
                    stream("apiVersion: x.example/v1\nkind: Thing\nmetadata:\n  name: p\n"
                           "spec:\n  podMetadata:\n    labels: {a: b}\n"),
                    note="an unknown kind without a containers list passes"))
    for name, body, where in (
            ("list", "  template:\n  - a\n", "spec.template is a list"),
            ("scalar", "  template: 3\n", "spec.template is the scalar 3"),
            ("metadata-scalar", "  template:\n    metadata: x\n    spec: {}\n",
             "spec.template.metadata is the scalar 'x'")):
        out.append(Case(f"cr-rollout-template-{name}", "unknown kinds and CRs",
                        stream("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n" + body),
                        "error", where="<stdin>:2",
                        message=(f"Rollout r: {'the pod metadata' if 'metadata' in name else 'the pod template'}"
                                 f" at {where}"),
                        note="a registered kind whose template is not a mapping: a located error"))
    out.append(Case("cr-rollout-template-missing", "unknown kinds and CRs",
                    stream("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n"
                           "  replicas: 1\n"), note="no template (and no workloadRef): nothing to label"))
    out.append(Case("cr-value-tag-equals", "unknown kinds and CRs",
                    stream("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                           "  name: x\nspec:\n  enum: ['!=', =, =~, '!~']\n"), note="kube-prometheus-stack's bare '='"))
    out.append(Case("cr-unknown-tag", "unknown kinds and CRs",
                    stream("apiVersion: x/v1\nkind: Thing\nmetadata:\n  name: t\nspec: !custom {a: 1}\n")))
    out.append(Case("kind-lowercase-deployment", "unknown kinds and CRs",
                    stream(deployment(kind="deployment"))))
    out.append(Case("deployment-beta-api", "unknown kinds and CRs", stream(deployment(api="extensions/v1beta1")),
                    "labelled", labelled=[0]))
    for kind, api in [("StatefulSet", "apps/v1"), ("DaemonSet", "apps/v1"), ("ReplicaSet", "apps/v1"),
                      ("ReplicationController", "v1"), ("Job", "batch/v1")]:
        out.append(Case(f"workload-kind-{kind.lower()}", "unknown kinds and CRs",
                        stream(deployment(kind=kind, api=api, head="  annotations:\n    helm.sh/hook: pre-install\n")),
                        "labelled", labelled=[0]))
    cron = ("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: '* * * * *'\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: b}]\n")
    out.append(Case("workload-kind-cronjob", "unknown kinds and CRs", stream(cron), "labelled", labelled=[0]))
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: b}]\n"
    out.append(Case("workload-kind-pod", "unknown kinds and CRs", stream(pod), "labelled", labelled=[0]))
    # top-level keys written in ways a line scanner may not read: the workload must still be found and labelled
    for name, old, new in (("quoted-kind", "kind: Deployment\n", "'kind': Deployment\n"),
                           ("double-quoted-metadata", "\nmetadata:\n", '\n"metadata":\n'),
                           ("spaced-kind", "kind: Deployment\n", "kind : Deployment\n"),
                           ("explicit-key-spec", "\nspec:\n", "\n? spec\n:\n")):
        out.append(Case(f"top-key-{name}", "unknown kinds and CRs",
                        stream(configmap(), deployment().replace(old, new, 1)),
                        "labelled", labelled=[1], note="unusual top-level key: the parser reads the document"))
    # missing apiVersion / kind / metadata
    out.append(Case("missing-apiversion-deployment", "missing apiVersion/kind/metadata",
                    stream(deployment().replace("apiVersion: apps/v1\n", ""))))
    out.append(Case("missing-kind", "missing apiVersion/kind/metadata",
                    stream(deployment().replace("kind: Deployment\n", ""))))
    out.append(Case("missing-metadata-deployment", "missing apiVersion/kind/metadata",
                    stream(deployment().replace("metadata:\n  name: web\n  labels:\n    app: web\n", "", 1)),
                    "labelled", labelled=[0]))
    out.append(Case("missing-template-metadata", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels=None).replace("    metadata:\n    spec:\n", "    spec:\n")),
                    "labelled", labelled=[0]))
    out.append(Case("missing-template", "missing apiVersion/kind/metadata",
                    stream("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n"),
                    note="no pod template: nothing to label"))
    out.append(Case("missing-spec", "missing apiVersion/kind/metadata",
                    stream("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n")))
    out.append(Case("template-metadata-null", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels=None).replace("    metadata:\n", "    metadata: null\n")),
                    "labelled", labelled=[0]))
    out.append(Case("template-labels-null", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels="")), "labelled", labelled=[0]))
    out.append(Case("template-labels-empty-flow", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels=None).replace("    metadata:\n",
                                                                    "    metadata:\n      labels: {}\n")),
                    "labelled", labelled=[0]))
    data = stream(deployment(template_labels=None).replace("    metadata:\n", "    metadata:\n      labels: [a]\n"))
    out.append(Case("template-labels-list", "missing apiVersion/kind/metadata", data, "error",
                    message="not a mapping", where="<stdin>:"))
    data = stream(deployment(template_labels=None).replace("    metadata:\n", "    metadata: 5\n"))
    out.append(Case("template-metadata-scalar", "missing apiVersion/kind/metadata", data, "error",
                    message="not a mapping", where="<stdin>:"))
    out.append(Case("kind-not-string", "missing apiVersion/kind/metadata",
                    stream("apiVersion: apps/v1\nkind: [Deployment]\nmetadata: {name: x}\n")))
    out.append(Case("label-already-set", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels="        app: web\n        vnp.helm-plugin.io/release: app\n"))))
    out.append(Case("label-set-other-value", "missing apiVersion/kind/metadata",
                    stream(deployment(template_labels="        vnp.helm-plugin.io/release: other\n")),
                    "labelled", labelled=[0]))
    return out


def json_cases() -> list[Case]:
    out = []
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "j"},
           "spec": {"selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}},
                                 "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    out.append(Case("json-deployment-compact", "JSON documents", stream(json.dumps(dep) + "\n"), "labelled",
                    labelled=[0]))
    out.append(Case("json-deployment-indented", "JSON documents", stream(json.dumps(dep, indent=2) + "\n"),
                    "labelled", labelled=[0]))
    nolabels = json.loads(json.dumps(dep))
    del nolabels["spec"]["template"]["metadata"]
    out.append(Case("json-deployment-no-template-metadata", "JSON documents", stream(json.dumps(nolabels) + "\n"),
                    "labelled", labelled=[0]))
    empty = json.loads(json.dumps(dep))
    empty["spec"]["template"]["metadata"] = {}
    out.append(Case("json-deployment-empty-template-metadata", "JSON documents", stream(json.dumps(empty) + "\n"),
                    "labelled", labelled=[0]))
    out.append(Case("json-deployment-unicode", "JSON documents",
                    stream(json.dumps({**dep, "metadata": {"name": "j", "annotations": {"d": "caf\u00e9 \u2603"}}},
                                      ensure_ascii=False) + "\n"), "labelled", labelled=[0]))
    out.append(Case("json-configmap", "JSON documents",
                    stream(json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                       "data": {"k": "v"}}) + "\n")))
    bad = json.dumps(dep)[:-1] + "\n"
    data = stream(configmap(), bad)
    out.append(Case("json-deployment-truncated", "JSON documents", data, "error", message="invalid YAML",
                    where="<stdin>:", note="a workload in flow style must parse to be labelled"))
    out.append(Case("json-configmap-truncated", "JSON documents",
                    stream('{"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": \n', deployment()),
                    "labelled", labelled=[1]))
    out.append(Case("json-on-marker-line", "JSON documents", b"--- " + json.dumps(dep).encode() + b"\n",
                    "labelled", labelled=[0]))
    out.append(Case("json-array-doc", "JSON documents", stream(json.dumps([dep]) + "\n")))
    return out


def marker_cases() -> list[Case]:
    out = []
    d, c = deployment(), configmap()
    out.append(Case("doc-end-after-each", "'...' document ends",
                    (c + "...\n---\n" + d + "...\n").encode(), "labelled", labelled=[1]))
    out.append(Case("doc-end-without-marker", "'...' document ends", (c + "...\n" + d).encode(), "labelled",
                    labelled=[1]))
    out.append(Case("doc-end-final-no-newline", "'...' document ends", (d + "...").encode(), "labelled", labelled=[0]))
    out.append(Case("doc-end-then-comment", "'...' document ends", (d + "... # end\n# trailing\n").encode(),
                    "labelled", labelled=[0]))
    out.append(Case("doc-end-only", "'...' document ends", b"...\n"))
    out.append(Case("doc-end-repeated", "'...' document ends", b"...\n...\n...\n" + stream(d), "labelled",
                    labelled=[3]))
    out.append(Case("dots-inside-scalar", "'...' document ends",
                    stream(configmap(data="  k: |\n    ...\n    ---\n"), d), "labelled", labelled=[1]))
    out.append(Case("comment-only-doc", "comment-only and empty documents", stream("# only a comment\n", d),
                    "labelled", labelled=[1]))
    out.append(Case("empty-docs-run", "comment-only and empty documents", b"---\n---\n---\n" + stream(d) + b"---\n",
                    "labelled", labelled=[3]))
    out.append(Case("empty-doc-blank-lines", "comment-only and empty documents", b"---\n\n\n   \n" + stream(d),
                    "labelled", labelled=[1]))
    out.append(Case("source-comment-only", "comment-only and empty documents",
                    stream("# Source: chart/templates/empty.yaml\n", c)))
    out.append(Case("empty-stream", "empty stream", b""))
    out.append(Case("empty-stream-newline", "empty stream", b"\n"))
    out.append(Case("empty-stream-marker", "empty stream", b"---"))
    out.append(Case("empty-stream-whitespace", "empty stream", b"   \n\t\n"))
    out.append(Case("no-trailing-newline", "comment-only and empty documents", stream(c, d).rstrip(b"\n"),
                    "labelled", labelled=[1]))
    out.append(Case("directive-yaml", "'...' document ends", b"%YAML 1.2\n" + stream(d), "labelled", labelled=[1],
                    note="the directive line is a segment of its own, kept byte for byte"))
    out.append(Case("marker-with-comment", "'...' document ends", b"--- # first\n" + d.encode(), "labelled",
                    labelled=[0]))
    data = stream(configmap(data="  k: v\n---x: 1\n"))
    out.append(Case("marker-no-space-lookalike", "'...' document ends", data, "error",
                    message="not a YAML document marker", where=f"<stdin>:{line_of(data, b'---x')}",
                    note="'---x' is text for YAML but Kubernetes' stream reader refuses it (and splits at '---#')"))
    out.append(Case("helm4-annotations", "'...' document ends",
                    stream(deployment(head="  annotations:\n    postrenderer.helm.sh/postrender-filename: "
                                           "chart/templates/web.yaml\n"),
                           configmap().replace("metadata:\n", "metadata:\n  annotations:\n    "
                                               "postrenderer.helm.sh/postrender-filename: chart/templates/cfg.yaml\n")),
                    "labelled", labelled=[0]))
    return out


def secret_cases() -> list[Case]:
    """Broken documents next to (or holding) canary secrets: errors must not echo the values."""
    out = []
    data = stream(secret(), deployment(template_labels="        app: [\n"))
    out.append(Case("canary-secret-then-broken-workload", "secrets in hostile input", data, "error",
                    message="invalid YAML", where="<stdin>:"))
    bad_secret = secret().replace("stringData:\n", "stringData:\n  bad: \"unterminated\n")
    out.append(Case("canary-broken-secret", "secrets in hostile input", stream(bad_secret, deployment()),
                    "labelled", labelled=[1]))
    wl = deployment(pod_extra=f"          env:\n            - name: T\n              value: {CANARY}\n",
                    template_labels="        app: {name}\n        x: \"" + CANARY + "\n")
    out.append(Case("canary-in-broken-workload", "secrets in hostile input", stream(wl), "error",
                    message="invalid YAML", where="<stdin>:"))
    cm = configmap(data=f"  secret: {CANARY}\n").replace("kind: ConfigMap\n", "kind: ConfigMap\nkind: ConfigMap\n")
    out.append(Case("canary-configmap-dup-kind", "secrets in hostile input", stream(cm, deployment()), "labelled",
                    labelled=[1]))
    dup = deployment(template_labels="        app: " + CANARY + "\n        app: " + CANARY + "2\n")
    out.append(Case("canary-dup-label-value", "secrets in hostile input", stream(secret(), dup), "error",
                    message="duplicate key", where="<stdin>:"))
    return out


def vnp_label_cases() -> list[Case]:
    """Chart documents that carry vnp's own two labels: only what vnp itself generates for the release (its
    kinds, its names) is replaced; anything else is the chart's and passes (issue 13, item 8)."""
    ours = f"    app.kubernetes.io/managed-by: helm-vnp\n    vnp.helm-plugin.io/release: {RELEASE}\n"
    sec = secret().replace("metadata:\n  name: creds\n", "metadata:\n  name: creds\n  labels:\n" + ours)
    dep = deployment().replace("    app: web\nspec:", "    app: web\n" + ours + "spec:")
    netpol = (f"# Source: chart/templates/np.yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
              f"metadata:\n  name: chart-np\n  labels:\n{ours}spec:\n  podSelector: {{}}\n")
    quota = (f"# Source: chart/templates/q.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vnp-{RELEASE}\n"
             f"  labels:\n{ours}data:\n  k: v\n")
    data = stream(sec, dep, netpol, quota)
    cls = "documents carrying vnp's labels"
    return [
        Case("vnp-labels-no-config", cls, data, values=b"# no vnp config\n",
             note="no config: the post-renderer changes nothing"),
        Case("vnp-labels-isolation-off", cls, data,
             values=b"policies:\n  networkPolicy:\n    enabled: false\n"),
        Case("vnp-labels-isolated", cls, data, "labelled", labelled=[1],
             note="a Secret, a Deployment, a NetworkPolicy not named by vnp and a ConfigMap named vnp-app stay"),
    ]


def mapping_cases() -> list[Case]:
    """mapServices and confineChartPolicies on hostile input: a chart Service dressed as a mapped one but without
    the mapping annotation stays the chart's; what cannot be mapped or confined fails closed, located."""
    ours = f"    app.kubernetes.io/managed-by: helm-vnp\n    vnp.helm-plugin.io/release: {RELEASE}\n"
    dressed = service("db").replace("metadata:\n  name: db\n", "metadata:\n  name: db\n  labels:\n" + ours)
    mapped = _values("mapServices:\n  fromHost:\n    - {from: shared/postgres, to: cache}\n"
                     "policies:\n  networkPolicy:\n    enabled: true\n")
    anchored = ("# Source: chart/templates/np.yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                "metadata:\n  name: shared-peer\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n"
                "    - podSelector: &peer\n        matchLabels: {app: a}\n  egress:\n  - to:\n"
                "    - podSelector: *peer\n")
    data = stream(deployment(), anchored)
    confine = _values("policies:\n  networkPolicy:\n    enabled: true\n    confineChartPolicies: true\n")
    cls = "service mapping and confined chart policies"
    return [
        Case("mapped-service-lookalike", cls, stream(deployment(), dressed), "labelled", labelled=[0], values=mapped,
             note="a chart Service with vnp's labels and no mapped-from annotation is the chart's: kept"),
        Case("mapped-service-name-taken", cls, stream(deployment(), service("cache")), "error", values=mapped,
             message="renders a Service ns/cache already", where="mapServices.fromHost[0].to"),
        Case("confine-anchored-peer", cls, data, "error", values=confine,
             message="cannot confine it to the release", where=f"<stdin>:{line_of(data, b'podSelector: &peer')}"),
    ]


# -- values file cases ---------------------------------------------------------------

def _values(body: str) -> bytes:
    return body.encode("utf-8")


CONFIG_CASES: list[tuple[str, str, str, str, int | None]] = [
    # (name, class, values file, message substring, line)
    ("policies-list", "wrong types", "policies: [1]\n", "expected a mapping", 1),
    ("policies-string", "wrong types", "policies: on\n", "expected a mapping", 1),
    ("policies-int", "wrong types", "policies: 3\n", "expected a mapping", 1),
    ("np-string", "wrong types", "policies:\n  networkPolicy: yes please\n", "expected a mapping", 2),
    ("np-enabled-string", "wrong types", "policies:\n  networkPolicy:\n    enabled: \"yes\"\n", "true or false", 3),
    ("np-enabled-int", "wrong types", "policies:\n  networkPolicy:\n    enabled: 1\n", "true or false", 3),
    ("np-enabled-list", "wrong types", "policies:\n  networkPolicy:\n    enabled: [true]\n", "true or false", 3),
    ("np-fallbackdns-int", "wrong types", "policies:\n  networkPolicy:\n    fallbackDns: 8\n", "fallbackDns", 3),
    ("np-fallbackdns-list", "wrong types",
     "policies:\n  networkPolicy:\n    fallbackDns: [8.8.8.8]\n", "fallbackDns", 3),
    ("np-labels-list", "wrong types", "policies:\n  networkPolicy:\n    labels: [a]\n", "expected a mapping", 3),
    ("np-labels-value-map", "wrong types", "policies:\n  networkPolicy:\n    labels:\n      a: {b: c}\n", "labels", 4),
    ("np-annotations-string", "wrong types", "policies:\n  networkPolicy:\n    annotations: x\n", "annotations", 3),
    ("np-workload-list", "wrong types", "policies:\n  networkPolicy:\n    workload: []\n", "workload", 3),
    ("np-public-egress-string", "wrong types",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress: open\n", "publicEgress", 4),
    ("np-public-egress-enabled-str", "wrong types",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        enabled: sure\n", "enabled", 5),
    ("np-except-string", "wrong types",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        except: 10.0.0.0/8\n", "except", 5),
    ("np-ingress-map", "wrong types",
     "policies:\n  networkPolicy:\n    workload:\n      ingress: {from: []}\n", "ingress", 4),
    ("np-egress-string", "wrong types", "policies:\n  networkPolicy:\n    workload:\n      egress: all\n", "egress", 4),
    ("np-egress-rule-port-string", "wrong types",
     "policies:\n  networkPolicy:\n    workload:\n      egress:\n        - ports:\n            - port: [1]\n",
     "port", 6),
    ("np-dns-ports-string", "wrong types",
     "policies:\n  networkPolicy:\n    dns:\n      ports: fifty-three\n", "ports", 4),
    ("np-dns-port-range", "wrong types", "policies:\n  networkPolicy:\n    dns:\n      ports: [70000]\n", "ports", 4),
    ("np-dns-preset-unknown", "wrong types",
     "policies:\n  networkPolicy:\n    dns:\n      preset: bind\n", "preset", 4),
    ("np-controlplane-platform-str", "wrong types",
     "policies:\n  networkPolicy:\n    controlPlane:\n      platform: maybe\n", "platform", 4),
    ("rq-enabled-string", "wrong types", "policies:\n  resourceQuota:\n    enabled: sometimes\n", "enabled", 3),
    ("rq-quota-list", "wrong types", "policies:\n  resourceQuota:\n    quota: [1]\n", "quota", 3),
    ("rq-quota-bool", "wrong types", "policies:\n  resourceQuota:\n    quota:\n      requests.cpu: true\n",
     "requests.cpu", 4),
    ("rq-scopes-string", "wrong types", "policies:\n  resourceQuota:\n    scopes: BestEffort\n", "scopes", 3),
    ("rq-scope-selector-list", "wrong types",
     "policies:\n  resourceQuota:\n    scopeSelector: []\n", "scopeSelector", 3),
    ("lr-default-list", "wrong types", "policies:\n  limitRange:\n    default: [1]\n", "default", 3),
    ("lr-enabled-int", "wrong types", "policies:\n  limitRange:\n    enabled: 0\n", "enabled", 3),
    ("lr-max-nested", "wrong types", "policies:\n  limitRange:\n    max:\n      cpu: {a: 1}\n", "cpu", 4),
    ("pss-int", "wrong types", "policies:\n  podSecurityStandard: 1\n", "podSecurityStandard", 2),
    ("pss-unknown", "wrong types", "policies:\n  podSecurityStandard: strict\n", "podSecurityStandard", 2),
    ("pss-version-bad", "wrong types", "policies:\n  podSecurityVersion: v2\n", "podSecurityVersion", 2),
    ("selection-unknown", "wrong types", "policies:\n  selection: everything\n", "selection", 2),
    ("podsecurity-mode-bad", "wrong types", "policies:\n  podSecurity:\n    mode: audit-ish\n", "mode", 3),
    ("podsecurity-exemptions-map", "wrong types", "policies:\n  podSecurity:\n    exemptions: {a: b}\n",
     "exemptions", 3),
    ("unknown-top", "unknown keys", "policies:\n  bogus: 1\n", "unknown key", 2),
    ("unknown-np", "unknown keys", "policies:\n  networkPolicy:\n    enable: true\n", "unknown key", 3),
    ("unknown-rq", "unknown keys", "policies:\n  resourceQuota:\n    quotas: {}\n", "unknown key", 3),
    ("rq-quota-inf", "numbers and strings the API server refuses",
     "policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: .inf\n", "not a finite number", 5),
    ("rq-quota-nan", "numbers and strings the API server refuses",
     "policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: .nan\n", "not a finite number", 5),
    # `pods: 1e400` is not here: go-yaml v2 keeps it the string "1e400" (out of float range), as the chart sees
    # it through Helm, and the API server reads that quantity (10^400); see tests/config/test_refused_scalars.py
    ("rq-quota-trailing-newline", "numbers and strings the API server refuses",
     'policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: "1\\n"\n', "invalid value", 5),
    ("np-label-key-trailing-newline", "numbers and strings the API server refuses",
     'policies:\n  networkPolicy:\n    enabled: true\n    labels:\n      "team\\n": a\n', "invalid key", 5),
    ("unknown-lr", "unknown keys", "policies:\n  limitRange:\n    defaults: {}\n", "unknown key", 3),
    ("unknown-public-egress", "unknown keys",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidrs: []\n", "unknown key", 5),
    ("unknown-controlplane", "unknown keys",
     "policies:\n  networkPolicy:\n    controlPlane:\n      selectors: {}\n", "unknown key", 4),
    ("unknown-unicode-key", "unknown keys", "policies:\n  n\u00e9tworkPolicy: {}\n", "unknown key", 2),
    ("cidr-prefix-too-long", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: 10.0.0.0/33\n", "CIDR", 5),
    ("cidr-no-prefix-garbage", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: ten/8\n", "CIDR", 5),
    ("cidr-octet", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: 300.0.0.0/8\n", "CIDR", 5),
    ("cidr-host-bits", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: 10.0.0.1/8\n", "10.0.0.1/8", 5),
    ("cidr-except-bad", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        except:\n          - 10.0.0.0/8\n"
     "          - nope\n", "except", 7),
    ("cidr-except-outside", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: 10.0.0.0/8\n"
     "        except: [192.168.0.0/16]\n", "except", 6),
    ("cidr-ipv6-bad", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: \"::g/0\"\n", "CIDR", 5),
    ("cidr-int", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: 10\n", "cidr", 5),
    ("cidr-in-egress-rule", "invalid CIDRs",
     "policies:\n  networkPolicy:\n    workload:\n      egress:\n        - to:\n            - ipBlock:\n"
     "                cidr: 1.2.3.4/99\n", "cidr", 7),
    ("fallback-dns-bad-ip", "invalid CIDRs", "policies:\n  networkPolicy:\n    fallbackDns: 999.1.1.1\n",
     "fallbackDns", 3),
    ("quantity-suffix", "invalid quantities", "policies:\n  resourceQuota:\n    quota:\n      requests.cpu: 10x\n",
     "requests.cpu", 4),
    ("quantity-negative", "invalid quantities",
     "policies:\n  resourceQuota:\n    quota:\n      requests.memory: -1Gi\n", "requests.memory", 4),
    ("quantity-float-junk", "invalid quantities",
     "policies:\n  limitRange:\n    default:\n      cpu: 1.2.3\n", "cpu", 4),
    ("quantity-empty", "invalid quantities", "policies:\n  limitRange:\n    defaultRequest:\n      memory: \"\"\n",
     "memory", 4),
    ("quantity-lowercase-unit", "invalid quantities", "policies:\n  limitRange:\n    max:\n      memory: 1gb\n",
     "memory", 4),
    ("quantity-spaces", "invalid quantities", "policies:\n  resourceQuota:\n    quota:\n      limits.cpu: \"1 0\"\n",
     "limits.cpu", 4),
    ("quantity-bare-exponent", "invalid quantities",
     "policies:\n  resourceQuota:\n    quota:\n      count/pods: 1e\n", "count/pods", 4),
    ("yaml-syntax-error", "values YAML", "policies: {a: 1\n", "invalid YAML", 2),
    ("yaml-dup-key", "values YAML", "policies:\n  networkPolicy: {}\n  networkPolicy: {}\n", "duplicate key", 3),
    ("yaml-tab", "values YAML", "policies:\n\tnetworkPolicy: {}\n", "invalid YAML", 2),
    ("yaml-list", "values YAML", "- 1\n- 2\n", "mapping", 1),
    ("yaml-scalar", "values YAML", "hello\n", "mapping", None),
    ("yaml-undefined-alias", "values YAML", "policies: *x\n", "invalid YAML", 1),
    ("yaml-unclosed-quote", "values YAML", "policies:\n  selection: \"podLabel\n", "invalid YAML", 3),
]


def config_cases() -> list[Case]:
    out = []
    d = stream(deployment(), configmap())
    for name, cls, body, message, line in CONFIG_CASES:
        out.append(Case(f"values-{name}", cls, d, "error", message=message,
                        where=f"values-{name}.yaml:{line}" if line else f"values-{name}.yaml", values=_values(body)))
    # huge lists: 5,000 exceptions and 1,000 egress rules (valid shapes, bounded time)
    many = "".join(f"          - 10.{i // 256 % 256}.{i % 256}.0/24\n" for i in range(5_000))
    out.append(Case("values-huge-except-list", "huge lists", d, "labelled", labelled=[0],
                    values=_values("policies:\n  networkPolicy:\n    enabled: true\n    workload:\n"
                                   "      publicEgress:\n        cidr: 10.0.0.0/8\n        except:\n" + many)))
    rules = "".join(f"        - ports: [{{port: {1 + i % 65000}}}]\n" for i in range(1_000))
    out.append(Case("values-huge-egress-rules", "huge lists", d, "labelled", labelled=[0],
                    values=_values("policies:\n  networkPolicy:\n    enabled: true\n"
                                   "    workload:\n      egress:\n" + rules)))
    bad_in_many = many.replace("10.0.200.0/24", "10.0.200.0/33")
    line = 8 + many.splitlines().index("          - 10.0.200.0/24")
    out.append(Case("values-huge-list-one-bad", "huge lists", d, "error", message="10.0.200.0/33",
                    where=f"values-huge-list-one-bad.yaml:{line}",
                    values=_values("policies:\n  networkPolicy:\n    enabled: true\n    workload:\n"
                                   "      publicEgress:\n        cidr: 10.0.0.0/8\n        except:\n" + bad_in_many)))
    out.append(Case("values-alias-bomb", "alias bomb", d, "error", message="alias bomb",
                    where="values-alias-bomb.yaml:",
                    values=_values("x:\n  " + "\n  ".join(bomb().strip().splitlines()) +
                                   "\npolicies:\n  networkPolicy:\n    labels: *a11\n")))
    out.append(Case("values-deep-nesting", "deep nesting", d, "error", message="values-deep-nesting.yaml",
                    where="values-deep-nesting.yaml",
                    values=_values("policies:\n  networkPolicy:\n    labels: " + "[" * 10_000 + "]" * 10_000 + "\n")))
    out.append(Case("values-invalid-utf8", "invalid UTF-8", d, "error", message="UTF-8",
                    where="values-invalid-utf8.yaml:2", values=b"policies:\n  selection: caf\xe9\n"))
    out.append(Case("values-nul", "NUL bytes", d, "error", message="values-nul.yaml", where="values-nul.yaml",
                    values=b"policies:\n  selection: a\x00b\n"))
    out.append(Case("values-bom", "UTF-8 BOM", d, "labelled", labelled=[0],
                    values=b"\xef\xbb\xbf" + DEFAULT_VALUES))
    out.append(Case("values-crlf", "CRLF line ends", d, "labelled", labelled=[0],
                    values=DEFAULT_VALUES.replace(b"\n", b"\r\n")))
    out.append(Case("values-empty", "comment-only and empty documents", d, values=b""))
    out.append(Case("values-comment-only", "comment-only and empty documents", d, values=b"# nothing\n"))
    out.append(Case("values-policies-null", "wrong types", d, values=b"policies: null\n"))
    out.append(Case("values-other-keys-only", "unknown keys", d, values=b"image:\n  tag: x\nreplicas: 3\n",
                    note="keys outside policies belong to the chart and are ignored"))
    out.append(Case("values-canary-bad-type", "secrets in hostile input", d, "error", message="labels",
                    where="values-canary-bad-type.yaml:",
                    values=_values(f"policies:\n  networkPolicy:\n    labels:\n      a: {{b: {CANARY}}}\n")))
    # flags
    for name, args, message in [
        ("flag-set-bad-syntax", ["--set", "policies.networkPolicy.enabled"], "--set"),
        ("flag-set-json-bad", ["--set-json", "policies.networkPolicy={"], "--set-json"),
        ("flag-set-wrong-type", ["--set", "policies.networkPolicy.enabled=maybe"], "enabled"),
        ("flag-unknown", ["--frobnicate"], "unknown argument"),
        ("flag-missing-value", ["-f"], "needs a value"),
        ("flag-release-invalid", ["--release", "Not_Valid"], "invalid release name"),
        ("flag-release-too-long", ["--release", "a" * 60], "invalid release name"),
        ("flag-values-missing-file", ["-f", "/nonexistent/values.yaml"], "not found"),
        ("flag-values-stdin", ["-f", "-"], "standard input is the rendered stream"),
        ("flag-values-directory", ["-f", "/"], "directory"),
    ]:
        out.append(Case(name, "configs: flags", d, "error", message=message, where="", args=args))
    return out


RESTRICTED = b"policies:\n  podSecurityStandard: restricted\n"
_RESTRICTED_POD = ("          securityContext:\n            allowPrivilegeEscalation: false\n"
                   "            runAsNonRoot: true\n            capabilities: {drop: [ALL]}\n"
                   "            seccompProfile: {type: RuntimeDefault}\n")


def _pod_with(pod_fields: str, container_fields: str = "") -> str:
    """A Deployment whose pod passes ``restricted`` but for ``pod_fields``/``container_fields``."""
    doc = deployment(pod_extra=_RESTRICTED_POD + container_fields)
    return doc.replace("    spec:\n      containers:", "    spec:\n" + pod_fields + "      containers:")


def yaml11_cases() -> list[Case]:
    """YAML 1.1 booleans (go-yaml v2, so Helm and the API server) in Pod Security fields: ``on`` is true."""
    out = []
    for name, pod, container, message in [
        ("yaml11-hostnetwork-on", "      hostNetwork: on\n", "", "host namespaces (hostNetwork=true)"),
        ("yaml11-hostpid-yes", "      hostPID: yes\n", "", "host namespaces (hostPID=true)"),
        ("yaml11-hostipc-Y", "      hostIPC: Y\n", "", "host namespaces (hostIPC=true)"),
        ("yaml11-privileged-y", "", "            privileged: y\n", "privileged"),
        ("yaml11-hostnetwork-ON-upper", "      hostNetwork: ON\n", "",
         "host namespaces (hostNetwork=true)"),
    ]:
        out.append(Case(name, "YAML 1.1 scalars", stream(_pod_with(pod, container)), "error", message=message,
                        where="chart/templates/web.yaml", values=RESTRICTED))
    out.append(Case("yaml11-quoted-yes-is-a-string", "YAML 1.1 scalars",
                    stream(_pod_with('      hostNetwork: "yes"\n')), values=RESTRICTED,
                    note='a quoted "yes" is a string: the API server refuses it, Pod Security has nothing to see'))
    out.append(Case("yaml11-hostnetwork-off", "YAML 1.1 scalars", stream(_pod_with("      hostNetwork: off\n")),
                    values=RESTRICTED))
    return out


def kubernetes_reading_cases() -> list[Case]:
    """Issue 13 items 1-3: workloads written so that a line scanner misreads their head (item 1), pod templates
    whose label would land in a mapping Kubernetes discards (item 2), Pod Security fields spelled as YAML 1.1
    or merged/duplicated (item 3) -- every hand-written form of tests/oracle/forms.py, after a ConfigMap.
    tests/oracle checks the same forms against the Go decoder; here the corpus judge checks the outcome."""
    from tests.oracle import forms

    head = "workload heads the line scanner misreads"
    discarded = "labels in a mapping Kubernetes discards"
    pss = "YAML 1.1 scalars"
    out = []
    for name, w in forms.hand_written().items():
        data = forms.stream(forms.CONFIGMAP, forms.render(w))
        note = f"issue 13: {w.describe() or 'plain'}"
        duplicate = name.endswith("-dup") or any(k in name for k in ("duplicate-", "dup-", "then-quoted",
                                                                    "quoted-decoy", "decoy-template"))
        if duplicate:
            out.append(Case(f"k8s-{name}", discarded, data, "error", message="duplicate key", where="<stdin>:",
                            values=RESTRICTED if name.startswith("pss-") else None,
                            note=note + "; Kubernetes keeps the last duplicate: refused, not guessed"))
        elif name.startswith("pss-"):
            out.append(Case(f"k8s-{name}", pss, data, "error", values=RESTRICTED, where="chart/templates/web.yaml",
                            message="privileged" if w.privileged else f"host namespaces ({w.host_field}=true)",
                            note=note))
        elif name == "labels-merge-metadata":
            out.append(Case(f"k8s-{name}", discarded, data, "error", message="merge key", where="<stdin>:",
                            note=note))
        elif name == "labels-merge-labels":
            out.append(Case(f"k8s-{name}", discarded, data, "labelled", labelled=[1],
                            note=note + "; the merged labels do not hold vnp's: the label goes beside them"))
        elif name.startswith("head-") and name != "head-plain":
            out.append(Case(f"k8s-{name}", head, data, "labelled", labelled=[1], note=note))
        elif name.startswith("bom-"):
            out.append(Case(f"k8s-{name}", "UTF-8 BOM", data, "labelled", labelled=[1], note=note))
        elif "decoy" in name or name == "template-merge-template":
            out.append(Case(f"k8s-{name}", discarded, data, "labelled", labelled=[1],
                            note=note + "; the decoy is inside a scalar or overridden: the real template is labelled"))
    out.append(Case("k8s-bom-stream-flow-labels", "UTF-8 BOM", forms.RAW["raw-bom-stream-flow-labels"], "labelled",
                    labelled=[0], note="found by the oracle: the label was inserted 3 bytes early (broken YAML)"))
    return out


HARDEN = DEFAULT_VALUES + b"  hardening:\n    enabled: true\n"
NODES = DEFAULT_VALUES + b"  nodeIsolation:\n    nodeSelector: {pool: tenants}\n    runtimeClassName: gvisor\n"


def mutation_cases() -> list[Case]:
    """Issue 16: charts that hide a securityContext (or node placement) from a text edit.  vnp must not claim
    a change it did not make: every shape it cannot edit so that exactly the intended fields change fails closed."""
    cls = "hardening a hidden securityContext"
    shared = deployment(pod_extra="          securityContext: &sc\n            privileged: false\n"
                                  "        - name: side\n          image: nginx:1.27\n          securityContext: *sc\n")
    merged = deployment().replace("    spec:\n      containers:",
                                  "    spec:\n      <<: {securityContext: {runAsNonRoot: false}}\n      containers:")
    duplicate = deployment(pod_extra="          securityContext: {allowPrivilegeEscalation: true}\n"
                                     "          securityContext: {}\n")
    quoted_dup = deployment().replace("    spec:\n      containers:",
                                      '    spec:\n      securityContext: {}\n      "securityContext": {runAsUser: 0}\n'
                                      "      containers:")
    tagged = deployment(pod_extra="          securityContext: !!map {privileged: false}\n")
    flow_alias = ('# Source: chart/templates/web.yaml\n{"apiVersion": "apps/v1", "kind": "Deployment", '
                  '"metadata": {"name": "web"}, "spec": {"template": {"metadata": {"labels": {"app": "web"}}, '
                  '"spec": {"containers": [{"name": "a", "image": "x", "securityContext": &c {}}, '
                  '{"name": "b", "image": "x", "securityContext": *c}]}}}}\n')
    contradiction = deployment().replace("    spec:\n      containers:",
                                         "    spec:\n      nodeSelector: {pool: shared}\n      containers:")
    anchored_selector = deployment().replace("    spec:\n      containers:",
                                             "    spec:\n      nodeSelector: &ns {disk: ssd}\n      containers:")
    return [
        Case("mut-anchor-shared-security-context", cls, stream(shared), "error", message="YAML anchor, alias or tag",
             where="<stdin>:", values=HARDEN, note="one anchored securityContext used by two containers"),
        Case("mut-flow-alias-security-context", cls, stream(flow_alias), "error", message="YAML anchor, alias or tag",
             where="<stdin>:", values=HARDEN, note="the same in flow style (a JSON-like document with an alias)"),
        Case("mut-merge-key-pod-spec", cls, stream(merged), "error", message="merge key", where="<stdin>:",
             values=HARDEN, note="the pod's securityContext comes from a merge key: vnp cannot write where it is"),
        Case("mut-duplicate-security-context", cls, stream(duplicate), "error", message="duplicate key",
             where="<stdin>:", values=HARDEN, note="Kubernetes keeps the last duplicate: refused, not guessed"),
        Case("mut-quoted-duplicate-security-context", cls, stream(quoted_dup), "error", message="duplicate key",
             where="<stdin>:", values=HARDEN, note="a quoted spelling of the same key"),
        Case("mut-tagged-security-context", cls, stream(tagged), "error", message="YAML anchor, alias or tag",
             where="<stdin>:", values=HARDEN),
        Case("mut-node-selector-contradiction", "node isolation contradicting the chart", stream(contradiction),
             "error", message='the chart sets "shared", policies.nodeIsolation.nodeSelector.pool sets "tenants"',
             where="<stdin>:", values=NODES),
        Case("mut-node-selector-anchored", "node isolation contradicting the chart", stream(anchored_selector),
             "error", message="YAML anchor, alias or tag", where="<stdin>:", values=NODES),
    ]


def big_cases() -> list[Case]:
    """Built at test time: a 100 MB single document and a 1 MB line (never committed)."""
    chunk = "  k{:07d}: " + "v" * 88 + "\n"
    body = "".join(chunk.format(i) for i in range(1_000_000))  # 100 bytes a line -> 100 MB
    cm = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n{body}"
    return [
        Case("big-100mb-configmap", "100 MB document", stream(cm, deployment()), "labelled", labelled=[1], big=True),
        Case("big-100mb-workload-annotation", "100 MB document",
             stream(deployment(head="  annotations:\n    big: " + "x" * 100_000_000 + "\n")), "labelled",
             labelled=[0], big=True),
        Case("big-1mb-line-configmap", "1 MB line", stream(configmap(data="  k: " + "y" * 1_048_576 + "\n"),
                                                           deployment()), "labelled", labelled=[1], big=True),
        Case("big-1mb-line-workload", "1 MB line",
             stream(deployment(template_labels="        app: web\n        long: " + "z" * 1_048_576 + "\n")),
             "labelled", labelled=[0], big=True),
        Case("big-deep-block-mapping", "deep nesting",
             stream(configmap(), "nest:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 10_001)) + " " * 10_001
                    + "v: 1\n"), big=True, note="10,000 indented levels: 50 MB of indentation"),
        Case("big-100k-documents", "many documents", b"---\n" * 50_000 + stream(configmap()) * 50_000 +
             stream(deployment()), "labelled", labelled=[100_000], big=True),
    ]


def build_cases(include_big: bool = False) -> list[Case]:
    cases = (syntax_cases() + encoding_cases() + key_cases() + resource_cases() + shape_cases() + json_cases()
             + marker_cases() + secret_cases() + vnp_label_cases() + mapping_cases() + config_cases()
             + yaml11_cases() + kubernetes_reading_cases() + mutation_cases())
    if include_big:
        cases += big_cases()
    names = [c.name for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"duplicate case names: {sorted(dupes)}"
    return cases


def render(cases: list[Case]) -> dict[str, bytes]:
    """Relative path -> bytes of every committed file."""
    files = {"values/default.yaml": DEFAULT_VALUES}
    index = []
    for c in cases:
        files[f"streams/{c.name}.yaml"] = c.stream
        if c.values is not None:
            files[f"values/{c.name}.yaml"] = c.values
        index.append(c.index_entry())
    files["index.json"] = (json.dumps(index, indent=1, ensure_ascii=True) + "\n").encode()
    return files


def main() -> int:
    files = render(build_cases())
    for sub in ("streams", "values"):
        d = CASES / sub
        d.mkdir(parents=True, exist_ok=True)
        for old in d.iterdir():
            if f"{sub}/{old.name}" not in files:
                old.unlink()
    for rel, data in files.items():
        path = CASES / rel
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    print(f"{len(files) - 1} files, {len(build_cases())} cases -> {CASES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
