"""limitrange.fit: containers the API server would reject under the namespace's LimitRanges."""
from __future__ import annotations

from helm_vnp.rules import limitrange_fit
from tests.builders import container, limit_range, pvc, stream
from tests.rules.rulekit import QUOTA_ON, deployment, run


def res(requests: dict | None = None, limits: dict | None = None, name: str = "app") -> dict:
    return container(name, "x", requests=requests, limits=limits)


def test_request_above_the_defaulted_limit_is_rejected():
    [f] = run(limitrange_fit, deployment(containers=[res({"memory": "1Gi"})]), QUOTA_ON)
    assert f.severity == "error" and f.container == "app" and f.object.name == "web"
    assert "memory request 1Gi exceeds its limit 512Mi (the limit is LimitRange vnp-rel's default)" in f.message


def test_explicit_limit_or_no_limitrange_is_fine():
    assert run(limitrange_fit, deployment(containers=[res({"memory": "1Gi"}, {"memory": "1Gi"})]), QUOTA_ON) == []
    assert run(limitrange_fit, deployment(containers=[res({"memory": "1Gi"})]), "") == []
    assert run(limitrange_fit, deployment(), QUOTA_ON) == []  # defaults only: always consistent


MIN_MAX = QUOTA_ON + "  limitRange:\n    max: {cpu: '2'}\n    min: {memory: 64Mi}\n"


def test_min_and_max_use_the_api_servers_words():
    too_much = res({"cpu": "100m", "memory": "32Mi"}, {"cpu": "4", "memory": "64Mi"})
    [f] = run(limitrange_fit, deployment(containers=[too_much]), MIN_MAX)
    assert "maximum cpu usage per Container is 2, but limit is 4" in f.message
    assert "minimum memory usage per Container is 64Mi, but request is 32Mi" in f.message
    fits = res({"cpu": "100m", "memory": "64Mi"}, {"cpu": "2"})
    assert run(limitrange_fit, deployment(containers=[fits]), MIN_MAX) == []


def test_init_containers_and_chart_limitranges_count():
    lr = stream(limit_range("chart-lr", {"type": "Container", "max": {"memory": "256Mi"}},
                            {"type": "Pod", "max": {"cpu": "1"}}))
    init = [res(limits={"memory": "1Gi"}, name="setup")]
    two = [res(limits={"cpu": "800m", "memory": "128Mi"}, name=name) for name in ("a", "b")]
    found = run(limitrange_fit, lr + deployment(containers=two, init_containers=init), "")
    messages = {f.container: f.message for f in found}
    assert "maximum memory usage per Container is 256Mi, but limit is 1Gi" in messages["setup"]
    assert "init container setup" in messages["setup"]
    assert "maximum cpu usage per Pod is 1, but limit is 1600m" in messages[None]


def test_pvc_storage_bounds():
    lr = stream(limit_range("storage", {"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"},
                                         "max": {"storage": "10Gi"}}))
    [f] = run(limitrange_fit, lr + stream(pvc("big", "50Gi")), "")
    assert (f.object.name == "big"
            and "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 50Gi" in f.message)
    assert run(limitrange_fit, lr + stream(pvc("big", "5Gi")), "") == []
