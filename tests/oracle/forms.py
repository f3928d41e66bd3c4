"""Hostile ways to write a workload (issue 13, items 1-3), as text, and a hypothesis strategy composing them.

A workload is built from independent choices: how its head (apiVersion/kind) is written and where,
how its pod template's metadata and labels are written (duplicate keys, decoys in multi-line
quoted scalars, merge keys, flow style), how the pod template itself is reached (a duplicated
``template:``), and the Pod Security fields' spelling (YAML 1.1 booleans, merge keys, duplicates).
Nothing here says what Kubernetes makes of the result: the Go decoder oracle does.
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

KINDS = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "CronJob": "batch/v1", "Pod": "v1",
         "DaemonSet": "apps/v1", "Job": "batch/v1"}

# head: (apiVersion, kind) written as a block of top-level lines ({A}: apiVersion value, {K}: kind value)
HEADS = {
    "plain": "apiVersion: {A}\nkind: {K}\n",
    "kind-next-line": "apiVersion: {A}\nkind:\n  {K}\n",
    "kind-next-line-deep": "apiVersion:\n    {A}\nkind:\n    {K}\n",
    "tag-kind": "apiVersion: {A}\n!!str kind: {K}\n",
    "tag-kind-value": "apiVersion: {A}\nkind: !!str {K}\n",
    "anchor-apiversion": "kind: {K}\n&a apiVersion: {A}\n",
    "anchor-kind": "apiVersion: {A}\n&k kind: {K}\n",
    "merge-apiversion": "<<: {{apiVersion: {A}}}\nkind: {K}\n",
    "merge-both": "<<: {{apiVersion: {A}, kind: {K}}}\n",
    "merge-list": "<<: [{{kind: {K}}}, {{apiVersion: {A}}}]\n",
    "nel-comment": "# rendered\u0085apiVersion: {A}\nkind: {K}\n",
    "ls-comment": "# rendered\u2028apiVersion: {A}\nkind: {K}\n",
    "ps-comment": "# rendered\u2029kind: {K}\napiVersion: {A}\n",
    "cr-comment": "# rendered\rapiVersion: {A}\nkind: {K}\n",
    "quoted-keys": "\"apiVersion\": {A}\n'kind': \"{K}\"\n",
    "spaced-keys": "apiVersion : {A}\nkind  : {K}\n",
    "explicit-key": "? apiVersion\n: {A}\n? kind\n: {K}\n",
    "escaped-kind": "apiVersion: {A}\nkind: \"\\x44eployment\"\n",
    "duplicate-kind": "apiVersion: {A}\nkind: ConfigMap\n\"kind\": {K}\n",
    # a standard-looking tag go-yaml v2 does not know is not resolved: the value is its text (found by make fuzz)
    "unknown-standard-tag-kind": "apiVersion: {A}\nkind: !!'str {K}\n",
    "unknown-standard-tag-extra-twice": "apiVersion: {A}\nkind: !!custom {K}\nextra: 1\nextra: 2\n",
}
# where the head goes among the top-level blocks
PLACES = ("first", "after-metadata", "last")

# the pod template's metadata, at indentation {i} (the template's children); {N}: the app label's value
POD_METADATA = {
    "plain": "{i}metadata:\n{i}  labels:\n{i}    app: {N}\n",
    "none": "",
    "flow": "{i}metadata: {{labels: {{app: {N}}}}}\n",
    "empty-labels": "{i}metadata:\n{i}  labels: {{}}\n",
    "labels-next-line-flow": "{i}metadata:\n{i}  labels:\n{i}    {{app: {N}}}\n",
    "dup-labels-quoted": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  \"labels\":\n{i}    app: {N}\n",
    "dup-labels-spaced": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  labels :\n{i}    app: {N}\n",
    "dup-labels-single": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  'labels': {{app: {N}}}\n",
    "dup-metadata-quoted": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}\"metadata\":\n{i}  labels:\n"
                           "{i}    app: {N}\n",
    "dup-metadata-after-spec": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{SPEC}{i}metadata :\n{i}  labels:\n"
                               "{i}    app: {N}\n",
    "merge-labels": "{i}metadata:\n{i}  labels:\n{i}    <<: {{app: {N}}}\n",
    "merge-metadata": "{i}<<: {{metadata: {{labels: {{app: {N}}}}}}}\n",
    "decoy-squote": "{i}metadada: '\n{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  '\n",
    "decoy-dquote": "{i}metadada: \"\n{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  \"\n",
    "decoy-squote-then-plain": "{i}metadada: '\n{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  '\n"
                               "{i}metadata:\n{i}  labels:\n{i}    app: {N}\n",
    "dup-labels-escaped": "{i}metadata:\n{i}  labels:\n{i}    decoy: x\n{i}  \"l\\x61bels\":\n{i}    app: {N}\n",
    "yaml11-label-value": "{i}metadata:\n{i}  labels:\n{i}    app: {N}\n{i}    enabled: y\n",
}

# how the pod template is reached, at the template key's indentation {t}; {BODY}: the template's children
TEMPLATES = {
    "plain": "{t}template:\n{BODY}",
    "quoted-key": "{t}\"template\":\n{BODY}",
    "decoy-then-quoted": "{t}template:\n{t}  metadata:\n{t}    labels:\n{t}      decoy: x\n{t}  spec:\n"
                         "{t}    containers: [{{name: decoy, image: busybox}}]\n{t}\"template\":\n{BODY}",
    "real-then-quoted-decoy": "{t}template:\n{BODY}{t}\"template\":\n{t}  metadata:\n{t}    labels:\n"
                              "{t}      decoy: x\n{t}  spec:\n{t}    containers: [{{name: decoy, image: busybox}}]\n",
    "decoy-squote-before": "{t}note: '\n{t}template:\n{t}  metadata:\n{t}    labels:\n{t}      decoy: x\n{t}  '\n"
                           "{t}template:\n{BODY}",
    "decoy-dquote-spans": "{t}templat: \"\n{t}template:\n{t}  metadata:\n{t}    labels: {{}}\n{t}  \"\n"
                          "{t}template:\n{BODY}",
    "merge-template": "{t}<<: {{template: {{metadata: {{labels: {{decoy: x}}}}}}}}\n{t}template:\n{BODY}",
}

# Pod Security field values as written (YAML 1.1 booleans and near-misses)
BOOLS = ("true", "false", "on", "off", "yes", "no", "Y", "y", "n", "N", "ON", "Yes", "True", "\"yes\"", "'on'",
         "!!bool yes", "TRUE")
POD_HOST = {  # {i}: the pod spec's children; {F}: field; {V}: value
    "plain": "{i}{F}: {V}\n",
    "dup": "{i}{F}: false\n{i}\"{F}\": {V}\n",
    "merge": "{i}<<: {{{F}: {V}}}\n",
    "spaced": "{i}{F} : {V}\n",
}


@dataclass(frozen=True)
class Workload:
    kind: str = "Deployment"
    head: str = "plain"
    place: str = "first"
    pod_metadata: str = "plain"
    template: str = "plain"
    host_field: str = ""  # hostNetwork | hostPID | hostIPC | "" (none)
    host_value: str = "true"
    host_form: str = "plain"
    privileged: str = ""  # a BOOLS value or "" (not set)
    bom: bool = False  # a byte order mark opens the document (after its ``---`` line)
    name: str = "web"

    def describe(self) -> str:
        return ",".join(f"{k}={v!r}" for k, v in self.__dict__.items() if v != Workload.__dataclass_fields__[k].default)


# a container that passes `restricted` on its own
_CONTAINER = ("{i}containers:\n{i}- name: app\n{i}  image: nginx\n{i}  securityContext:\n"
              "{i}    allowPrivilegeEscalation: false\n{i}    runAsNonRoot: true\n"
              "{i}    capabilities: {{drop: [ALL]}}\n"
              "{i}    seccompProfile: {{type: RuntimeDefault}}\n")


def pod_spec(w: Workload, i: str) -> str:
    """The pod spec's children at indentation ``i``."""
    out = ""
    if w.host_field:
        out += POD_HOST[w.host_form].format(i=i, F=w.host_field, V=w.host_value)
    out += _CONTAINER.format(i=i)
    if w.privileged:
        out += f"{i}    privileged: {w.privileged}\n"
    return out


