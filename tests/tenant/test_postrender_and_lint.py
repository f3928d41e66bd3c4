"""Every tenant rule on the test chart (tests/tenant/charts/shop) with examples/tenant/values.yaml, through the real
post-renderer (the console script, `helm template --post-renderer` with Helm 3, `helm vnp template` with Helm 4
and Helm 3) and through lint (text and json): enforce lists every violation at once, located; warn passes the
stream through."""
from __future__ import annotations

import json
import re

import pytest

from helm_vnp.release.tenant import RULES
from tests.tenant.kit import (
    CHART,
    EXAMPLE,
    HELM3,
    HELM4,
    POSTRENDER_ARGS,
    helm_template,
    lint_json,
    need,
    postrender,
    run_cli,
)

# (rule, object, dotted path) of every violation of the chart with bad=true: one per group rule at least
EXPECTED = {
    ("tenant.requiredLabel", "ConfigMap shop-settings", "metadata.labels"),
    ("tenant.serviceType", "Service shop-web", "spec.type"),
    ("tenant.serviceExternalIPs", "Service shop-web", "spec.externalIPs[0]"),
    ("tenant.serviceMetadata", "Service shop-web", 'metadata.annotations["metallb.universe.tf/address-pool"]'),
    ("tenant.serviceSourceRanges", "Service shop-lb", "spec.loadBalancerSourceRanges[0]"),
    ("tenant.serviceLoadBalancerClass", "Service shop-lb", "spec.loadBalancerClass"),
    ("tenant.imageRegistry", "Deployment shop-web", "spec.template.spec.initContainers[0].image"),
    ("tenant.imageRegistry", "Deployment shop-web", "spec.template.spec.containers[0].image"),
    ("tenant.imagePullPolicy", "Deployment shop-web", "spec.template.spec.containers[0].imagePullPolicy"),
    ("tenant.resourceRequests", "Deployment shop-web", "spec.template.spec.containers[0].resources.requests"),
    ("tenant.resourceLimits", "Deployment shop-web", "spec.template.spec.containers[0].resources.limits"),
    ("tenant.resourceMax", "Deployment shop-web", "spec.template.spec.containers[0].resources.limits.cpu"),
    ("tenant.resourceRatio", "Deployment shop-web", "spec.template.spec.containers[0].resources"),
    ("tenant.forbiddenLabel", "Deployment shop-web", 'metadata.labels["platform.example.com/trusted"]'),
    ("tenant.forbiddenAnnotation", "Deployment shop-web",
     'spec.template.metadata.annotations["backup.example.com/exclude"]'),
    ("tenant.ingressHostname", "Ingress shop-web", "spec.rules[0].host"),
    ("tenant.wildcardHostname", "Ingress shop-web", "spec.tls[0].hosts[0]"),
    ("tenant.ingressHostname", "HTTPRoute shop-api", "spec.hostnames[0]"),
}
# rules the example's chart does not break: requireDigest is off in the example; the classes group has its own
# charts and tests (tests/tenant/test_classes.py)
NOT_IN_CHART = {"tenant.imageDigest", "tenant.runtimeClass", "tenant.priorityClass", "tenant.storageClass",
                "tenant.ingressClass", "tenant.gatewayClass"}
_LINE = re.compile(r"^  - (?P<file>[^:]+): (?P<path>.+?): (?P<obj>\w+ [\w-]+): (?P<rule>tenant\.\w+): ", re.M)


@pytest.fixture(scope="module")
def bad_stream() -> bytes:
    proc = helm_template(HELM4, "--set", "bad=true")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def good_stream() -> bytes:
    proc = helm_template(HELM4)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _listed(err: str) -> set:
    return {(m["rule"], m["obj"], m["path"]) for m in _LINE.finditer(err)}


def test_the_expected_set_covers_every_rule_but_the_ones_off_in_the_example():
    assert {r for r, _, _ in EXPECTED} | NOT_IN_CHART == {r.id for r in RULES}


def test_enforce_refuses_listing_every_violation_located(bad_stream):
    code, out, err = postrender(bad_stream, "-f", str(EXAMPLE))
    assert code == 2 and out == b"", err  # nothing for Helm to install
    assert f"error: {len(EXPECTED)} problems:" in err
    assert _listed(err) == EXPECTED
    files = {m["file"] for m in _LINE.finditer(err)}
    assert files == {"shop/templates/app.yaml", "shop/templates/routes.yaml"}  # from each object's # Source
    assert "Traceback" not in err and err.rstrip().endswith("set policies.tenant.mode: warn to only warn)")


def test_a_compliant_render_passes_through_unchanged(good_stream):
    code, out, err = postrender(good_stream, "-f", str(EXAMPLE))
    assert code == 0, err
    assert out == good_stream and "tenant." not in err


def test_warn_mode_writes_the_stream_and_warns_each_violation(bad_stream):
    code, out, err = postrender(bad_stream, "-f", str(EXAMPLE), "--set", "policies.tenant.mode=warn")
    assert code == 0, err
    assert out == bad_stream  # nothing else configured: the chart's bytes, untouched
    warned = [line for line in err.splitlines() if line.startswith("warning: ") and "tenant." in line]
    assert len(warned) == len(EXPECTED)
    assert any("HTTPRoute shop-api: tenant.ingressHostname: spec.hostnames[0]: hostname 'api.example.org'" in w
               for w in warned)


