"""limitrange.fit: containers the API server would reject under the namespace's LimitRanges."""
from __future__ import annotations

from helm_vnp.checks.rules import limitrange_fit
from tests.rules.rulekit import QUOTA_ON, deployment, run


def res(requests: str = "", limits: str = "", name: str = "app") -> str:
    parts = [f"requests: {{{requests}}}" if requests else "", f"limits: {{{limits}}}" if limits else ""]
    body = ", ".join(p for p in parts if p)
    return f"        - name: {name}\n          image: x\n          resources: {{{body}}}\n"


def test_request_above_the_defaulted_limit_is_rejected():
    [f] = run(limitrange_fit, deployment(containers=res("memory: 1Gi")), QUOTA_ON)
    assert f.severity == "error" and f.container == "app" and f.object.name == "web"
    assert "memory request 1Gi exceeds its limit 512Mi (the limit is LimitRange vnp-rel's default)" in f.message


def test_explicit_limit_or_no_limitrange_is_fine():
    assert run(limitrange_fit, deployment(containers=res("memory: 1Gi", "memory: 1Gi")), QUOTA_ON) == []
    assert run(limitrange_fit, deployment(containers=res("memory: 1Gi")), "") == []
    assert run(limitrange_fit, deployment(), QUOTA_ON) == []  # defaults only: always consistent


MIN_MAX = QUOTA_ON + "  limitRange:\n    max: {cpu: '2'}\n    min: {memory: 64Mi}\n"


def test_min_and_max_use_the_api_servers_words():
    [f] = run(limitrange_fit, deployment(containers=res("cpu: 100m, memory: 32Mi", "cpu: '4', memory: 64Mi")), MIN_MAX)
    assert "maximum cpu usage per Container is 2, but limit is 4" in f.message
    assert "minimum memory usage per Container is 64Mi, but request is 32Mi" in f.message
    assert run(limitrange_fit, deployment(containers=res("cpu: 100m, memory: 64Mi", "cpu: '2'")), MIN_MAX) == []


def test_init_containers_and_chart_limitranges_count():
    lr = ("---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: chart-lr}\nspec:\n  limits:\n"
          "  - {type: Container, max: {memory: 256Mi}}\n  - {type: Pod, max: {cpu: '1'}}\n")
    init = "      initContainers:\n" + res(limits="memory: 1Gi", name="setup").replace("        -", "        -", 1)
    two = res(limits="cpu: 800m, memory: 128Mi", name="a") + res(limits="cpu: 800m, memory: 128Mi", name="b")
    found = run(limitrange_fit, lr + deployment(containers=two, extra_spec=init), "")
    messages = {f.container: f.message for f in found}
    assert "maximum memory usage per Container is 256Mi, but limit is 1Gi" in messages["setup"]
    assert "init container setup" in messages["setup"]
    assert "maximum cpu usage per Pod is 1, but limit is 1600m" in messages[None]


def test_pvc_storage_bounds():
    lr = ("---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: storage}\nspec:\n  limits:\n"
          "  - {type: PersistentVolumeClaim, min: {storage: 1Gi}, max: {storage: 10Gi}}\n")
    pvc = "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: big}\nspec: {resources: {requests: {storage: 50Gi}}}\n"
    [f] = run(limitrange_fit, lr + pvc, "")
    assert f.object.name == "big" and "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 50Gi" in f.message
    assert run(limitrange_fit, lr + pvc.replace("50Gi", "5Gi"), "") == []