def template_body(w: Workload, i: str) -> str:
    """A pod template's children (metadata and spec) at indentation ``i``."""
    spec = f"{i}spec:\n" + pod_spec(w, i + "  ")
    meta = POD_METADATA[w.pod_metadata]
    if "{SPEC}" in meta:
        return meta.format(i=i, N=w.name, SPEC=spec)
    return meta.format(i=i, N=w.name) + spec


def render(w: Workload) -> str:
    """The workload's YAML document (no ``---``)."""
    api = KINDS[w.kind]
    name = w.name
    if w.kind == "Pod":  # the pod's own metadata is the template's: name it inside the metadata form
        body = template_body(w, "")
        body = body.replace("metadata:\n", f"metadata:\n  name: {name}\n", 1) if "metadata:\n" in body else (
            f"metadata:\n  name: {name}\n" + body)
        meta, spec = "", body
    else:
        meta = f"metadata:\n  name: {name}\n  labels:\n    app: {name}\n"
        if w.kind == "CronJob":
            t = "      "
            tmpl = TEMPLATES[w.template].format(t=t, BODY=template_body(w, t + "  "))
            spec = f"spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n{tmpl}"
        else:
            t = "  "
            tmpl = TEMPLATES[w.template].format(t=t, BODY=template_body(w, t + "  "))
            spec = f"spec:\n  selector:\n    matchLabels:\n      app: {name}\n{tmpl}"
    head = HEADS[w.head if w.head != "escaped-kind" or w.kind == "Deployment" else "plain"].format(A=api, K=w.kind)
    parts = {"first": [head, meta, spec], "after-metadata": [meta, head, spec], "last": [meta, spec, head]}
    return ("\ufeff" if w.bom else "") + f"# Source: chart/templates/{name}.yaml\n" + "".join(parts[w.place])


