"""Run the fuzz targets for a bounded time: ``fuzz/run.py --seconds N [--target postrender|decoder|blockyaml|all]``.

``postrender`` (the default): fuzz/postrender_target.py, seeded (once per seed) in
``fuzz/.work/corpus`` with real rendered streams from ../shared/corpus cut into documents, the
repo's test charts rendered by the pinned Helm if present, and small synthetic streams.
``decoder``: fuzz/decoder_target.py, vnp against the Go decoder oracle (testinfra/decoder), seeded
in ``fuzz/.work/decoder-corpus`` with the hand-written hostile forms of tests/oracle/forms.py.
``blockyaml``: fuzz/blockyaml_target.py, the ruamel-free block YAML reader against the ruamel
readers, seeded in ``fuzz/.work/blockyaml-corpus`` with the corpus's documents.
``all`` (``make fuzz``): the three, each for N seconds, then the hypothesis properties of
tests/oracle at random (VNP_ORACLE_EXAMPLES, default 2000).  libFuzzer runs through atheris in a
subprocess; executions and findings are printed per target.  Exit status: 0 no finding, 1 a crash
(or timeout/oom artifact) or a failing property, 2 atheris missing.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.path.join(HERE, ".work")
SHARED_INPUTS = os.path.join(os.path.dirname(REPO), "shared", "corpus", "postrender-input")
MAX_SEED = 16384

SYNTHETIC = [
    b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  selector:\n    matchLabels:\n"
    b"      app: w\n  template:\n    metadata:\n      labels:\n        app: w\n    spec:\n"
    b"      containers:\n      - name: c\n        image: nginx\n",
    b"---\n# Source: c/templates/job.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n"
    b"  annotations:\n    \"helm.sh/hook\": pre-install\nspec:\n  template:\n    spec:\n      containers: []\n",
    b"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n"
    b"  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {}\n        spec: {}\n",
    b'{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"}}, "spec": {}}\n',
    b"apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers: []\r\n",
    b"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n    metadata:\n"
    b"      labels: &l\n        app: s\n    spec: {}\n  selector:\n    matchLabels: *l\n",
    b"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n    name: d\nspec:\n    template:\n        metadata:\n"
    b"            # labels below\n            labels:\n                'app': \"d\"\n        spec: {}\n",
    b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n",
    b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: |\n    ---\n    kind: Pod\n...\n",
    b"",
]


def _write_seed(corpus: str, data: bytes, pick: int | None = 1) -> None:
    """``pick``: the postrender target's first byte (its config); None for the decoder target's raw streams."""
    data = data if pick is None else bytes([pick]) + data
    if len(data) > MAX_SEED:
        return
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(corpus, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def _documents(stream: bytes) -> list[bytes]:
    sys.path.insert(0, REPO)
    from helm_vnp.stream import split
    return [d.raw for d in split(stream)]


def _rendered_charts() -> list[bytes]:
    helm = os.path.join(REPO, ".tools", "bin", "helm4")
    out = []
    if not os.access(helm, os.X_OK):
        return out
    for chart in (os.path.join(REPO, "tests", "charts", "vnp-hooks"), os.path.join(REPO, "examples", "demo-chart")):
        if os.path.isdir(chart):
            r = subprocess.run([helm, "template", "app", chart], capture_output=True, timeout=60)
            if r.returncode == 0:
                out.append(r.stdout)
    return out


def seed(corpus: str) -> None:
    os.makedirs(corpus, exist_ok=True)
    if os.listdir(corpus):
        return  # keep what earlier runs learnt
    for i, data in enumerate(SYNTHETIC):
        _write_seed(corpus, data, pick=i % 5 + 1)
    streams = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(SHARED_INPUTS, "*.yaml")))]
    streams += _rendered_charts()
    for stream in streams:
        _write_seed(corpus, stream)
        for doc in _documents(stream):
            _write_seed(corpus, doc)
    _write_seed(corpus, b"policies:\n  networkPolicy:\n    enabled: true\n\x00" + SYNTHETIC[0], pick=0)


def seed_decoder(corpus: str) -> None:
    os.makedirs(corpus, exist_ok=True)
    if os.listdir(corpus):
        return
    sys.path.insert(0, REPO)
    from tests.oracle import forms
    for w in forms.hand_written().values():
        _write_seed(corpus, forms.stream(forms.CONFIGMAP, forms.render(w)), pick=None)
    for data in SYNTHETIC:
        _write_seed(corpus, data, pick=None)


def seed_blockyaml(corpus: str) -> None:
    os.makedirs(corpus, exist_ok=True)
    if os.listdir(corpus):
        return
    streams = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(SHARED_INPUTS, "*.yaml")))]
    for data in SYNTHETIC + streams + _rendered_charts():
        for doc in _documents(data):
            _write_seed(corpus, doc, pick=None)


def fuzz(target: str, corpus: str, crashes: str, seconds: int, log_path: str, findings: str | None = None) -> int:
    """Run one atheris target; print its executions and findings; 1 on a finding.  ``findings``: the directory
    where the decoder target records its broken checks by class (and goes on)."""
    os.makedirs(crashes, exist_ok=True)
    env = dict(os.environ)
    if findings:
        os.makedirs(findings, exist_ok=True)
        for old in os.listdir(findings):
            os.unlink(os.path.join(findings, old))
        env["VNP_FUZZ_FINDINGS"] = findings
    before = set(os.listdir(crashes))
    cmd = [sys.executable, os.path.join(HERE, f"{target}_target.py"), corpus,
           f"-max_total_time={seconds}", f"-artifact_prefix={crashes}/", f"-max_len={MAX_SEED}",
           "-timeout=20", "-rss_limit_mb=4096", "-print_final_stats=1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=REPO, env=env)
    log = proc.stderr + "\n--- stdout (atheris prints Python exceptions here) ---\n" + proc.stdout
    with open(log_path, "w") as f:
        f.write(log)
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(r"#(\d+)\s", log)
    execs = int(m.group(1)) if hasattr(m, "group") else (int(m[-1]) if m else 0)
    new = sorted(set(os.listdir(crashes)) - before)
    print(f"[{target}] executions: {execs}")
    print(f"[{target}] corpus: {len(os.listdir(corpus))} inputs")
    print(f"[{target}] crashes: {len(new)}")
    for name in new:
        print(f"  {os.path.join(crashes, name)}")
    found = sorted(n for n in os.listdir(findings) if not n.endswith(".txt")) if findings else []
    if findings:
        print(f"[{target}] findings: {len(found)} classes (an input and its message each in {findings})")
        for name in found:
            with open(os.path.join(findings, name + ".txt")) as f:
                print(f"  {f.readline().strip()}")
    if found:
        return 1
    if new or proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-12:])
        print(f"fuzzer exit status {proc.returncode}; log tail:\n{tail}\n{proc.stdout[-4000:]}")
        return 1
    return 0


def properties(examples: int) -> int:
    """The hypothesis properties of tests/oracle, at random; prints examples run and failures."""
    env = {**os.environ, "VNP_ORACLE_RANDOM": "1", "VNP_ORACLE_EXAMPLES": str(examples)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/oracle",
                           "-k", "property", "--hypothesis-show-statistics"], capture_output=True, text=True,
                          errors="replace", cwd=REPO, env=env)
    runs = sum(int(n) for n in re.findall(r"(\d+) passing", proc.stdout))  # hypothesis: "- N passing, 0 failing"
    failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
    print(f"[properties] examples: {runs} passing (of up to {examples} per property), failing properties: "
          f"{len(failed)}")
    for name in failed:
        print(f"  {name}")
    if proc.returncode not in (0, 1):
        print(proc.stdout[-3000:])
    if failed:
        errors = [ln for ln in proc.stdout.splitlines() if ln.startswith("E   ") and "Error" in ln]
        print("\n".join(errors[:12]))
    return 0 if proc.returncode == 0 else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--target", choices=("postrender", "decoder", "blockyaml", "all"), default="postrender")
    ap.add_argument("--work", default=WORK, help="corpus and crash directory (default fuzz/.work)")
    args = ap.parse_args(argv)
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: pip install atheris (make fuzz does)", file=sys.stderr)
        return 2
    status = 0
    if args.target in ("postrender", "all"):
        corpus = os.path.join(args.work, "corpus")
        seed(corpus)
        status |= fuzz("postrender", corpus, os.path.join(args.work, "crashes"), args.seconds,
                       os.path.join(args.work, "last-run.log"))
    if args.target in ("blockyaml", "all"):
        corpus = os.path.join(args.work, "blockyaml-corpus")
        seed_blockyaml(corpus)
        status |= fuzz("blockyaml", corpus, os.path.join(args.work, "blockyaml-crashes"), args.seconds,
                       os.path.join(args.work, "last-blockyaml-run.log"))
    if args.target in ("decoder", "all"):
        sys.path.insert(0, REPO)
        from tests.oracle import decoder
        try:
            decoder.binary()
        except decoder.OracleMissing as e:
            print(f"[decoder] skipped: {e}")
            return status
        corpus = os.path.join(args.work, "decoder-corpus")
        seed_decoder(corpus)
        status |= fuzz("decoder", corpus, os.path.join(args.work, "decoder-crashes"), args.seconds,
                       os.path.join(args.work, "last-decoder-run.log"), os.path.join(args.work, "decoder-findings"))
    if args.target == "all":
        status |= properties(int(os.environ.get("VNP_ORACLE_EXAMPLES", "2000")))
    return status


if __name__ == "__main__":
    sys.exit(main())
