"""Why the post-renderer refuses workloads inside lists, shown on the real API server with the real Helm 4 and 3.

Helm's client decodes any object with an ``items`` list as a list and creates its items one by one: a typed
``DeploymentList`` whose items name no kind (the decoder gives them the list's kind without ``List``) and a
``ConfigMap`` carrying an ``items`` list.  A plain install creates the hidden Deployment and Pod (and not the
ConfigMap); through vnp the same chart fails before anything is created, naming the document.
"""
from __future__ import annotations

import textwrap

import pytest

from tests.cluster.kube import wait_for

NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"

TEMPLATES = {
    "typed.yaml": """\
        apiVersion: apps/v1
        kind: DeploymentList
        items:
        - metadata: {name: typed-hidden}
          spec:
            selector: {matchLabels: {app: typed-hidden}}
            template:
              metadata: {labels: {app: typed-hidden}}
              spec: {containers: [{name: c, image: busybox}]}
        """,
    "carrier.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: carrier}
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: carried-hidden}
          spec: {containers: [{name: c, image: busybox}]}
        """,
}


def chart(tmp_path, which: str):
    root = tmp_path / f"chart-{which.split('.')[0]}"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: lists\nversion: 0.1.0\n")
    (root / "templates" / which).write_text(textwrap.dedent(TEMPLATES[which]))
    return root


@pytest.mark.parametrize("which", sorted(TEMPLATES))
def test_helm_installs_the_items_of_a_list_and_vnp_refuses_it(helm, kube, namespace, tmp_path, which):
    root = chart(tmp_path, which)
    helm.run("install", "plain", root, "-n", namespace)
    hidden = "typed-hidden" if which == "typed.yaml" else "carried-hidden"
    kind = ("apps/v1", "Deployment") if which == "typed.yaml" else ("v1", "Pod")
    names = wait_for(lambda: {o["metadata"]["name"] for o in kube.list(*kind, namespace)} or None,
                     f"{kind[1]} {hidden} created by a plain install")
    assert hidden in names  # Helm flattened the list: the workload exists, unlabelled by anyone
    if which == "carrier.yaml":
        assert "carrier" not in {o["metadata"]["name"] for o in kube.list("v1", "ConfigMap", namespace)}  # flattened
    helm.run("uninstall", "plain", "-n", namespace)

    values = tmp_path / "values.yaml"
    values.write_text(NETPOL_ON)
    proc = helm.run("vnp", "install", "isolated", root, "-n", namespace, "-f", values, check=False)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode != 0, err
    assert "holds a" in err and "inside a list" in err and which in err, err
    assert helm.run("list", "-n", namespace, "-q").stdout.decode().split() == []
