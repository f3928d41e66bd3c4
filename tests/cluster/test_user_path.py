"""The user path against a real API server (v1.37.2), with the real Helm 4 and Helm 3:
`helm install` without vnp, then `helm vnp upgrade` turning isolation on, a config change,
`--reuse-values`, `helm rollback`, `helm uninstall`.  Every generated object is created with its
labels and is gone after uninstall; the chart's own objects are a plain install's but for the
release label; the pods the controllers create carry it."""
from __future__ import annotations

import copy

import yaml

from tests.cluster.kube import Kube, wait_for
from tests.e2e.e2e_helpers import by_source, pod_metadata
from tests.e2e.helmkit import DEMO_CHART, DEMO_VALUES, RELEASE_LABEL

GENERATED = "helm-vnp/generated.yaml"
MANAGED_BY = "app.kubernetes.io/managed-by"
# what the API server and controllers write, and what differs between two namespaces
_SERVER_META = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "namespace")
_SERVER_ANNOTATIONS = ("deployment.kubernetes.io/revision", "meta.helm.sh/release-namespace")


def manifest(helm, release: str, ns: str) -> dict[str, list[dict]]:
    """`helm get manifest`: source file -> objects."""
    out = helm.run("get", "manifest", release, "-n", ns).stdout
    return {src: [yaml.safe_load(t) for t in texts] for src, texts in by_source(out).items()}


def chart_objects(helm, kube: Kube, release: str, ns: str) -> dict[tuple, dict]:
    """The release's own objects (not vnp's) as the API server holds them."""
    out = {}
    for src, objs in manifest(helm, release, ns).items():
        if src == GENERATED:
            continue
        for obj in objs:
            live = kube.read(obj, ns)
            assert live is not None, f"{obj['kind']} {obj['metadata']['name']} of {src} was not created"
            out[(obj["kind"], obj["metadata"]["name"])] = live
    return out


def normalized(obj: dict) -> dict:
    """OBJ without the release label (wherever it is) and without what the server writes."""
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    meta = obj["metadata"]
    for k in _SERVER_META:
        meta.pop(k, None)
    for k in _SERVER_ANNOTATIONS:
        (meta.get("annotations") or {}).pop(k, None)
    for m in (meta, pod_metadata(obj) or {}):
        (m.get("labels") or {}).pop(RELEASE_LABEL, None)
    if obj["kind"] == "Service":
        for k in ("clusterIP", "clusterIPs"):
            obj["spec"].pop(k, None)
    return obj


def generated_live(helm, kube: Kube, release: str, ns: str) -> list[dict]:
    gen = manifest(helm, release, ns).get(GENERATED, [])
    assert gen, "the release has no generated objects"
    live = []
    for obj in gen:
        got = kube.read(obj, ns)
        assert got is not None, f"generated {obj['kind']} {obj['metadata']['name']} was not created"
        assert got["metadata"]["labels"][RELEASE_LABEL] == release
        # Helm writes its ownership label over the one vnp rendered (helm-vnp), on every object it applies
        assert obj["metadata"]["labels"][MANAGED_BY] == "helm-vnp"
        assert got["metadata"]["labels"][MANAGED_BY] == "Helm"
        for k, v in (obj["metadata"].get("labels") or {}).items():
            if k == MANAGED_BY:
                continue
            assert got["metadata"]["labels"].get(k) == v, f"{obj['kind']}: label {k}"
        live.append(got)
    return live


def by_kind(objs: list[dict]) -> dict[str, dict]:
    return {o["kind"]: o for o in objs}


def pods_of(kube: Kube, ns: str, selector: str) -> list[dict]:
    return kube.list("v1", "Pod", ns, selector)


