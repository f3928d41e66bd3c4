"""Run the real ``vnp-postrender`` on a case and judge its outcome independently.

The judge parses with a plain ruamel safe loader (not vnp's parser) and knows
only the contract: untouched documents come back byte for byte, workloads come
back equal to their input plus the release label on the pod template, the
generated objects follow, and failures leave stdout empty with a located message.
"""
from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTRENDER = ROOT / ".venv" / "bin" / "vnp-postrender"
LABEL = "vnp.helm-plugin.io/release"
MEMORY_LIMIT = 2 * 1024 ** 3  # RLIMIT_AS for every child: 2 GiB
HANG_GUARD = 30  # seconds; a hang guard, not a timing assertion

# where each workload kind keeps its pod template's metadata (the contract, restated)
POD_METADATA = {
    "Pod": ("metadata",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "metadata"),
}
for _kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"):
    POD_METADATA[_kind] = ("spec", "template", "metadata")


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def child_env(cache_dir: str | os.PathLike | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNP_", "HELM_"))}
    if cache_dir is not None:
        env["VNP_CACHE_DIR"] = str(cache_dir)
    else:
        env["VNP_NO_CACHE"] = "1"
    return env


def run_postrender(data: bytes, argv: list[str], cache_dir=None, timeout: float = HANG_GUARD,
                   exe: str | os.PathLike = POSTRENDER) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), *argv], input=data, capture_output=True, timeout=timeout,
                          preexec_fn=limit_memory, env=child_env(cache_dir))


def parse(raw: bytes):
    """The one document in ``raw`` (a fresh loader per call: the judge may run in threads)."""
    from ruamel.yaml import YAML
    text = raw.decode("utf-8")
    docs = [d for d in YAML(typ="safe").load_all(text) if d is not None] or [None]
    assert len(docs) == 1, f"segment holds {len(docs)} documents"
    return docs[0]


def one_line_added(before: bytes, after: bytes) -> bool:
    """``after`` is ``before`` with exactly one more line, and that line sets the release label."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if len(b) != len(a) + 1:
        return False
    for i, line in enumerate(b):
        if i >= len(a) or line != a[i]:
            return LABEL.encode() in line and b[:i] + b[i + 1:] == a
    return False


@contextlib.contextmanager
def deep_recursion(limit: int = 100_000):
    """Comparing the 10,000-level documents of the deep-nesting class recurses that deep."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def with_label(obj, release: str):
    """The object as it must come out: the release label on its pod template.

    Each mapping on the path is copied, so an aliased mapping (shared with,
    say, the selector) changes only where the pod template uses it.
    """
    obj = dict(obj)  # only the path is copied: a deep copy would recurse through 10,000-level values
    node = obj
    for key in POD_METADATA[obj["kind"]] + ("labels",):
        node[key] = dict(node.get(key) or {})
        node = node[key]
    node[LABEL] = release
    return obj


def split_output(inp: bytes, out: bytes, suffix: bytes) -> bytes:
    """The part of ``out`` that holds the chart's documents (generated objects removed)."""
    assert out.endswith(suffix), "the generated objects are not what vnp generates for this config"
    body = out[:len(out) - len(suffix)]
    if suffix and inp and not inp.endswith(b"\n"):
        assert body.endswith(b"\n"), "no line break before the generated objects"
        body = body[:-1]
    return body


def comment_lines(raw: bytes) -> list[bytes]:
    return [ln.strip() for ln in raw.splitlines() if ln.strip().startswith(b"#")]


def judge(case: dict, inp: bytes, proc: subprocess.CompletedProcess, suffix: bytes, release: str = "app") -> None:
    """Assert the case's expected outcome; raises AssertionError with the reason."""
    from helm_vnp.stream import split

    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-2000:]
    assert "internal error" not in err, err[-2000:]
    if case["expect"] == "error":
        assert proc.returncode == 2, f"exit {proc.returncode}, expected 2; stderr: {err[-500:]}"
        assert proc.stdout == b"", "something was written to stdout on failure"
        assert case["message"] in err, f"{case['message']!r} not in {err[-800:]!r}"
        assert case["where"] in err, f"{case['where']!r} not in {err[-800:]!r}"
        return
    assert proc.returncode == 0, f"exit {proc.returncode}: {err[-800:]}"
    out = proc.stdout
    if case["expect"] == "passthrough":
        body = split_output(inp, out, suffix)
        assert body == inp, "a document was altered"
        return
    body = split_output(inp, out, suffix)
    before, after = split(inp), split(body)
    assert len(before) == len(after), f"{len(before)} documents in, {len(after)} out"
    want = set(case.get("labelled", []))
    for i, (a, b) in enumerate(zip(before, after)):
        if i not in want:
            assert a.raw == b.raw, f"document {i} (not a workload) was altered"
            continue
        if case.get("text_only"):
            assert one_line_added(a.raw, b.raw), f"document {i}: not the input plus one label line"
            continue
        try:
            obj_in = parse(a.raw)
        except Exception:  # not YAML the judge can read (the case says Helm rejects it): compare text
            assert one_line_added(a.raw, b.raw), f"document {i}: not the input plus one label line"
            continue
        obj_out = parse(b.raw)
        with deep_recursion():
            same = obj_out == with_label(obj_in, release)
        assert same, f"document {i}: not the input plus the label"
        assert comment_lines(a.raw) == comment_lines(b.raw), f"document {i}: comments lost"
    for d in split(suffix):
        if d.is_empty:
            continue
        obj = parse(d.raw)
        assert obj["metadata"]["labels"][LABEL] == release
