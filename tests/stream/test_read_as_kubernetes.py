"""Issue 13 items 1 and 2: what vnp reads is what Kubernetes decodes.

Each input hides a Deployment's head or pod template from a reader that trusts lines (a value on the next
line, a tag or anchor on a key, a merge key, a NEL / U+2028 / lone CR inside a comment, a duplicate key spelled
another way, a decoy block inside a multi-line quoted scalar).  The post-renderer must either label the pod
template Kubernetes will read, or refuse with a located message; never pass it unlabelled.  The check
decodes the output with the full loader (go-yaml v2 scalar rules, merge keys, duplicate keys refused), an
independent reading from the event decoder the labeller verifies with.
"""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.release.pipeline import post_render
from helm_vnp.stream.document import Document
from helm_vnp.stream.line_proof import lines_are_structure
from helm_vnp.stream.split import split
from tests.config.helpers import load
from tests.rules.rulekit import NETPOL_ON

BASE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
"""
TEMPLATE_LABELS = "        app: web\n    spec:"

LABELLED = {
    "kind-on-next-line": BASE.replace("kind: Deployment\n", "kind:\n  Deployment\n"),
    "kind-after-comment-on-next-line": BASE.replace("kind: Deployment\n", "kind: # the kind\n  Deployment\n"),
    "tagged-kind-key": BASE.replace("kind: Deployment\n", "").replace("metadata:\n",
                                                                     "!!str kind: Deployment\nmetadata:\n", 1),
    "anchored-apiversion-key": BASE.replace("apiVersion: apps/v1\nkind: Deployment\n",
                                            "kind: Deployment\n&a apiVersion: apps/v1\n"),
    "nel-in-comment": BASE.replace("apiVersion: apps/v1\n", "# note\u0085apiVersion: apps/v1\n"),
    "line-separator-in-comment": BASE.replace("apiVersion: apps/v1\n", "# note\u2028apiVersion: apps/v1\n"),
    "paragraph-separator-in-comment": BASE.replace("kind: Deployment\n", "# note\u2029kind: Deployment\n"),
    "lone-cr-in-comment": BASE.replace("apiVersion: apps/v1\n", "# note\rapiVersion: apps/v1\n"),
    "decoy-template-in-single-quotes": BASE.replace(
        "  template:\n", "  note: 'x\n  template:\n    metadata:\n      labels:\n        decoy: yes\n    '\n"
        "  template:\n", 1),
    "decoy-labels-in-double-quotes": BASE.replace(
        "      labels:\n", "      annotations:\n        a: \"x\n      labels:\n        decoy: yes\n        \"\n"
        "      labels:\n", 1),
    "decoy-metadata-in-quoted-name": BASE.replace(
        "metadata:\n  name: web\n", "metadada:\n  name: \"a\nmetadata:\n  labels:\n    x: y\n  \"\nmetadata:\n"
        "  name: web\n", 1),
    "merge-key-head": BASE.replace("apiVersion: apps/v1\n", "<<: {apiVersion: apps/v1}\n"),
    "merge-key-in-labels": BASE.replace("        app: web\n    spec:", "        <<: {app: web}\n    spec:"),
    "decoy-label-already-there": BASE.replace(
        "      labels:\n        app: web\n",
        f"      annotations:\n        a: '\n        {RELEASE_LABEL}: app\n        '\n"
        "      labels:\n        app: web\n"),
}
REFUSED = {
    # Kubernetes keeps the last of two keys; vnp refuses to guess which the chart meant
    "quoted-duplicate-labels": (BASE.replace(TEMPLATE_LABELS, TEMPLATE_LABELS.replace(
        "    spec:", "      \"labels\":\n        app: web\n    spec:")), "duplicate key"),
    "spaced-duplicate-labels": (BASE.replace(TEMPLATE_LABELS, TEMPLATE_LABELS.replace(
        "    spec:", "      labels :\n        app: web\n    spec:")), "duplicate key"),
    "quoted-duplicate-template": (BASE + "  \"template\":\n    metadata:\n      labels:\n        app: web\n"
                                  "    spec:\n      containers: [{name: x, image: y}]\n", "duplicate key"),
    # go-yaml v2 lets a merged key overwrite the one written before it: the label's place is not certain
    "merge-brings-template": (BASE + "  <<: {template: {metadata: {labels: {app: x}}}}\n", "merge key"),
    # found by make fuzz: an anchor together with a duplicate key sent the head to the strict loader, which
    # refused the duplicate, and vnp read "no object" where Kubernetes reads a Deployment
    "anchor-and-duplicate-kind": ("apiVersion: apps/v1\nkind: Deployment\nkind: Deployment\nmetadata: {name: w}\n"
                                  "spec:\n  template:\n    metadata:\n      labels: &l\n        app: w\n"
                                  "    spec: {containers: [{name: c, image: i}]}\n  selector: {matchLabels: *l}\n",
                                  "duplicate key"),
    # found by make fuzz: a custom tag on a scalar (``!t``) beside a duplicate key sent the head to the strict
    # loader the same way; go-yaml v2 reads such a scalar as its text
    "custom-tag-and-duplicate-kind": ("apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: !t web}\n"
                                      "spec: {containers: [{name: c, image: i}]}\n", "duplicate key"),
    # found by make fuzz: a tagged, anchored pod metadata that an alias repeats elsewhere; labelling it would
    # label the other place too
    "tagged-anchored-metadata-aliased": ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n"
                                         "  template:\n    metadata:\n     !la&lls: &l\n        app: s\n"
                                         "    spec: {}\n  selbels: *l\n", "change more than"),
}


def _render(tmp_path, text: str):
    policies = load(tmp_path, NETPOL_ON).policies
    return post_render(text.encode(), policies, "app", "ns")


def _template_labels(out: bytes) -> list:
    found = []
    for doc in split(out):
        obj = doc.obj
        if isinstance(obj, dict) and obj.get("kind") == "Deployment":
            found.append(obj["spec"]["template"]["metadata"].get("labels"))
    return found


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_the_pod_template_kubernetes_reads_is_labelled(tmp_path, name):
    result = _render(tmp_path, LABELLED[name])
    labels = _template_labels(result.output)
    assert labels and all(x.get(RELEASE_LABEL) == "app" for x in labels), labels


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_an_ambiguous_pod_template_is_refused(tmp_path, name):
    text, message = REFUSED[name]
    with pytest.raises(VnpError) as exc:
        _render(tmp_path, text)
    assert message in str(exc.value) and exc.value.problems[0].line, exc.value


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_head_is_read_as_decoded(name):
    doc = Document(LABELLED[name].encode(), 1)
    assert (doc.api_version, doc.kind) == ("apps/v1", "Deployment")


@pytest.mark.parametrize("text", [
    "a: 'x\nkind: Deployment\n'\n",      # a multi-line quoted scalar
    "a: [1,\n  2]\n",                     # a multi-line flow collection
    "a: &x 1\n",                          # an anchor
    "- |\n  text\n",                      # a block scalar in a sequence (content column not proven)
    "a:\tb\n",                             # a tab
    "\"labels\": {}\n",                    # a quoted path key
    "labels : {}\n",                       # a spaced key
    "a: b\n...\nkind: x\n",               # a document end marker
])
def test_line_proof_refuses_lines_that_are_not_structure(text):
    assert not lines_are_structure(text.encode())


@pytest.mark.parametrize("text", [
    BASE,
    "a:\n  script: |\n    echo \"unclosed\n    kind: x\n  b: 'it''s'\n",
    "args: [\"--a\", {b: c}]\nlist:\n- --flag=1\n",
    "\"helm.sh/hook\": pre-install\n",
])
def test_line_proof_accepts_plain_block_yaml(text):
    assert lines_are_structure(text.encode())