CONFIGMAP = ("# Source: chart/templates/cfg.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n"
             "data:\n  k: v\n")


def stream(*docs: str) -> bytes:
    return "".join("---\n" + d for d in docs).encode("utf-8")


# -- the hand-written forms: one per choice, on a Deployment (and the kinds where they differ) ---------------

def hand_written() -> dict[str, Workload]:
    out: dict[str, Workload] = {}
    for head in HEADS:
        out[f"head-{head}"] = Workload(head=head, place="after-metadata" if head in ("tag-kind", "anchor-apiversion")
                                       else "first")
    out["head-merge-apiversion-last"] = Workload(head="merge-apiversion", place="last")
    for kind in ("StatefulSet", "CronJob", "Pod"):
        out[f"head-kind-next-line-{kind.lower()}"] = Workload(kind=kind, head="kind-next-line")
    for meta in POD_METADATA:
        out[f"labels-{meta}"] = Workload(pod_metadata=meta)
    for meta in ("dup-labels-quoted", "decoy-squote", "dup-metadata-quoted"):
        for kind in ("CronJob", "Pod"):
            out[f"labels-{meta}-{kind.lower()}"] = Workload(kind=kind, pod_metadata=meta)
    for tmpl in TEMPLATES:
        out[f"template-{tmpl}"] = Workload(template=tmpl)
        out[f"template-{tmpl}-cronjob"] = Workload(kind="CronJob", template=tmpl)
    for field, value in (("hostNetwork", "on"), ("hostPID", "yes"), ("hostIPC", "Y"), ("hostNetwork", "y"),
                         ("hostNetwork", "True"), ("hostNetwork", "!!bool yes")):
        out[f"pss-{field}-{value.replace('!!bool ', 'tag-')}"] = Workload(host_field=field, host_value=value)
    for form in ("dup", "merge", "spaced"):
        out[f"pss-hostNetwork-{form}"] = Workload(host_field="hostNetwork", host_value="true", host_form=form)
    out["pss-privileged-y"] = Workload(privileged="y")
    out["pss-privileged-on-pod"] = Workload(kind="Pod", privileged="on")
    out["pss-hostPID-yes-cronjob"] = Workload(kind="CronJob", host_field="hostPID", host_value="yes")
    out["pss-hostNetwork-on-decoy-template"] = Workload(template="decoy-then-quoted", host_field="hostNetwork",
                                                        host_value="on")
    out["bom-document"] = Workload(bom=True)
    out["bom-flow-labels"] = Workload(bom=True, pod_metadata="flow")
    return out


# Streams found by the oracle outside items 1-3, written out whole (each after nothing else).
_DEP = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n{META}spec:\n  template:\n"
        "    metadata:\n      labels: {{app: d}}\n    spec: {{containers: [{{name: c, image: i}}]}}\n")
