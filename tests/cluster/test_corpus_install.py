"""The corpus charts that install without CRDs missing (cert-manager: its CRDs are in the stream and no object
needs them; ingress-nginx), installed with `helm vnp install` through the real Helm 4 into the real API server:
every object of the chart and every generated one is created, the pods the controllers create carry the release
label, and `helm uninstall` removes vnp's objects.  kube-prometheus-stack renders custom resources of CRDs the
API server does not have: Helm refuses it before vnp matters, so it is left out.

Each rendered stream becomes a one-template chart (its braces escaped for Helm's template engine); hooks are not
run (`--no-hooks`): with no kubelet their Jobs would never finish.
"""
from __future__ import annotations

import pytest

from tests.cluster.conftest import cluster_helm
from tests.cluster.kube import wait_for
from tests.cluster.test_user_path import generated_live, manifest
from tests.e2e.helmkit import RELEASE_LABEL

CHARTS = {"cert-manager.yaml": ("cert-manager", "cert-manager"),
          "ingress-nginx.yaml": ("ingress-nginx", "ingress-nginx")}
NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"


def as_chart(tmp_path, stream: str, name: str):
    root = tmp_path / name
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    escaped = stream.replace("{{", "\0").replace("}}", "{{`}}`}}").replace("\0", "{{`{{`}}")
    (root / "templates" / "stream.yaml").write_text(escaped)
    return root


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_corpus_chart_installs_isolated_and_uninstalls_clean(cluster, kube, plugin_source, tmp_path, corpus, name):
    release, ns = CHARTS[name]
    helm = cluster_helm(4, tmp_path / "helm4", plugin_source[0], cluster.kubeconfig)
    chart = as_chart(tmp_path, corpus(name).read_text(), release)
    values = tmp_path / "values.yaml"
    values.write_text(NETPOL_ON)
    helm.run("vnp", "install", release, chart, "-n", ns, "--create-namespace", "--no-hooks", "-f", values)
    try:
        objects = [o for src, objs in manifest(helm, release, ns).items() for o in objs if o]
        for obj in objects:
            assert kube.read(obj, ns) is not None, f"{obj['kind']} {obj['metadata']['name']} was not created"
        generated = generated_live(helm, kube, release, ns)
        assert {o["kind"] for o in generated} >= {"NetworkPolicy"}
        # the pods the controllers create from the labelled templates carry the release label
        pods = wait_for(lambda: kube.list("v1", "Pod", ns) or None, f"pods of {release}", timeout=120)
        assert pods and all(p["metadata"]["labels"].get(RELEASE_LABEL) == release for p in pods), [
            (p["metadata"]["name"], p["metadata"].get("labels")) for p in pods]
    finally:
        helm.run("uninstall", release, "-n", ns)
    for obj in generated:
        wait_for(lambda o=obj: kube.read(o, ns) is None, f"{obj['kind']} {obj['metadata']['name']} deleted")
