"""quota.fit on purpose-built releases: each way a release can overflow its namespace quota."""
from __future__ import annotations

from helm_vnp.rules import quota_fit
from tests.builders import (
    config_map,
    container,
    cron_job,
    daemon_set,
    hpa,
    job,
    pod,
    pvc,
    resource_quota,
    secret,
    service,
    stateful_set,
    stream,
)
from tests.rules.rulekit import QUOTA_ON, deployment, run


def _lr(limit_range: str) -> str:
    return "  limitRange:\n" + (limit_range or "    enabled: false\n")


def Q(*entries: str, lr: str = "") -> str:
    """A config whose quota is exactly ``entries`` (the defaults removed), LimitRange as given."""
    body = "".join(f"      {e}\n" for e in entries)
    nulls = "".join(f'      "{k}": null\n' for k in DEFAULT_KEYS
                    if not any(e.startswith((k + ":", f'"{k}":')) for e in entries))
    return f"{QUOTA_ON}    quota:\n{body}{nulls}" + _lr(lr)


DEFAULT_KEYS = ["requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu",
                "limits.memory", "limits.ephemeral-storage", "services.nodeports", "services.loadbalancers",
                "count/endpoints", "count/pods", "count/services", "count/secrets", "count/configmaps",
                "count/persistentvolumeclaims"]
LR_DEFAULTS = "    enabled: true\n"


def by_key(found) -> dict:
    """quota key -> finding (the key is what every quota message starts with)."""
    return {f.message.split(":")[0]: f for f in found}


def test_reference_quota_fits_a_small_release():
    assert run(quota_fit, deployment(replicas=2), f"{QUOTA_ON}") == []


def test_too_many_replicas_is_an_error_naming_the_heaviest_workloads():
    stream = deployment("big", replicas=18) + deployment("mid", replicas=2) + deployment("small", replicas=1)
    found = by_key(run(quota_fit, stream, QUOTA_ON))
    f = found["count/pods"]
    # the reference LimitRange gives every container a 1 CPU limit: 21 of 20 as well
    assert found["limits.cpu"].severity == "error" and "needs 21 but" in found["limits.cpu"].message
    assert f.severity == "error" and f.object.kind == "ResourceQuota" and f.object.name == "vnp-rel"
    assert f.message.startswith("count/pods: the release needs 21 but ResourceQuota vnp-rel allows 20 (over by 1)")
    assert "Deployment big 18 (18 replicas); Deployment mid 2 (2 replicas); Deployment small 1" in f.message


def test_above_headroom_is_a_warning_and_the_threshold_is_an_option():
    f = by_key(run(quota_fit, deployment(replicas=17), QUOTA_ON))["count/pods"]
    assert f.severity == "warning" and "count/pods: the release needs 17 of the 20" in f.message and "85%" in f.message
    assert run(quota_fit, deployment(replicas=17), QUOTA_ON, options={"headroom": 0.9}) == []
    assert run(quota_fit, deployment(replicas=16), QUOTA_ON) == []  # exactly 80%: not above


def test_hpa_max_replicas_counts():
    web_hpa = stream(hpa("web", target=("apps/v1", "Deployment", "web"), min_replicas=2, max_replicas=30))
    f = by_key(run(quota_fit, deployment(replicas=2) + web_hpa, QUOTA_ON))["count/pods"]
    assert (f.severity == "error" and "over by 10" in f.message
            and "maxReplicas 30 of HorizontalPodAutoscaler web" in f.message)
    other = stream(hpa("x", target=("apps/v1", "Deployment", "other"), min_replicas=2, max_replicas=30))
    assert run(quota_fit, deployment(replicas=2) + other, QUOTA_ON) == []


def test_limitrange_defaults_are_charged_to_containers_without_resources():
    config = Q("requests.memory: 256Mi", lr=LR_DEFAULTS)  # default request 128Mi per container
    [f] = run(quota_fit, deployment(replicas=3), config)
    assert ("requests.memory: the release needs 384Mi but ResourceQuota vnp-rel allows 256Mi (over by 128Mi)"
            in f.message)
    [f] = run(quota_fit, deployment(replicas=2), config)
    assert f.severity == "warning" and "needs 256Mi of the 256Mi" in f.message
    assert run(quota_fit, deployment(replicas=1), config) == []


