"""Every object vnp generates, applied to the real API server with a server-side dry run
(`?dryRun=All`: validation and admission run, nothing is stored): the examples' configs, and
random configs that the schema accepts (hypothesis).  A config the schema accepts and the API
server refuses is a bug in one of the two."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helm_vnp.base.errors import VnpError
from helm_vnp.config import ValuesInput, load_config
from helm_vnp.generate import generate_all
from tests.cluster.kube import ApiError, Kube
from tests.property.test_config_properties import values as any_values

REPO = Path(__file__).resolve().parents[2]
NAMESPACE = "vnp-dry-run"


def example_configs() -> list[tuple[str, str]]:
    """(where, values text): examples/values.yaml, the other values files in the repository that carry a
    `policies:` block, and every ```yaml block of the README and docs/ that has one."""
    out = [(str(p.relative_to(REPO)), p.read_text()) for p in (
        REPO / "examples" / "values.yaml", REPO / "benchmarks" / "values-bench.yaml",
        REPO / "tests" / "e2e" / "values-hooks.yaml")]
    for doc in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        for i, m in enumerate(re.finditer(r"^```ya?ml\n(.*?)^```", doc.read_text(), flags=re.M | re.S)):
            if re.search(r"^policies:", m.group(1), flags=re.M):
                out.append((f"{doc.relative_to(REPO)} yaml block {i + 1}", m.group(1)))
    return out


@pytest.fixture(scope="module")
def dry_ns(kube) -> str:
    try:
        kube.create_namespace(NAMESPACE)
    except ApiError as e:
        if e.status != 409:
            raise
    return NAMESPACE


def dry_run_all(kube: Kube, objs: list[dict], where: str) -> None:
    for obj in objs:
        try:
            kube.create(obj, NAMESPACE, dry_run=True)
        except ApiError as e:
            raise AssertionError(f"{where}: the API server refuses generated {obj['kind']} "
                                 f"{obj['metadata']['name']}: {e.message}\n{yaml.safe_dump(obj)}") from None


def load(tmp_path: Path, text: str):
    path = tmp_path / "values.yaml"
    path.write_text(text)
    return load_config(ValuesInput([str(path)]), use_cache=False)


@pytest.mark.parametrize("where,text", example_configs(), ids=lambda v: v if "\n" not in v else "")
def test_example_configs_pass_server_side_dry_run(kube, dry_ns, tmp_path, where, text):
    try:
        loaded = load(tmp_path, text)
    except VnpError:
        pytest.skip(f"{where}: not a complete config (a fragment)")
    objs = generate_all(loaded.policies, "shop", NAMESPACE, [])
    if not objs:
        pytest.skip(f"{where} enables no generated object")
    dry_run_all(kube, objs, where)


# --- random configs the schema accepts -------------------------------------------------------------

_quantity = st.sampled_from(["0", "1", "2", "100m", "250m", "1500m", "64Mi", "128Mi", "1Gi", "2Gi", "10", "0.5",
                             "1e3", "+1", ".5", "3k", "20M"])
_resource = st.sampled_from(["cpu", "memory", "ephemeral-storage", "storage", "nvidia.com/gpu",
                             "hugepages-2Mi"])
_quota_key = st.sampled_from(["requests.cpu", "limits.cpu", "requests.memory", "limits.memory", "cpu", "memory",
                              "pods", "count/pods", "count/services", "services.nodeports",
                              "services.loadbalancers", "requests.storage", "persistentvolumeclaims",
                              "count/deployments.apps", "count/jobs.batch", "requests.nvidia.com/gpu",
                              "count/persistentvolumeclaims", "configmaps", "secrets",
                              "requests.ephemeral-storage"])
_names = st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_label_keys = st.one_of(_names, st.builds(lambda a, b: f"{a}.io/{b}", _names, _names))
_labels = st.dictionaries(_label_keys, st.one_of(_names, st.just("")), max_size=3)
_cidr4 = st.builds(lambda a, b, n: f"{a}.{b}.0.0/{n}", st.integers(1, 223), st.integers(0, 255), st.integers(16, 24))
_cidr6 = st.sampled_from(["2001:db8::/32", "fd00::/8", "2600::/16"])
_selector = st.one_of(
    st.builds(lambda m: {"matchLabels": m}, _labels),
    st.builds(lambda k, op, vs: {"matchExpressions": [{"key": k, "operator": op, "values": vs}]},
              _label_keys, st.sampled_from(["In", "NotIn"]), st.lists(_names, min_size=1, max_size=2)),
    st.builds(lambda k, op: {"matchExpressions": [{"key": k, "operator": op}]}, _label_keys,
              st.sampled_from(["Exists", "DoesNotExist"])))
_port = st.one_of(
    st.fixed_dictionaries({"port": st.integers(1, 65535)}, optional={"protocol": st.sampled_from(["TCP", "UDP",
                                                                                                    "SCTP"])}),
    st.builds(lambda p, n: {"port": p, "endPort": p + n, "protocol": "TCP"}, st.integers(1, 60000),
              st.integers(0, 5000)),
    st.builds(lambda n: {"port": n}, _names.filter(lambda s: len(s) <= 15 and not s[0].isdigit())))
_peer = st.one_of(
    st.builds(lambda c: {"ipBlock": {"cidr": c}}, st.one_of(_cidr4, _cidr6)),
    st.builds(lambda s: {"podSelector": s}, _selector),
    st.builds(lambda s: {"namespaceSelector": s}, _selector),
    st.builds(lambda a, b: {"namespaceSelector": a, "podSelector": b}, _selector, _selector))


def _rule(direction: str):
    return st.fixed_dictionaries({}, optional={"ports": st.lists(_port, min_size=1, max_size=2),
                                              direction: st.lists(_peer, min_size=1, max_size=2)})


_network = st.fixed_dictionaries({"enabled": st.just(True)}, optional={
    "fallbackDns": st.sampled_from(["", "8.8.8.8", "1.1.1.1"]),
    "labels": _labels, "annotations": st.dictionaries(_label_keys, st.text(max_size=10), max_size=2),
    "dns": st.fixed_dictionaries({}, optional={
        "preset": st.sampled_from(["kube-dns", "nodelocal", "openshift", "vcluster"]),
        "ports": st.lists(st.integers(1, 65535), min_size=1, max_size=2, unique=True)}),
    "workload": st.fixed_dictionaries({}, optional={
        "publicEgress": st.fixed_dictionaries({}, optional={"enabled": st.booleans(),
                                                            "cidr": st.sampled_from(["0.0.0.0/0", "", "8.0.0.0/8"])}),
        "ingress": st.lists(_rule("from"), max_size=2), "egress": st.lists(_rule("to"), max_size=2)}),
})
_quota = st.fixed_dictionaries({"enabled": st.booleans()}, optional={
    "quota": st.dictionaries(_quota_key, st.one_of(_quantity, st.none()), max_size=4),
    "scopes": st.lists(st.sampled_from(["Terminating", "NotTerminating", "BestEffort", "NotBestEffort"]),
                       max_size=1, unique=True),
    "labels": _labels})
_limits = st.dictionaries(_resource, _quantity, max_size=2)
_limit_range = st.fixed_dictionaries({}, optional={
    "enabled": st.sampled_from([True, False, "auto"]), "default": _limits, "defaultRequest": _limits,
    "min": _limits, "max": _limits, "labels": _labels})
valid_looking = st.fixed_dictionaries({}, optional={
    "podSecurityStandard": st.sampled_from(["", "privileged", "baseline", "restricted"]),
    "selection": st.sampled_from(["podLabel", "workloadSelectors"]),
    "networkPolicy": _network, "resourceQuota": _quota, "limitRange": _limit_range}).map(lambda p: {"policies": p})


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(st.one_of(valid_looking, valid_looking, valid_looking, any_values()))
def test_schema_accepted_configs_pass_server_side_dry_run(kube, dry_ns, tmp_path, values):
    try:
        loaded = load(tmp_path, yaml.safe_dump(values))
    except VnpError:
        assume(False)  # the schema refuses it: not this test's business
        return
    objs = generate_all(loaded.policies, "rel", NAMESPACE, [])
    dry_run_all(kube, objs, "config\n" + yaml.safe_dump(values))


CORPUS_STREAMS = {"cert-manager.yaml": "cert-manager", "ingress-nginx.yaml": "ingress-nginx",
                  "kube-prometheus-stack.yaml": "monitoring", "kube-prometheus-stack-with-crds.yaml": "monitoring"}
EVERYTHING_ON = ("policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n"
                 "  limitRange:\n    enabled: true\n")


@pytest.mark.parametrize("name", sorted(CORPUS_STREAMS))
def test_generated_objects_of_the_corpus_pass_server_side_dry_run(kube, dry_ns, tmp_path, corpus, name):
    """The real charts of ../shared/corpus post-rendered with isolation, quota and limits on: every object vnp
    generates for them (the entry points they declare opened: webhooks, Ingress backends, scrapes) is one the
    API server accepts."""
    from helm_vnp.release.pipeline import post_render
    loaded = load(tmp_path, EVERYTHING_ON)
    result = post_render(corpus(name).read_bytes(), loaded.policies, "corpus", CORPUS_STREAMS[name],
                         check_pod_security=False)
    assert {o["kind"] for o in result.generated} >= {"NetworkPolicy", "ResourceQuota", "LimitRange"}, name
    moved = [{**o, "metadata": {**o["metadata"], "namespace": NAMESPACE}} for o in result.generated]
    dry_run_all(kube, moved, name)