def test_demo_chart_isolation_on_change_reuse_rollback_uninstall(helm, kube, namespace):
    ns, rel = namespace, "shop"
    small = ["--set", "web.replicas=1"]
    # 1. a plain install: no isolation
    helm.run("install", rel, DEMO_CHART, "-n", ns, *small)
    plain = {k: normalized(v) for k, v in chart_objects(helm, kube, rel, ns).items()}
    assert GENERATED not in manifest(helm, rel, ns)
    assert not kube.list("networking.k8s.io/v1", "NetworkPolicy", ns)

    # 2. isolation turned on by `helm vnp upgrade`
    helm.run("vnp", "upgrade", rel, DEMO_CHART, "-n", ns, "-f", DEMO_VALUES, *small)
    gen = by_kind(generated_live(helm, kube, rel, ns))
    assert sorted(gen) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]
    assert gen["NetworkPolicy"]["metadata"]["labels"]["team"] == "shop"
    assert gen["ResourceQuota"]["spec"]["hard"]["count/pods"] == "30"
    isolated = chart_objects(helm, kube, rel, ns)
    for k, live in isolated.items():
        meta = pod_metadata(live)
        if meta is not None:
            assert meta["labels"][RELEASE_LABEL] == rel, f"{k}: pod template not labelled"
        assert normalized(live) == plain[k], f"{k} differs from the plain install beyond the release label"
    # the controllers create the pods through admission (LimitRange defaults, quota): they carry the label
    pods = wait_for(lambda: pods_of(kube, ns, f"{RELEASE_LABEL}={rel}"), "the web and worker pods")
    assert {p["metadata"]["labels"][RELEASE_LABEL] for p in pods} == {rel}

    # 3. a config change reaches the cluster
    helm.run("vnp", "upgrade", rel, DEMO_CHART, "-n", ns, "-f", DEMO_VALUES, *small,
             "--set", "policies.resourceQuota.quota.count/pods=7")
    assert by_kind(generated_live(helm, kube, rel, ns))["ResourceQuota"]["spec"]["hard"]["count/pods"] == "7"

    # 4. --reuse-values keeps the stored config (count/pods=7) and takes the new chart value
    helm.run("vnp", "upgrade", rel, DEMO_CHART, "-n", ns, "--reuse-values", "--set", "web.replicas=2")
    gen = by_kind(generated_live(helm, kube, rel, ns))
    assert gen["ResourceQuota"]["spec"]["hard"]["count/pods"] == "7"
    assert sorted(gen) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]
    web = kube.read({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "shop-demo-chart-web"}}, ns)
    assert web["spec"]["replicas"] == 2

    # 5. rollback to revision 2 (isolation on, count/pods 30): the stored post-rendered manifest returns
    helm.run("rollback", rel, "2", "-n", ns)
    assert by_kind(generated_live(helm, kube, rel, ns))["ResourceQuota"]["spec"]["hard"]["count/pods"] == "30"
    generated = manifest(helm, rel, ns)[GENERATED]

    # 6. uninstall: every object is gone, the pods too (garbage collector)
    helm.run("uninstall", rel, "-n", ns)
    assert helm.run("get", "manifest", rel, "-n", ns, check=False).returncode != 0, "the release survived"
    for obj in generated:
        assert kube.read(obj, ns) is None, f"{obj['kind']} {obj['metadata']['name']} survived uninstall"
    for k, live in isolated.items():
        assert kube.read(live, ns) is None, f"{k} survived uninstall"
    wait_for(lambda: not pods_of(kube, ns, f"{RELEASE_LABEL}={rel}"), "the release's pods to be deleted", 90)


def test_helm_create_chart_equals_a_plain_install_but_for_the_label(helm, kube, namespace, tmp_path):
    """`helm create`'s chart, installed plainly and through `helm vnp install` in two namespaces."""
    helm.run("create", "web", cwd=tmp_path)
    chart = tmp_path / "web"
    values = tmp_path / "vnp.yaml"
    values.write_text(yaml.safe_dump({"policies": {
        "networkPolicy": {"enabled": True},
        "resourceQuota": {"enabled": True, "quota": {"count/pods": "10", "requests.cpu": "2", "limits.cpu": "4",
                                                     "requests.memory": "2Gi", "limits.memory": "4Gi"}},
        "limitRange": {"default": {"cpu": "200m", "memory": "128Mi"},
                       "defaultRequest": {"cpu": "50m", "memory": "64Mi"}}}}))
    plain_ns = namespace + "-plain"
    kube.create_namespace(plain_ns)
    try:
        helm.run("install", "web", chart, "-n", plain_ns)
        helm.run("vnp", "install", "web", chart, "-n", namespace, "-f", values)
        plain = {k: normalized(v) for k, v in chart_objects(helm, kube, "web", plain_ns).items()}
        isolated = chart_objects(helm, kube, "web", namespace)
        assert sorted(plain) == sorted(isolated)
        for k, live in isolated.items():
            assert normalized(live) == plain[k], f"{k} differs from the plain install beyond the release label"
        gen = by_kind(generated_live(helm, kube, "web", namespace))
        assert sorted(gen) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]
        pods = wait_for(lambda: pods_of(kube, namespace, f"{RELEASE_LABEL}=web"), "the web pod")
        # the LimitRange defaults the cluster wrote are vnp's (the chart sets no resources): the configured keys
        # merged into vnp's defaults
        item = gen["LimitRange"]["spec"]["limits"][0]
        res = pods[0]["spec"]["containers"][0]["resources"]
        # Helm 3 creates objects in stream order: vnp puts its objects before the workloads there, so the first
        # pods get the LimitRange's defaults on both Helm versions
        assert res == {"limits": item["default"], "requests": item["defaultRequest"]}
        assert res["limits"]["cpu"] == "200m" and res["requests"]["memory"] == "64Mi"
        generated = manifest(helm, "web", namespace)[GENERATED]
        helm.run("uninstall", "web", "-n", namespace)
        for obj in generated:
            assert kube.read(obj, namespace) is None, f"{obj['kind']} survived uninstall"
        for k, live in isolated.items():
            assert kube.read(live, namespace) is None, f"{k} survived uninstall"
        wait_for(lambda: not pods_of(kube, namespace, f"{RELEASE_LABEL}=web"), "the pod to be deleted", 90)
    finally:
        kube.request("DELETE", f"/api/v1/namespaces/{plain_ns}")