def test_helm3_template_with_the_bare_post_renderer():
    proc = helm_template(HELM3, "--set", "bad=true", "--post-renderer", POSTRENDER_ARGS[0],
                         *[f"--post-renderer-args={a}" for a in ("--release=shop", "-f", str(EXAMPLE))])
    err = proc.stderr.decode()
    assert proc.returncode != 0 and b"kind:" not in proc.stdout
    assert "tenant.imageRegistry" in err and "tenant.ingressHostname" in err
    proc = helm_template(HELM3, "--post-renderer", POSTRENDER_ARGS[0],
                         *[f"--post-renderer-args={a}" for a in ("--release=shop", "-f", str(EXAMPLE))])
    assert proc.returncode == 0, proc.stderr
    assert b"kind: HTTPRoute" in proc.stdout


@pytest.mark.parametrize("helm", [HELM4, HELM3], ids=["helm4", "helm3"])
def test_helm_vnp_template_with_real_helm(helm):
    env = {"HELM_BIN": str(need(helm, helm.name)), "VNP_NO_CACHE": "1"}
    code, out, err = run_cli("template", "shop", str(CHART), "-n", "team-a", "-f", str(EXAMPLE), "--set", "bad=true",
                             env=env)
    assert code != 0 and "kind:" not in out
    for rule, obj, _ in EXPECTED:
        assert f"{obj}: {rule}" in err, (rule, obj)
    code, out, err = run_cli("template", "shop", str(CHART), "-n", "team-a", "-f", str(EXAMPLE), env=env)
    assert code == 0, err
    assert "kind: HTTPRoute" in out


def test_lint_json_reports_each_violation_at_error_with_its_template(bad_stream, tmp_path):
    rendered = tmp_path / "bad.yaml"
    rendered.write_bytes(bad_stream)
    code, findings, err = lint_json("--rendered", str(rendered), "--release", "shop", "-n", "team-a",
                                    "-f", str(EXAMPLE))
    assert code == 0, err
    mine = [f for f in findings if f["rule"].startswith("tenant.")]
    got = {(f["rule"], f"{f['object']['kind']} {f['object']['name']}", f["message"].split(": ", 1)[0]) for f in mine}
    assert got == EXPECTED
    assert {f["severity"] for f in mine} == {"error"}
    assert all(f["source"]["file"] == str(rendered) and f["source"]["line"] > 0 for f in mine)


def test_lint_of_the_chart_in_warn_mode_reports_warnings_located_to_templates():
    env = {"HELM_BIN": str(need(HELM4, "helm4"))}
    code, out, err = run_cli("lint", str(CHART), "-n", "team-a", "--release", "shop", "-f", str(EXAMPLE),
                             "--set", "bad=true", "--set", "policies.tenant.mode=warn", "--format", "json",
                             "--disable", "pss", env=env)
    assert code == 0, err  # warnings do not fail a default lint
    mine = [f for f in json.loads(out)["findings"] if f["rule"].startswith("tenant.")]
    assert len(mine) == len(EXPECTED) and {f["severity"] for f in mine} == {"warning"}
    assert {f["source"]["file"].rsplit("/", 2)[-1] for f in mine} == {"app.yaml", "routes.yaml"}


def test_lint_text_fails_in_enforce_mode(bad_stream, tmp_path):
    rendered = tmp_path / "bad.yaml"
    rendered.write_bytes(bad_stream)
    code, out, err = run_cli("lint", "--rendered", str(rendered), "--release", "shop", "-n", "team-a",
                             "-f", str(EXAMPLE), "--disable", "pss")
    assert code == 1, err
    assert re.search(r"error   tenant\.imageRegistry: \S+bad\.yaml:\d+: "
                     r"spec\.template\.spec\.initContainers\[0\]\.image: container 'migrate': image 'busybox' "
                     r"\(docker\.io/library/busybox\) is from registry docker\.io",
                     out), out
    assert "Ingress team-a/shop-web" in out and "HTTPRoute team-a/shop-api" in out


def test_a_rendered_stream_is_located_at_the_offending_field(bad_stream, tmp_path):
    rendered = tmp_path / "bad.yaml"
    rendered.write_bytes(bad_stream)
    lines = bad_stream.decode().splitlines()
    _, findings, _ = lint_json("--rendered", str(rendered), "--release", "shop", "-n", "team-a", "-f", str(EXAMPLE))
    image = next(f for f in findings if f["rule"] == "tenant.imageRegistry" and "'migrate'" in f["message"])
    assert lines[image["source"]["line"] - 1].strip() == "image: busybox"
    host = next(f for f in findings if f["rule"] == "tenant.ingressHostname" and f["object"]["kind"] == "Ingress")
    assert lines[host["source"]["line"] - 1].strip() == "- host: shop.team-b.example.com"
    # the post-renderer names the chart template (its lines are not the stream's); a bare stream, the line
    stripped = "\n".join(x for x in lines if not x.startswith("# Source:")).encode()
    code, _, err = postrender(stripped, "-f", str(EXAMPLE))
    line = int(re.search(r"<stdin>:(\d+): spec\.template\.spec\.initContainers\[0\]\.image: ", err).group(1))
    assert code == 2 and stripped.decode().splitlines()[line - 1].strip() == "image: busybox"


def test_the_example_values_validate_and_set_every_group():
    code, out, err = run_cli("validate", "-f", str(EXAMPLE))
    assert code == 0, err
    from helm_vnp.config import ValuesInput, load_config
    tenant = load_config(ValuesInput([str(EXAMPLE)]), use_cache=False).policies["tenant"]
    assert set(tenant) == {"mode", "services", "images", "ingress", "resources", "metadata"}
