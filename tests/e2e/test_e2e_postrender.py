"""The bare post-renderer under the real Helm: `helm template ... --post-renderer` on Helm 4
(the registered vnp-postrender plugin) and Helm 3 (the installed plugin's bin/vnp-postrender),
on the hook-bearing test chart and the example chart.  The issue's guarantees, checked on
what Helm itself prints."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.e2e_helpers import (
    by_source,
    key,
    kube_validate,
    load_all,
    pod_metadata,
    sources,
    without_label,
)
from tests.e2e.helmkit import (
    DEMO_CHART,
    DEMO_VALUES,
    FILENAME_ANNOTATION,
    HOOKS_CHART,
    RELEASE_LABEL,
    Helm,
    memory_driver_env,
)

GENERATED = "helm-vnp/generated.yaml"
HOOKS_VALUES = Path(__file__).parent / "values-hooks.yaml"
CASES = {"hooks": (HOOKS_CHART, HOOKS_VALUES), "demo": (DEMO_CHART, DEMO_VALUES)}


def pr_args(values: Path, release: str = "app", namespace: str | None = "team-a") -> list[str]:
    args = ["-f", str(values), f"--release={release}"] + ([f"--namespace={namespace}"] if namespace else [])
    return [f"--post-renderer-args={a}" for a in args]


def render(helm: Helm, chart: Path, values: Path, post: bool = True, *extra: str) -> subprocess.CompletedProcess:
    args = ["template", "app", chart, "-f", values, "-n", "team-a", *extra]
    if post:
        args += ["--post-renderer", helm.postrenderer, *pr_args(values)]
    return helm.run(*args)


@pytest.fixture(params=sorted(CASES))
def case(request):
    return CASES[request.param]


def test_every_document_survives_and_pod_templates_carry_the_label(helm, case):
    chart, values = case
    plain = render(helm, chart, values, post=False).stdout
    post = render(helm, chart, values).stdout
    # every chart file is still filed under its own name (Helm 4: the postrender-filename
    # annotation survived; Helm 4 names a document without one "generated-by-postrender-N")
    assert [s for s in sources(post) if s != GENERATED] == sources(plain)
    assert b"generated-by-postrender" not in post
    before, after = load_all(plain), load_all(post)
    chart_after = [o for o in after if (o["metadata"].get("labels") or {}).get("app.kubernetes.io/managed-by")
                   != "helm-vnp"]
    assert len(chart_after) == len(before)
    for old, new in zip(before, chart_after):
        assert key(old) == key(new)
        meta = pod_metadata(new)
        hook = "helm.sh/hook" in (new["metadata"].get("annotations") or {})
        if meta is not None and not (hook and helm.major < 4):  # Helm 3 never post-renders hooks
            assert meta["labels"][RELEASE_LABEL] == "app", key(new)
            assert without_label(new, RELEASE_LABEL) == old
        else:
            assert new == old, key(new)
        assert FILENAME_ANNOTATION not in (new["metadata"].get("annotations") or {})  # Helm 4 consumed it


def test_helm3_passes_documents_without_pod_templates_through_byte_for_byte(helm3):
    plain = by_source(render(helm3, HOOKS_CHART, HOOKS_VALUES, post=False).stdout)
    post = by_source(render(helm3, HOOKS_CHART, HOOKS_VALUES).stdout)
    for source in ("vnp-hooks/templates/configmap.yaml", "vnp-hooks/templates/service.yaml"):
        assert post[source] == plain[source]
    # a pod template written with comments and odd quoting keeps all of them
    (old,), (new,) = plain["vnp-hooks/templates/commented.yaml"], post["vnp-hooks/templates/commented.yaml"]
    assert [ln for ln in new.splitlines() if RELEASE_LABEL not in ln] == old.splitlines()
    (new_json,) = post["vnp-hooks/templates/flow.json.yaml"]
    assert f'"{RELEASE_LABEL}": "app"' in new_json  # flow style stays flow style


def test_hooks_stay_hooks_and_are_labelled_on_helm4(helm4, fake_cluster, tmp_path):
    """`install --dry-run=client` separates HOOKS from MANIFEST: the post-rendered hooks are still hooks."""
    proc = helm4.run("install", "app", HOOKS_CHART, "-f", HOOKS_VALUES, "-n", "team-a", "--dry-run=client",
                     "--post-renderer", "vnp-postrender", *pr_args(HOOKS_VALUES),
                     env=memory_driver_env(fake_cluster, tmp_path, []))
    out = proc.stdout.decode()
    hooks, manifest = out.split("\nHOOKS:\n", 1)[1].split("\nMANIFEST:\n", 1)
    objs = {key(o): o for o in load_all(hooks.encode())}
    for k in (("Job", "app-migrate"), ("Pod", "app-test")):
        assert pod_metadata(objs[k])["labels"][RELEASE_LABEL] == "app"
    assert objs[("Job", "app-migrate")]["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert "app-migrate" not in manifest and f"# Source: {GENERATED}" in manifest


def test_generated_objects_are_filed_apart_and_valid_for_kubernetes(helm, case):
    chart, values = case
    post = render(helm, chart, values).stdout
    generated = [load_all(t.encode())[0] for t in by_source(post)[GENERATED]]
    kinds = sorted(o["kind"] for o in generated)
    assert kinds == ["LimitRange", "NetworkPolicy", "ResourceQuota"]
    for obj in generated:
        assert obj["metadata"]["namespace"] == "team-a"
        assert obj["metadata"]["labels"][RELEASE_LABEL] == "app"
        assert "app" in obj["metadata"]["name"]
    for obj in load_all(post):  # the chart's objects too: labelling must not break them
        kube_validate(obj)


def test_output_is_deterministic(helm, case):
    chart, values = case
    assert render(helm, chart, values).stdout == render(helm, chart, values).stdout


CAPTURE = """#!/bin/sh
# a post-renderer that records what Helm hands to post-renderers, and returns it unchanged
tee "{out}"
"""


def postrender_input(helm: Helm, chart: Path, values: Path, tmp: Path) -> bytes:
    """The exact stream this Helm feeds a post-renderer (Helm 4: postrender-filename annotations
    and hooks; Helm 3: `# Source:` lines, no hooks)."""
    plugin = tmp / "capture"
    plugin.mkdir()
    (plugin / "capture.sh").write_text(CAPTURE.format(out=tmp / "input.yaml"))
    (plugin / "capture.sh").chmod(0o755)
    if helm.major >= 4:
        (plugin / "plugin.yaml").write_text("apiVersion: v1\ntype: postrenderer/v1\nname: capture\nversion: 0.1.0\n"
                                            "runtime: subprocess\nruntimeConfig:\n  platformCommand:\n"
                                            "    - command: ${HELM_PLUGIN_DIR}/capture.sh\n")
        helm.run("plugin", "install", plugin)
        renderer = "capture"
    else:
        renderer = str(plugin / "capture.sh")
    helm.run("template", "app", chart, "-f", values, "-n", "team-a", "--post-renderer", renderer)
    return (tmp / "input.yaml").read_bytes()


def run_postrender(helm: Helm, data: bytes, values: Path) -> bytes:
    """The installed plugin's bin/vnp-postrender, run directly on DATA."""
    proc = subprocess.run([str(helm.plugins / "helm-vnp" / "bin" / "vnp-postrender"), "-f", str(values),
                           "--release=app", "--namespace=team-a"], input=data, capture_output=True, env=helm.env)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_idempotent_on_what_helm_feeds_the_postrenderer(helm, tmp_path, case):
    chart, values = case
    data = postrender_input(helm, chart, values, tmp_path)
    if helm.major >= 4:
        assert FILENAME_ANNOTATION.encode() in data and b"# Source:" not in data
    else:
        assert b"# Source:" in data and b"helm.sh/hook" not in data
    once = run_postrender(helm, data, values)
    assert run_postrender(helm, once, values) == once
    assert run_postrender(helm, data, values) == once
    if helm.major >= 4:  # every document filed: the chart's under their own names, vnp's apart
        filed = re.findall(rf"{re.escape(FILENAME_ANNOTATION)}: '?([^'\n]+)'?", once.decode())
        assert filed.count(GENERATED) == 3 and len(filed) == len(load_all(once))


