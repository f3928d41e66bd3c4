"""Run the Go decoder oracle (testinfra/decoder) and compare what it sees with what helm-vnp sees.

``decode(data)`` is Kubernetes' reading of a rendered stream: one dict per document the
kube client decodes (``null`` for empty ones Helm skips; ``error`` where Helm refuses the
whole stream).  The checks below state the differential properties; each raises
AssertionError naming what differs.  Nothing here imports helm_vnp at module level, so the
fuzz target can instrument it first.
"""
from __future__ import annotations

import copy
import json
import re
import struct
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_go  # noqa: E402

sys.path.pop(0)

RELEASE = "app"
NAMESPACE = "ns"
ISOLATION = "policies:\n  networkPolicy:\n    enabled: true\n"
RESTRICTED = "policies:\n  podSecurityStandard: restricted\n  networkPolicy:\n    enabled: true\n"
_binary: Path | None = None


class OracleMissing(Exception):
    """go is not installed: the oracle cannot be built."""


def binary() -> Path:
    """The built oracle (built now if this source hash is not built yet); OracleMissing without go."""
    global _binary
    if _binary is None:
        if build_go.go() is None:
            raise OracleMissing("go is not installed: the Go decoder oracle (testinfra/decoder) cannot be built")
        _binary = build_go.build("decoder")
    return _binary


_server: subprocess.Popen | None = None
_lock = threading.Lock()


