"""The real-world streams of ../shared/corpus through the real ``vnp-postrender`` process.

For each stream (Helm 3 style with ``# Source:`` lines, and Helm 4's exact post-renderer
input with postrender-filename annotations): nothing lost or altered but the one label per
pod template, the generated objects appended, the same bytes as the in-process pipeline,
deterministic and idempotent.  Skipped, saying so, where the corpus is absent (a user's clone).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helm_vnp.base.names import POSTRENDER_FILENAME_ANNOTATION, RELEASE_LABEL
from helm_vnp.stream import split
from tests.property.postrender_oracle import check_post_render

REPO = Path(__file__).resolve().parents[2]
REASON = "vnp.helm-plugin.io/reason"
POSTRENDER = REPO / ".venv" / "bin" / "vnp-postrender"
STREAMS = ["kube-prometheus-stack.yaml", "kube-prometheus-stack-with-crds.yaml", "cert-manager.yaml",
           "ingress-nginx.yaml", "postrender-input/kube-prometheus-stack.yaml", "postrender-input/cert-manager.yaml",
           "postrender-input/ingress-nginx.yaml"]


@pytest.mark.parametrize("name", STREAMS)
def test_stream_passes_through_with_the_guarantees(name, corpus, reference_values, reference_policies):
    data = corpus(name).read_bytes()
    result = check_post_render(data, reference_policies, release="kps")  # asserts every guarantee, idempotence included
    labelled = [d for d in result.workloads if f"{RELEASE_LABEL}: ".encode() in d.raw]
    assert result.workloads and len(labelled) == len(result.workloads), "a workload was left unlabelled"
    # the namespace each stream was rendered for (pods elsewhere than the release namespace are refused)
    namespace = next((ns for ns in ("cert-manager", "ingress-nginx") if ns in name), "monitoring")
    argv = [str(POSTRENDER), "-f", str(reference_values), "--release", "kps", "-n", namespace]
    proc = subprocess.run(argv, input=data, capture_output=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode()
    again = subprocess.run(argv, input=data, capture_output=True, env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert again.stdout == proc.stdout, "not deterministic"
    out_docs = [d for d in split(proc.stdout) if not d.is_empty]
    in_docs = [d for d in split(data) if not d.is_empty]
    generated = out_docs[len(in_docs):]
    # the fence, one policy per entry point the release declares (webhooks, scrapes, API callers), quota
    assert [d.kind for d in generated] == ["NetworkPolicy"] * (len(generated) - 2) + ["ResourceQuota", "LimitRange"]
    assert all(REASON in d.annotations for d in generated[1:-2]) and REASON not in generated[0].annotations
    assert len(generated) > 3
    assert all(d.namespace == namespace and d.labels[RELEASE_LABEL] == "kps" for d in generated)
    if name.startswith("postrender-input/"):  # Helm 4 files the generated objects under a name of their own
        assert all(d.annotations.get(POSTRENDER_FILENAME_ANNOTATION) == "helm-vnp/generated.yaml" for d in generated)
    else:
        assert all(d.source_file == "helm-vnp/generated.yaml" for d in generated)