# Helm's install order, the kinds vnp generates, and the ones that come after them
_ORDER = ["Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "ServiceAccount", "Secret", "ConfigMap",
          "Service", "Deployment", "StatefulSet", "Job", "CronJob"]


def test_vnps_objects_come_before_the_workloads_on_both_helm_versions(helm):
    """Helm 3 creates a release's objects in the order of the post-rendered stream: vnp's LimitRange and
    ResourceQuota must exist before the first workload, or its first pods are admitted without them.  vnp puts
    them there under Helm 3; Helm 4 sorts the stream into install order itself after post-rendering."""
    objs = load_all(render(helm, DEMO_CHART, DEMO_VALUES).stdout)
    ours = [i for i, o in enumerate(objs) if (o["metadata"].get("labels") or {}).get("app.kubernetes.io/managed-by")
            == "helm-vnp"]
    assert {objs[i]["kind"] for i in ours} >= {"NetworkPolicy", "ResourceQuota", "LimitRange"}
    workloads = [i for i, o in enumerate(objs) if o["kind"] in ("Deployment", "StatefulSet", "CronJob", "Job")]
    assert workloads and max(ours) < min(workloads), [o["kind"] for o in objs]
    kinds = [o["kind"] for o in objs]
    ranks = [_ORDER.index(k) for k in kinds if k in _ORDER]
    assert ranks == sorted(ranks), f"not in Helm's install order: {kinds}"
