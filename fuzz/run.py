"""Run the post-render fuzz target for a bounded time: ``fuzz/run.py --seconds N``.

Seeds ``fuzz/.work/corpus`` (once per seed: real rendered streams from
../shared/corpus cut into documents, the repo's test charts rendered by the
pinned Helm if present, and small synthetic streams), runs libFuzzer through
atheris in a subprocess, and prints executions and crash files.  Exit status:
0 no crash, 1 crash (or timeout/oom artifact), 2 atheris missing.
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


def _write_seed(corpus: str, data: bytes, pick: int = 1) -> None:
    data = bytes([pick]) + data
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--work", default=WORK, help="corpus and crash directory (default fuzz/.work)")
    args = ap.parse_args(argv)
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: pip install atheris (make fuzz does)", file=sys.stderr)
        return 2
    corpus = os.path.join(args.work, "corpus")
    crashes = os.path.join(args.work, "crashes")
    os.makedirs(crashes, exist_ok=True)
    seed(corpus)
    before = set(os.listdir(crashes))
    cmd = [sys.executable, os.path.join(HERE, "postrender_target.py"), corpus,
           f"-max_total_time={args.seconds}", f"-artifact_prefix={crashes}/", f"-max_len={MAX_SEED}",
           "-timeout=20", "-rss_limit_mb=4096", "-print_final_stats=1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=REPO)
    log = proc.stderr + "\n--- stdout (atheris prints Python exceptions here) ---\n" + proc.stdout
    with open(os.path.join(args.work, "last-run.log"), "w") as f:
        f.write(log)
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", log) or re.findall(r"#(\d+)\s", log)
    execs = int(m.group(1)) if hasattr(m, "group") else (int(m[-1]) if m else 0)
    new = sorted(set(os.listdir(crashes)) - before)
    print(f"executions: {execs}")
    print(f"corpus: {len(os.listdir(corpus))} inputs")
    print(f"crashes: {len(new)}")
    for name in new:
        print(f"  {os.path.join(crashes, name)}")
    if new or proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-12:])
        print(f"fuzzer exit status {proc.returncode}; log tail:\n{tail}\n{proc.stdout[-4000:]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
