"""Every registered kind is labelled where its pods get their labels, with the post-render guarantees
(``tests.property.postrender_oracle``: the input plus the label and nothing else, idempotent), and
read back by the model lint and graph use."""
from __future__ import annotations

import pytest

from helm_vnp.config.defaults import DEFAULT_POLICIES
from helm_vnp.config.normalise import build
from helm_vnp.k8s.pod_creators import REGISTRY, creator_for, find_sources, parse_path, pod_count
from helm_vnp.release.build import build_release
from helm_vnp.release.quota_usage import contributors
from helm_vnp.stream import split
from tests.property.postrender_oracle import check_post_render

LABEL = "vnp.helm-plugin.io/release"


def _policies(**over) -> dict:
    import copy
    raw = copy.deepcopy(DEFAULT_POLICIES)
    raw["networkPolicy"]["enabled"] = True
    raw.update(over)
    return build(raw)


POD = "      spec:\n        containers:\n        - name: c\n          image: i\n"

CASES = {
    "RayCluster": ("ray.io/v1", "spec:\n  headGroupSpec:\n    template:\n      metadata:\n"
                   "        labels: {role: head}\n" + POD + "  workerGroupSpecs:\n  - groupName: a\n    replicas: 2\n"
                   "    template:\n" + POD + "  - groupName: b\n    template:\n"
                   "      metadata: {labels: {g: b}}\n" + POD, 3),
    "PyTorchJob": ("kubeflow.org/v1", "spec:\n  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n      template:\n"
                   + POD.replace("\n      ", "\n        ").replace("      spec:", "        spec:", 1)
                   + "    Worker:\n      replicas: 4\n      template:\n"
                   + POD.replace("\n      ", "\n        ").replace("      spec:", "        spec:", 1), 2),
    "JobSet": ("jobset.x-k8s.io/v1alpha2", "spec:\n  replicatedJobs:\n  - name: w\n    replicas: 2\n    template:\n"
               "      spec:\n        parallelism: 3\n        template:\n"
               + POD.replace("\n      ", "\n          ").replace("      spec:", "          spec:", 1), 1),
    "FlinkDeployment": ("flink.apache.org/v1beta1", "spec:\n  image: flink:1.19\n  jobManager:\n    replicas: 1\n"
                        "  taskManager:\n    replicas: 2\n", 1),
    "Prometheus": ("monitoring.coreos.com/v1", "spec:\n  replicas: 2\n  shards: 2\n  resources:\n"
                   "    requests: {cpu: 500m, memory: 1Gi}\n", 1),
    "Workflow": ("argoproj.io/v1alpha1", "spec:\n  entrypoint: main\n  templates:\n  - name: main\n"
                 "    container: {image: i}\n  - name: other\n    metadata:\n      labels: {x: y}\n"
                 "    script: {image: i, source: echo}\n", 3),
    "LeaderWorkerSet": ("leaderworkerset.x-k8s.io/v1", "spec:\n  replicas: 2\n  leaderWorkerTemplate:\n    size: 4\n"
                        "    workerTemplate:\n" + POD.replace("\n      ", "\n        ").replace(
                            "      spec:", "        spec:", 1), 1),
    "SparkApplication": ("sparkoperator.k8s.io/v1beta2", "spec:\n  driver:\n    cores: 1\n  executor:\n"
                         "    instances: 3\n    labels: {version: 3.5.0}\n", 2),
    "ScaledJob": ("keda.sh/v1alpha1", "spec:\n  jobTargetRef:\n    template:\n" + POD.replace(
        "\n      ", "\n        ").replace("      spec:", "        spec:", 1), 1),
    "DeploymentConfig": ("apps.openshift.io/v1", "spec:\n  replicas: 2\n  template:\n    metadata:\n"
                         "      labels: {app: dc}\n" + POD.replace("      ", "    ", 1), 1),
    "VirtualMachinePool": ("pool.kubevirt.io/v1alpha1", "spec:\n  replicas: 3\n  virtualMachineTemplate:\n"
                           "    spec:\n      template:\n        spec:\n          domain: {devices: {}}\n", 1),
    "VirtualMachineInstance": ("kubevirt.io/v1", "spec:\n  domain:\n    devices: {}\n", 1),
}