RAW = {
    # a BOM at the start of the stream, then flow-style pod labels: the label lands 3 bytes early (broken YAML)
    "raw-bom-stream-flow-labels": ("\ufeff" + _DEP.format(META="")).encode(),
    # Kubernetes reads the namespace "a b" (a multi-line plain scalar)
    "raw-namespace-multiline": _DEP.format(META="  namespace: a\n    b\n").encode(),
    # a NEL, U+2028 or lone CR in a comment ends it: Kubernetes reads the namespace after it
    "raw-namespace-after-nel-comment": _DEP.format(META="  # c\u0085  namespace: hidden\n").encode(),
    "raw-namespace-after-ls-comment": _DEP.format(META="  # c\u2028  namespace: hidden\n").encode(),
    "raw-namespace-after-cr-comment": _DEP.format(META="  # c\r  namespace: hidden\n").encode(),
    # `---#` ends a document for Kubernetes' YAMLReader (and Helm's SplitManifests), not for YAML: after a
    # comment-only chunk, vnp reads one scalar document, Kubernetes a Deployment (unlabelled, hostNetwork)
    # a multi-line single-quoted scalar above the object's only `metadata:` line holds it: Kubernetes reads no
    # name (found by `make fuzz`); vnp's line scan of the metadata read the decoy's name until it proved the lines
    # above the metadata too
    "raw-top-metadata-in-quote": (
        b'---\n# Source: chart/templates/cfg.yVersion: v1\nkind: ConfigM'
        b'ap\nmetadata:\n  na`e: cfg\ndata:\n  k: v\n---\n# Source: chart/te'
        b"mplates/web.yaml\napiVersion: v1\nkind: Pod\nmetadada: '\nmetada"
        b"ta:\n  name: web\npec:\n  containult}  labels:\n    decoy: x\n  '"
        b'\nspec:\n  containult}\n'),
    # a control character past a document's end, in the same chunk: Kubernetes' scanner met it only once vnp's
    # label had moved it within its read-ahead, so vnp's output was refused where the input was not (found by
    # `make fuzz`): vnp refuses such a character anywhere
    "raw-control-past-document-end": (
        b'---\n# Source: chart/templates/cfg.yamb.yaml\napiVersion: apps/v1\n'
        b'kind: Deployment\n-mAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA  app: web\ns'
        b'pec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n   '
        b' met]adata:\n            app: webXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'
        b'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'
        b'XXXXXXXXXXXXXXXXXXXXXXXXXX\n    spec:\n      hostNetwork: !!bool y'
        b'es\n      containers:\n      - name: app---\n# Soure: *...-\n# Soure'
        b': *hart/t\n...\nchart/t\n.rt/t\n...\n# Sou\nage: c: chart/t\n...\n#:{ ch'
        b'art/t\n..{. Soure: *hart/-dt\n.\x1b..'),
    "raw-separator-hash": b'# c\n---#\n{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},'
                          b'"spec":{"template":{"metadata":{"labels":{"app":"d"}},"spec":{"hostNetwork":true,'
                          b'"containers":[{"name":"c","image":"i"}]}}}}\n',
}


# -- hypothesis ------------------------------------------------------------------------------------------

workloads = st.builds(
    Workload,
    kind=st.sampled_from(sorted(KINDS)),
    head=st.sampled_from(sorted(HEADS)),
    place=st.sampled_from(PLACES),
    pod_metadata=st.sampled_from(sorted(POD_METADATA)),
    template=st.sampled_from(sorted(TEMPLATES)),
    host_field=st.sampled_from(("", "hostNetwork", "hostPID", "hostIPC")),
    host_value=st.sampled_from(BOOLS),
    host_form=st.sampled_from(sorted(POD_HOST)),
    privileged=st.sampled_from(("",) + BOOLS),
    bom=st.booleans(),
)


@st.composite
def streams(draw) -> tuple[bytes, list[Workload]]:
    """A stream of one to three hostile workloads, with a ConfigMap before, between or after them."""
    ws = draw(st.lists(workloads, min_size=1, max_size=3))
    docs = [render(w) for w in ws]
    at = draw(st.integers(0, len(docs)))
    docs.insert(at, CONFIGMAP)
    names = iter(("a", "b", "c"))
    docs = [d.replace("web", next(names)) if "kind: ConfigMap" not in d else d for d in docs]
    return stream(*docs), ws