def test_init_containers_count_as_their_peak_and_sidecars_add_up():
    def cpu(name: str, amount: str, **kw) -> dict:
        return container(name, "x", requests={"cpu": amount}, limits={"cpu": amount}, **kw)

    containers = [cpu("a", "300m"), cpu("b", "300m")]
    init = [cpu("migrate", "1200m")]
    config = Q('requests.cpu: "1"', 'limits.cpu: "1"')
    assert run(quota_fit, deployment(containers=containers), config) == []
    found = run(quota_fit, deployment(containers=containers, init_containers=init), config)
    assert {f.message.split(":")[0] for f in found} == {"requests.cpu", "limits.cpu"}
    assert all("needs 1200m" in f.message for f in found)
    sidecar = [cpu("proxy", "500m", restart_policy="Always")]
    found = run(quota_fit, deployment(containers=containers, init_containers=sidecar), config)
    assert any("requests.cpu: the release needs 1100m" in f.message for f in found)


def test_jobs_cronjobs_daemonsets_and_hooks():
    release = stream(
        job("batch", annotations={"helm.sh/hook": "pre-install"}, parallelism=5, completions=10,
            restart_policy="Never", containers=[container("j", "x")]),
        cron_job("nightly", schedule="@daily", concurrency_policy="Forbid", parallelism=2, restart_policy="Never",
                 containers=[container("c", "x")]),
        daemon_set("agent", pod_labels={"a": "b"}, containers=[container("d", "x")]),
        pod("smoke", annotations={"helm.sh/hook": "test"}, containers=[container("t", "x")]))
    config = Q('pods: "8"')
    [f] = run(quota_fit, release, config, options={"nodes": 2})
    # pods (not finished) at peak: 5 (hook Job) + 2 (one CronJob run) + 2 (DaemonSet on 2 nodes);
    # the test hook Pod is not installed
    assert f.message.startswith("pods: the release needs 9 but") and "DaemonSets counted on 2 nodes" in f.message
    assert "Job batch 5 (parallelism 5" in f.message and "Pod smoke" not in f.message
    # count/pods counts finished pods too: the Job's 10 completions stay, the CronJob keeps 3 finished runs
    [f] = run(quota_fit, release, Q('count/pods: "8"'), options={"nodes": 2})
    assert f.message.startswith("count/pods: the release needs 20 but"), f.message  # 10 + (2 + 3 × 2) + 2
    assert "Job batch 10 (parallelism 5; 10 pods in all (completions))" in f.message
    assert "3 finished runs kept (successfulJobsHistoryLimit)" in f.message


def test_a_bare_pod_counts_once():
    solo, duo = (pod(name, containers=[container("c", "x")]) for name in ("solo", "duo"))
    assert run(quota_fit, stream(solo), Q('count/pods: "1"', 'pods: "1"'), options={"headroom": 1}) == []
    [f] = run(quota_fit, stream(solo, duo), Q('count/pods: "1"'))
    assert f.message.startswith("count/pods: the release needs 2 but"), f.message


def test_load_balancer_without_allocation_still_charges_named_node_ports():
    lb = stream(service("lb", type="LoadBalancer", allocate_load_balancer_node_ports=False,
                        ports=[{"port": 80, "nodePort": 30080}, 443]))
    found = run(quota_fit, lb, QUOTA_ON)
    assert any(f.message.startswith("services.nodeports: the release needs 1 but") for f in found), found


def test_node_ports_load_balancers_and_allocate_false():
    node_port = stream(service("np", type="NodePort", ports=[80, 443], selector={"app": "web"}))
    found = run(quota_fit, node_port, QUOTA_ON)
    assert [f.message.split(" (over")[0] for f in found] == [
        "services.nodeports: the release needs 2 but ResourceQuota vnp-rel allows 0"]
    lb = stream(service("lb", type="LoadBalancer", allocate_load_balancer_node_ports=False, ports=[80, 443],
                        selector={"app": "web"}))
    [f] = run(quota_fit, lb, QUOTA_ON)  # no node ports; 1 of 1 load balancer is above the headroom
    assert f.severity == "warning" and f.message.startswith("services.loadbalancers: the release needs 1 of the 1")


def test_helms_release_secret_counts():
    secrets = stream(*(secret(f"s{i}", string_data={"k": "topsecret"}) for i in range(2)))
    [f] = run(quota_fit, secrets, Q('count/secrets: "2"'))
    assert "needs 3 but" in f.message and "Helm's release Secret sh.helm.release.v1.rel.v1 1" in f.message
    assert "topsecret" not in f.message