def _doc(kind: str) -> str:
    api, body, _ = CASES[kind]
    return f"---\n# Source: chart/templates/{kind.lower()}.yaml\napiVersion: {api}\nkind: {kind}\nmetadata:\n" \
           f"  name: x\n{body}"


@pytest.mark.parametrize("kind", sorted(CASES))
def test_labelled_at_every_place_with_the_guarantees(kind):
    data = _doc(kind).encode()
    result = check_post_render(data, _policies())
    obj = split(result.docs[0].raw)[0].obj
    places = find_sources(obj, creator_for(obj["apiVersion"], kind))
    assert len(places) == CASES[kind][2]
    assert all(p.labels.get(LABEL) == "rel" for p in places), [p.where for p in places]
    assert result.docs[0].raw.count(LABEL.encode()) == CASES[kind][2], "one label per place, nothing else"


def test_a_json_document_is_labelled_through_list_indices():
    data = (b'{"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": {"name": "r"}, "spec": '
            b'{"workerGroupSpecs": [{"groupName": "a", "template": {"spec": {"containers": []}}}, '
            b'{"groupName": "b", "template": {"metadata": {"labels": {"g": "b"}}, "spec": {}}}]}}\n')
    result = check_post_render(data, _policies())
    assert result.docs[0].raw.count(LABEL.encode()) == 2


def test_every_registry_entry_is_well_formed():
    seen = set()
    for entry in REGISTRY:
        assert entry.cite and "." in entry.group, entry
        assert (entry.group, entry.kind) not in seen
        seen.add((entry.group, entry.kind))
        for source in entry.sources:
            assert bool(source.template) != bool(source.labels)
            assert source.labels == "" or source.labels.endswith(".labels")
            parse_path(source.template or source.labels)
            for path, _ in source.count:
                assert not path or parse_path(path)


def test_replicas_follow_the_wildcard_that_found_the_template():
    obj = split(_doc("RayCluster").encode())[0].obj
    counts = [pod_count(obj, f)[0] for f in find_sources(obj, creator_for("ray.io/v1", "RayCluster"))]
    assert counts == [1, 2, 1]  # head; worker group a (replicas 2); b (default 1)


def test_the_model_sees_custom_pods_and_quota_counts_them():
    stream = _doc("Prometheus") + "---\napiVersion: virtualization.deckhouse.io/v1alpha2\nkind: VirtualMachine\n" \
        "metadata:\n  name: vm\n  labels: {vm: a}\nspec:\n  cpu: {cores: 2, coreFraction: 50%}\n  memory: {size: 4Gi}\n"
    policies = _policies()
    release = build_release(split(stream.encode()), policies, "rel", "team")
    pods = {ps.label(): ps for ps in release.pods}
    assert set(pods) == {"Prometheus x (spec.podMetadata.labels)", "VirtualMachine vm (metadata.labels)"}
    assert pods["VirtualMachine vm (metadata.labels)"].labels == {LABEL: "rel", "vm": "a"}
    usage = {c.label: c.usage for c in contributors(release, [], 1)}
    prom = usage["Prometheus x (spec.podMetadata.labels)"]
    assert prom["pods"] == 4 and prom["requests.cpu"] == 2  # replicas 2 × shards 2, 500m each
    vm = usage["VirtualMachine vm (metadata.labels)"]
    assert vm["pods"] == 1 and vm["requests.cpu"] == 1 and vm["requests.memory"] == 4 * 2 ** 30


def test_workload_selectors_select_a_vm_by_its_labels_and_warn_about_several_templates():
    from helm_vnp.release.pipeline import post_render
    stream = "---\napiVersion: virtualization.deckhouse.io/v1alpha2\nkind: VirtualMachine\nmetadata:\n  name: vm\n" \
        "  labels: {vm: a}\nspec: {}\n" + _doc("RayCluster")
    result = post_render(stream.encode(), _policies(selection="workloadSelectors"), "rel", "team")
    assert LABEL.encode() not in b"".join(d.raw for d in result.docs), "workloadSelectors labels nothing"
    selectors = [g["spec"]["podSelector"] for g in result.generated if g["kind"] == "NetworkPolicy"]
    assert {"matchLabels": {"vm": "a"}} in selectors
    assert any("RayCluster" == w.objects[0].kind and "not isolated" in w.message for w in result.warnings)
