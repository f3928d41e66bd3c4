"""The benchmark cases.  A case is: name, our command, the peer's command (or
None), the input, and its targets.  Commands are argv lists; "{input}" in one
is replaced by the input file's path (stdin is then /dev/null), otherwise the
input is the command's stdin.  A callable first element (peers.kustomize,
peers.checkov) is resolved on first use and may skip the peer side."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

import peers
from inputs import HELM4, Input, corpus, empty, helm_create, lint_charts, one_deployment, small_values, synthetic_50mb

Argv = list[Union[str, Callable[[], list[str]]]]
LABEL = b"vnp.helm-plugin.io/release: bench"


@dataclass(frozen=True)
class Case:
    name: str
    ours: Argv
    peer: Argv | None
    input: Input | None  # None: the command reads nothing
    target_ratio: float | None = None  # median per-run ours/peer time must be <= this
    target_mbps: float | None = None  # our throughput (input MB / median s) must be >= this
    rss_le_peer: bool = False  # our peak RSS must be <= the peer's
    ok_codes: tuple[int, ...] = (0,)  # our exit codes that are a successful run
    expect: bytes | None = None  # must occur in our first run's stdout
    peer_runs: int | None = None  # cap the peer's runs (no warm-up) ...
    peer_timeout: float = 900.0  # ... and how long one may take
    peer_note: Callable[[Path], str] | None = None  # a note from the peer's first stdout


def checkov_note(out: Path) -> str:
    """checkov reports parse failures as nothing at all: say how much it checked."""
    try:
        data = json.loads(out.read_bytes() or b"null")
    except ValueError:
        return "checkov output is not JSON"
    reports = data if isinstance(data, list) else [data]
    summaries = [r.get("summary", r) for r in reports if isinstance(r, dict)]
    resources = sum(s.get("resource_count", 0) for s in summaries)
    note = f"checkov checked {resources} resources"
    return note + (" (it skipped the file: parse failure)" if resources == 0 else "")


POSTRENDER: Argv = [peers.ours("vnp-postrender"), "-f", str(peers.VALUES), "--release", "bench"]
KUSTOMIZE: Argv = [peers.kustomize]
LINT: Argv = [peers.ours("helm-vnp"), "lint", "--rendered", "{input}", "--format", "json"]
CHECKOV: Argv = [peers.checkov, "--framework", "kubernetes", "--skip-download", "-f", "{input}",
                 "--quiet", "-o", "json", "--soft-fail"]
FLOOR: Argv = [peers.ours("python"), "-c", "pass"]
STARTUP = [
    ("helm-vnp --version", [peers.ours("helm-vnp"), "--version"], None, True),
    ("vnp-postrender --version", [peers.ours("vnp-postrender"), "--version"], None, False),
    ("python -m helm_vnp --version", [peers.ours("python"), "-m", "helm_vnp", "--version"], None, False),
    ("helm-vnp validate -f small", [peers.ours("helm-vnp"), "validate", "-f", "{input}"], small_values(), True),
    ("helm-vnp lint --rendered small", [peers.ours("helm-vnp"), "lint", "--rendered", "{input}"], one_deployment(),
     True),
    ("helm-vnp --help", [peers.ours("helm-vnp"), "--help"], None, False),
    ("helm-vnp lint --help", [peers.ours("helm-vnp"), "lint", "--help"], None, False),
]
# `helm vnp lint charts/*` (8 charts, in parallel) against `helm template` of each, one after the other
LINT_MANY: Argv = ["env", f"HELM_BIN={HELM4}", peers.ours("helm-vnp"), "lint", "--format", "json", "--fail-on",
                   "never", lint_charts]
TEMPLATE_EACH: Argv = ["sh", "-c", 'for c; do "$0" template x "$c" >/dev/null || exit 1; done', str(HELM4),
                       lint_charts]
CORPUS = corpus("*.yaml") + corpus("postrender-input/*.yaml")
KPS_CRDS = "kube-prometheus-stack-with-crds.yaml"

CASES: list[Case] = [
    Case("postrender/helm-create", POSTRENDER, KUSTOMIZE, helm_create(), target_ratio=1.0, expect=LABEL),
    *[Case(f"postrender/{i.name}", POSTRENDER, KUSTOMIZE, i, expect=LABEL,
           target_ratio=0.25 if i.name == KPS_CRDS else None, rss_le_peer=i.name == KPS_CRDS)
      for i in CORPUS],
    # kustomize is quadratic in the document count (2,000 small documents: ~35 s;
    # 4,000: ~6 min): one capped run shows it without stalling the bench.
    Case("postrender/synthetic-50MB", POSTRENDER, KUSTOMIZE, synthetic_50mb(), target_mbps=50.0,
         expect=LABEL, peer_runs=1, peer_timeout=120.0),
    # helm-vnp lint exits 1 when it has findings: that is a successful run.
    *[Case(f"lint/{i.name}", LINT, CHECKOV, i, target_ratio=0.1, ok_codes=(0, 1), peer_note=checkov_note)
      for i in corpus("*.yaml")],
    # start-up against the bare interpreter (issue 18: within 2.5x for --version, validate, lint --rendered)
    *[Case(f"startup/{name} vs python -c pass", argv, FLOOR, inp, target_ratio=2.5 if target else None,
           ok_codes=(0, 1))
      for name, argv, inp, target in STARTUP],
    Case("startup/vnp-postrender empty stream", POSTRENDER, None, empty()),
    Case("lint/8 charts in parallel vs helm template each", LINT_MANY, TEMPLATE_EACH, None, target_ratio=1.2),
    Case("startup/python -c pass (floor)", [peers.ours("python"), "-c", "pass"], None, None),
]