def decode(data: bytes) -> list[dict]:
    """Kubernetes' reading of ``data``: one dict per document (see testinfra/decoder/main.go).  One oracle
    process serves every call (``--serve``), restarted if it died."""
    global _server
    with _lock:
        if _server is None or _server.poll() is not None:
            _server = subprocess.Popen([str(binary()), "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        _server.stdin.write(struct.pack(">I", len(data)) + data)
        _server.stdin.flush()
        out = []
        for line in iter(_server.stdout.readline, b""):
            if line == b"\n":
                return out
            out.append(json.loads(line))
        _server = None
        raise RuntimeError("the decoder oracle exited while decoding")


def refused_by_helm(docs: list[dict]) -> bool:
    """Helm's client stops at the first document it cannot decode: nothing of the stream is applied."""
    return any("error" in d for d in docs)


def objects(docs: list[dict]) -> list[dict]:
    return [d for d in docs if not d.get("null")]


# the group/version Kubernetes 1.37 serves each core pod-creating kind at: Helm cannot map another one
# (apps/v2, extensions/v1beta1) to a resource, so no pod comes of it
SERVED = {"Pod": "v1", "ReplicationController": "v1", "Deployment": "apps/v1", "ReplicaSet": "apps/v1",
          "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1"}


def creates_pods(d: dict) -> bool:
    """The API server accepts this object's pod template and makes pods of it: a served kind and version,
    a template that decodes into the typed struct, and at least one container (``containers`` is required)."""
    p = d.get("pod")
    return bool(p) and "typedError" not in p and SERVED.get(d.get("kind")) == d.get("apiVersion") \
        and bool(p.get("containers"))


# -- (a) the input as vnp reads it ---------------------------------------------------------------------

def vnp_view(data: bytes) -> list[dict] | None:
    """vnp's reading of each non-empty document (kind, apiVersion, namespace, name, labels), or None when
    vnp refuses to read the stream (a VnpError: a clean refusal, not a disagreement)."""
    from helm_vnp.base.errors import VnpError
    from helm_vnp.stream import split
    out = []
    try:
        for d in split(data):
            if d.is_empty:
                continue
            try:
                if d.obj is None:  # a null document: Helm skips it too
                    continue
            except VnpError:  # vnp's parser refuses it (a duplicate key, ...) but the post-renderer may not
                pass
            out.append({"kind": d.kind, "apiVersion": d.api_version, "namespace": d.namespace, "name": d.name,
                        "labels": dict(d.labels)})
    except VnpError:
        return None
    return out


_KIND = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
_API_VERSION = re.compile(r"(?:[a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?v[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?\Z")


def _could_be_object(d: dict) -> bool:
    """A kind and apiVersion a cluster could serve (an identifier, a group/version): anything else (no
    apiVersion, ``D:eployment``, ``bat<</v1``) makes Helm's REST mapping fail, so no object is created."""
    kind, api = d.get("kind"), d.get("apiVersion")
    return isinstance(kind, str) and isinstance(api, str) and bool(_KIND.match(kind)) and bool(_API_VERSION.match(api))


def oracle_view(docs: list[dict]) -> list[dict]:
    return [{"kind": d.get("kind"), "apiVersion": d.get("apiVersion"), "namespace": d.get("namespace"),
             "name": d.get("name"), "labels": d.get("labels") or {}} for d in objects(docs)]


def check_input_view(data: bytes, docs: list[dict], refused: bool) -> None:
    """(a): where Helm decodes the stream and vnp does not refuse it (``refused``: the post-renderer exits 2),
    vnp reads every document's head and metadata as Kubernetes does."""
    if refused or refused_by_helm(docs):
        return
    mine = vnp_view(data)
    if mine is None:
        return
    theirs = oracle_view(docs)
    if len(mine) != len(theirs):  # documents that are no object on either side (``&--``) may be counted apart
        heads = [[(x["apiVersion"], x["kind"]) for x in side if _could_be_object(x)] for side in (mine, theirs)]
        assert heads[0] == heads[1], f"vnp reads {len(mine)} documents, Kubernetes {len(theirs)}: {heads}"
        return
    for i, (a, b) in enumerate(zip(mine, theirs)):
        if "metaError" in objects(docs)[i]:  # the API server refuses this metadata, so the whole object
            continue
        if not _could_be_object(b):  # no resource Helm can map: the cluster never sees it, whatever vnp reads
            continue
        a, b = {**a, "name": a["name"] or None}, {**b, "name": b["name"] or None}  # "" and no name: both refused
        differ = sorted(k for k in a if a[k] != b[k])
        assert not differ, f"document {i}: {', '.join(differ)} differ: vnp reads {a}, Kubernetes {b}"


# -- (b) the post-renderer's output as Kubernetes reads it --------------------------------------------------

def generated(d: dict) -> bool:
    return (d.get("labels") or {}).get("app.kubernetes.io/managed-by") == "helm-vnp"


def check_output(before: list[dict], after: list[dict], release: str = RELEASE) -> None:
    """(b): the output, decoded, is the input decoded with the release label added to every pod template
    Kubernetes will create pods from, plus vnp's generated objects; nothing else differs."""
    assert not refused_by_helm(after), f"vnp's output is refused by Helm: {[d for d in after if 'error' in d]}"
    want = []
    for d in objects(before):
        d = copy.deepcopy(d)
        d.pop("index")
        if creates_pods(d):
            d["pod"]["labels"] = {**(d["pod"]["labels"] or {}), "vnp.helm-plugin.io/release": release}
            if d["kind"] == "Pod":  # a Pod's template metadata is its own
                d["labels"] = dict(d["pod"]["labels"])
        want.append(d)
    got = []
    for d in objects(after):
        if generated(d):
            continue
        d = copy.deepcopy(d)
        d.pop("index")
        got.append(d)
    assert len(got) == len(want), f"{len(want)} chart objects in, {len(got)} out"
    for i, (w, g) in enumerate(zip(want, got)):
        if w.get("pod") and not creates_pods(w):  # the API server refuses it: no pod, label or not
            w, g = {**w, "pod": None}, {**g, "pod": None}
            if w.get("kind") == "Pod":  # a Pod's labels are its pod's
                w, g = {**w, "labels": None}, {**g, "labels": None}
        if w != g:
            if w.get("pod") and g.get("pod") and w["pod"]["labels"] != g["pod"]["labels"]:
                raise AssertionError(f"object {i} ({w.get('kind')} {w.get('name')}): Kubernetes reads the pod "
                                     f"labels {g['pod']['labels']}, not {w['pod']['labels']}")
            raise AssertionError(f"object {i}: Kubernetes reads {g}, expected {w}")


# -- (c) Pod Security ---------------------------------------------------------------------------------

def violations(d: dict) -> list[str]:
    """The baseline violations Kubernetes will see in this object's pod template (restricted includes them)."""
    p = d.get("pod")
    if not creates_pods(d):
        return []
    out = [f for f in ("hostNetwork", "hostPID", "hostIPC") if p[f]]
    if p["hostPathVolumes"]:
        out.append("hostPath volumes")
    for c in p["containers"]:
        if c["privileged"]:
            out.append(f"container {c['name']}: privileged")
        if c["allowPrivilegeEscalation"]:
            out.append(f"container {c['name']}: allowPrivilegeEscalation")
        if c["hostPorts"]:
            out.append(f"container {c['name']}: hostPort")
        extra = set(c["capabilitiesAdd"]) - {"NET_BIND_SERVICE"}
        if extra:
            out.append(f"container {c['name']}: capabilities add {sorted(extra)}")
    return out


def stream_violations(docs: list[dict]) -> list[str]:
    if refused_by_helm(docs):
        return []
    return [f"{d.get('kind')} {d.get('name')}: {v}" for d in objects(docs) for v in violations(d)]


# -- running vnp ----------------------------------------------------------------------------------------

_policies: dict = {}


def policies(values: str) -> dict:
    """The loaded config for a values text (loaded once)."""
    if values not in _policies:
        import tempfile

        from helm_vnp.config import ValuesInput, load_config
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(values)
        _policies[values] = load_config(ValuesInput([f.name], env=False), use_cache=False).policies
        Path(f.name).unlink()
    return _policies[values]


def post_render_in_process(data: bytes, values: str) -> bytes | None:
    """vnp's output for ``data`` (the pipeline the post-renderer runs), or None for a clean refusal
    (VnpError, which the post-renderer reports as a located message and exit 2).  Any other exception
    propagates: it would be a traceback."""
    from helm_vnp.base.errors import VnpError
    from helm_vnp.release.pipeline import post_render
    try:
        result = post_render(data, policies(values), RELEASE, NAMESPACE)
    except VnpError:
        return None
    return result.output


def finding_class(message: str) -> str:
    """A short class for a check's failure message (the fuzz target counts findings by class)."""
    import re
    for pattern, cls in ((r"vnp reads \d+ documents", "input: document count"),
                         (r"document \d+: ([\w, ]+) differ", "input: {0} differ"),
                         (r"Kubernetes reads the pod labels", "output: a pod template Kubernetes reads is unlabelled"),
                         (r"output is refused by Helm", "output: Helm cannot decode vnp's output"),
                         (r"chart objects in", "output: object count"),
                         (r"object \d+: Kubernetes reads", "output: an object altered"),
                         (r"restricted passed .*?: ([\w ]+)'", "restricted passed: {0}")):
        m = re.search(pattern, message)
        if m:
            return cls.format(*(g.strip() for g in m.groups()))
    return "other: " + message.splitlines()[0][:80]
