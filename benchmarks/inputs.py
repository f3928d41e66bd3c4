"""Benchmark inputs: each is a name, a smallness hint (for --smoke) and a
function producing the file (cached under benchmarks/.cache/) or raising Skip."""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import synthetic

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
CORPUS = Path("/work/shared/corpus")
HELM4 = ROOT / ".tools" / "bin" / "helm4"
SMALL_BYTES = 256 * 1024


class Skip(Exception):
    """This input or tool cannot be had here; the message says why."""


@dataclass(frozen=True)
class Input:
    name: str
    small: bool
    produce: Callable[[], Path]


def _cached(name: str, make: Callable[[Path], None]) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / name
    if not path.exists():
        make(path)
    return path


def _helm_create_stream() -> Path:
    if not HELM4.exists():
        raise Skip(f"{HELM4} missing (run `make tools`)")
    version = subprocess.run([str(HELM4), "version", "--short"], capture_output=True, text=True).stdout.strip()

    def make(path: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([str(HELM4), "create", f"{tmp}/bench"], check=True, capture_output=True)
            out = subprocess.run([str(HELM4), "template", "bench", f"{tmp}/bench"],
                                 check=True, capture_output=True).stdout
        path.write_bytes(out)

    return _cached(f"helm-create-{re.sub(r'[^A-Za-z0-9.]+', '_', version)}.yaml", make)


def helm_create() -> Input:
    return Input("helm-create", True, _helm_create_stream)


def empty() -> Input:
    return Input("empty", True, lambda: _cached("empty.yaml", lambda p: p.write_bytes(b"")))


def synthetic_50mb() -> Input:
    name = f"synthetic-v{synthetic.GENERATOR_VERSION}-{synthetic.DOCS}docs.yaml"
    return Input("synthetic-50MB", False, lambda: _cached(name, synthetic.write))


def corpus(pattern: str) -> list[Input]:
    """One input per file of /work/shared/corpus matching pattern (e.g. "*.yaml",
    "postrender-input/*.yaml"); a single skipping input when the corpus is absent."""
    if not CORPUS.is_dir():
        def absent() -> Path:
            raise Skip(f"{CORPUS} absent")
        return [Input(f"corpus/{pattern}", True, absent)]
    return [Input(str(p.relative_to(CORPUS)), p.stat().st_size <= SMALL_BYTES, lambda p=p: p)
            for p in sorted(CORPUS.glob(pattern))]


_DOC_SEP = re.compile(rb"^---[ \t]*(?:#.*)?$")


def count_documents(path: Path) -> int:
    """Non-empty YAML documents (content other than comments and blank lines).
    Streams the file: the harness must stay small (see timing.harness_rss_kb)."""
    docs, content = 0, False
    with path.open("rb") as f:
        for line in f:
            if _DOC_SEP.match(line):
                docs, content = docs + content, False
            elif not content and line.strip() and not line.lstrip().startswith(b"#"):
                content = True
    return docs + content


def contains(path: Path, needle: bytes, chunk: int = 1 << 20) -> bool:
    """Whether the file holds needle, read in chunks (never whole into memory)."""
    tail = b""
    with path.open("rb") as f:
        while block := f.read(chunk):
            if needle in tail + block[: len(needle)] or needle in block:
                return True
            tail = block[-len(needle):]
    return False


SMALL_VALUES = b"policies:\n  networkPolicy:\n    enabled: true\n"
ONE_DEPLOYMENT = b"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


def small_values() -> Input:
    return Input("values.yaml (3 lines)", True, lambda: _cached("small-values.yaml", lambda p: p.write_bytes(
        SMALL_VALUES)))


def one_deployment() -> Input:
    return Input("one Deployment", True, lambda: _cached("one-deployment.yaml", lambda p: p.write_bytes(
        ONE_DEPLOYMENT)))


REPO_CHARTS = ("examples/demo-chart", "tests/charts/vnp-hooks", "tests/charts/vnp-vms", "tests/lint/charts/web")


def lint_charts() -> list[str]:
    """The charts `helm vnp lint charts/*` is timed on: the repo's four and four `helm create` charts."""
    if not HELM4.exists():
        raise Skip(f"{HELM4} missing (run `make tools`)")
    made = CACHE / "charts"
    for i in range(4):
        if not (made / f"create-{i}" / "Chart.yaml").exists():
            made.mkdir(parents=True, exist_ok=True)
            subprocess.run([str(HELM4), "create", str(made / f"create-{i}")], check=True, capture_output=True)
    return [str(ROOT / c) for c in REPO_CHARTS] + [str(made / f"create-{i}") for i in range(4)]