def test_volume_claim_templates_times_replicas_and_storage():
    claim = {"metadata": {"name": "data"},
             "spec": {"resources": {"requests": {"storage": "5Gi"}}, "storageClassName": "fast"}}
    sts = stateful_set("db", replicas=3, volume_claim_templates=[claim], containers=[container("pg", "x")])
    quota = Q("requests.storage: 10Gi", 'count/persistentvolumeclaims: "3"',
              'fast.storageclass.storage.k8s.io/requests.storage: 16Gi')
    found = run(quota_fit, stream(sts, pvc("extra", "1Gi")), quota)
    text = "\n".join(f.message for f in found)
    assert "requests.storage: the release needs 16Gi but ResourceQuota vnp-rel allows 10Gi (over by 6Gi)" in text
    assert "count/persistentvolumeclaims: the release needs 4 but" in text
    assert "fast.storageclass.storage.k8s.io/requests.storage: the release needs 15Gi of the 16Gi" in text


def test_objects_in_other_namespaces_do_not_count():
    def cms(namespace: str) -> str:
        return stream(*(config_map(f"c{i}", namespace=namespace) for i in range(5)))
    # the namespace's own kube-root-ca.crt is the one ConfigMap charged
    assert run(quota_fit, cms("elsewhere"), Q('count/configmaps: "2"'), options={"headroom": 1}) == []
    [f] = run(quota_fit, cms("team"), Q('count/configmaps: "2"'))
    assert "needs 6 but" in f.message  # 5 + kube-root-ca.crt


def test_group_count_keys():
    found = run(quota_fit, deployment("a") + deployment("b"),
                Q('count/deployments.apps: "1"', 'count/replicasets.apps: "1"'))
    assert sorted(f.message.split(":")[0] for f in found) == ["count/deployments.apps", "count/replicasets.apps"]


def test_must_specify_when_no_limitrange_fills_in():
    [f] = run(quota_fit, deployment(), Q('limits.cpu: "10"'))
    assert f.severity == "error" and f.container == "app" and "must specify limits.cpu" in f.message
    assert f.object.kind == "Deployment"
    assert run(quota_fit, deployment(), Q('limits.cpu: "10"', lr=LR_DEFAULTS)) == []


def test_scoped_quota_counts_only_matching_pods():
    best_effort = deployment("be", replicas=3)
    limited = [container("app", "x", limits={"cpu": "100m", "memory": "64Mi"})]
    guaranteed = deployment("g", replicas=3, containers=limited)
    config = Q('count/pods: "2"').replace("    quota:", "    scopes: [BestEffort]\n    quota:")
    [f] = run(quota_fit, best_effort + guaranteed, config)
    assert "ResourceQuota vnp-rel (scoped)" in f.message and "needs 3 but" in f.message
    pc = Q('count/pods: "2"').replace("    quota:", "    scopeSelector:\n      matchExpressions:\n"
                                       "      - {scopeName: PriorityClass, operator: In, values: [high]}\n    quota:")
    assert run(quota_fit, best_effort + guaranteed, pc) == []
    high = deployment("g", replicas=3, containers=limited, priority_class_name="high")
    assert len(run(quota_fit, high, pc)) == 1


def test_a_quota_the_chart_renders_applies_too():
    rq = stream(resource_quota("own", {"pods": "1"}))
    [f] = run(quota_fit, rq + deployment(replicas=2), "")
    assert (f.object.name == "own" and f.source.file == "chart.yaml"
            and f.message.startswith("pods: the release needs 2"))


def test_pod_level_resources_stand_for_the_containers():
    """Kubernetes 1.34+ (PodLevelResources): spec.resources is the pod's total; containers need not specify."""
    pod_level = deployment("web", replicas=2, resources={"requests": {"cpu": "2", "memory": "1Gi"},
                                                         "limits": {"cpu": "2", "memory": "1Gi"}})
    found = run(quota_fit, pod_level, Q('requests.cpu: "3"', 'limits.memory: "4Gi"'))
    assert [f.message.split(" (over")[0] for f in found] == [
        "requests.cpu: the release needs 4 but ResourceQuota vnp-rel allows 3"]


def test_generic_ephemeral_volumes_are_claims_per_pod():
    claim = {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}}}
    eph = deployment("scratch", replicas=5, volumes=[{"name": "tmp", "ephemeral": {"volumeClaimTemplate": claim}}])
    found = run(quota_fit, eph, Q('count/persistentvolumeclaims: "2"', 'requests.storage: "20Gi"'))
    assert sorted(f.message.split(" (over")[0] for f in found) == [
        "count/persistentvolumeclaims: the release needs 5 but ResourceQuota vnp-rel allows 2",
        "requests.storage: the release needs 50Gi but ResourceQuota vnp-rel allows 20Gi"]
