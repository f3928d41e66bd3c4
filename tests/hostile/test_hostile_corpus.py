"""Every case of the hostile corpus through the real ``vnp-postrender`` process.

Each process runs under a 2 GiB address-space limit and a hang guard; the
cases run a few at a time.  One test per case, so a failure names its case.
"""
from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hostile import make_corpus
from tests.hostile.hostile_oracle import HANG_GUARD, POSTRENDER, judge, run_postrender

CASES = make_corpus.CASES
INDEX = json.loads((CASES / "index.json").read_bytes())
ARGS = ["--release", make_corpus.RELEASE, "-n", make_corpus.NAMESPACE]

pytestmark = pytest.mark.skipif(not POSTRENDER.exists(), reason=f"{POSTRENDER} is not installed")


def argv_of(case: dict) -> list[str]:
    return ["-f", str(CASES / case["values"]), *ARGS, *case.get("args", [])]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Run every committed case once (in parallel), keyed by name; plus the generated suffixes."""
    cache = tmp_path_factory.mktemp("vnp-cache")

    def one(case):
        data = (CASES / case["stream"]).read_bytes()
        try:
            return case["name"], data, run_postrender(data, argv_of(case), cache_dir=cache)
        except subprocess.TimeoutExpired:
            return case["name"], data, None

    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) + 1)) as pool:
        results = {name: (data, proc) for name, data, proc in pool.map(one, INDEX)}
    return results


_suffixes: dict = {}


def generated_suffix(case: dict, helm4: bool) -> bytes:
    """What vnp appends for this case's config: its output for a stream with no documents of its own."""
    key = (case["values"], tuple(case.get("args", [])), helm4)
    if key not in _suffixes:
        probe = b"# probe\n"
        if helm4:
            probe = (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\n  annotations:\n"
                     b"    postrenderer.helm.sh/postrender-filename: probe.yaml\n")
        proc = run_postrender(probe, argv_of(case))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith(probe)
        _suffixes[key] = proc.stdout[len(probe):]
    return _suffixes[key]


def _hooks_only(data: bytes) -> bool:
    from helm_vnp.release.pipeline import hooks_only
    from helm_vnp.stream import split
    try:
        return hooks_only(split(data))
    except Exception:  # a stream the splitter refuses is an error case, judged as such
        return False


def _params():
    """One parameter per case; a case with ``known_bug`` is a strict xfail naming the bug."""
    for c in INDEX:
        marks = [pytest.mark.xfail(strict=True, reason=c["known_bug"])] if c.get("known_bug") else []
        yield pytest.param(c, marks=marks, id=c["name"])


@pytest.mark.parametrize("case", list(_params()))
def test_case(case, outcomes):
    data, proc = outcomes[case["name"]]
    assert proc is not None, f"no answer within {HANG_GUARD} s (hang guard)"
    # a stream of hooks alone is the hooks' pass of Helm 4.2's `separate` strategy: nothing is generated for it
    suffix = b"" if case["expect"] == "error" or _hooks_only(data) else generated_suffix(
        case, b"postrenderer.helm.sh/postrender-filename" in data)
    judge(case, data, proc, suffix, make_corpus.RELEASE)


def test_corpus_is_large_and_covers_every_class():
    classes = {c["class"] for c in INDEX}
    assert len(INDEX) >= 200
    for needed in ("YAML syntax error in a workload", "YAML syntax error in an untouched document", "tabs",
                   "UTF-8 BOM", "CRLF line ends", "invalid UTF-8", "NUL bytes", "duplicate keys",
                   "anchors, aliases, merge keys", "alias bomb", "deep nesting", "long lines",
                   "scalar, list or null documents", "kind: List", "unknown kinds and CRs",
                   "missing apiVersion/kind/metadata", "JSON documents", "'...' document ends",
                   "comment-only and empty documents", "empty stream", "wrong types", "unknown keys",
                   "invalid CIDRs", "invalid quantities", "huge lists",
                   "workload heads the line scanner misreads", "labels in a mapping Kubernetes discards"):
        assert needed in classes, needed


def test_corpus_in_sync():
    """The committed files are exactly what make_corpus.py builds (regenerate after editing it)."""
    want = make_corpus.render(make_corpus.build_cases())
    have = {str(p.relative_to(CASES)): p.read_bytes() for p in CASES.rglob("*") if p.is_file()}
    assert sorted(have) == sorted(want)
    stale = [rel for rel in want if have[rel] != want[rel]]
    assert not stale, f"run tests/hostile/make_corpus.py: {stale[:5]}"


BIG = {c.name: c for c in make_corpus.big_cases()}


@pytest.mark.parametrize("name", sorted(BIG))
def test_big_case(name, tmp_path):
    """100 MB documents, 1 MB lines, 100,000 documents: built here, never committed."""
    case = BIG[name]
    entry = case.index_entry()
    proc = run_postrender(case.stream, argv_of(entry), timeout=300)
    judge(entry, case.stream, proc, generated_suffix(entry, False), make_corpus.RELEASE)


def test_secrets_never_leak(outcomes):
    """No Secret or ConfigMap value of any hostile stream reaches stderr (every error path included).

    Values files are the user's own config: an error there shows the bad value (that is its point).
    """
    leaks = []
    for case in INDEX:
        data, proc = outcomes[case["name"]]
        if proc is None or make_corpus.CANARY.encode() not in data and make_corpus.CANARY_B64.encode() not in data:
            continue
        if (case["values"] != "values/default.yaml"
                and make_corpus.CANARY.encode() in (CASES / case["values"]).read_bytes()):
            continue
        for secret in (make_corpus.CANARY, make_corpus.CANARY_B64):
            if secret.encode() in proc.stderr:
                leaks.append((case["name"], secret, proc.stderr.decode("utf-8", "replace")[-300:]))
    checked = [c for c in INDEX if make_corpus.CANARY.encode() in (CASES / c["stream"]).read_bytes()]
    assert len(checked) >= 5
    assert not leaks, leaks
