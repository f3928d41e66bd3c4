"""`helm vnp template|install|upgrade` on the real Helm 4 and Helm 3: values, --set, -n and the
release name reach the post-renderer, and the result is what the bare post-renderer gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.e2e_helpers import by_source, key, kube_validate, load_all, pod_metadata
from tests.e2e.helmkit import (
    DEMO_CHART,
    DEMO_VALUES,
    HOOKS_CHART,
    RELEASE_LABEL,
    deployed_release,
    memory_driver_env,
)

HOOKS_VALUES = Path(__file__).parent / "values-hooks.yaml"


def generated(stream: bytes) -> dict[str, dict]:
    return {o["kind"]: o
            for o in (load_all(t.encode())[0] for t in by_source(stream).get("helm-vnp/generated.yaml", []))}


def test_template_wires_values_set_namespace_and_release(helm):
    proc = helm.run("vnp", "template", "shop", DEMO_CHART, "-f", DEMO_VALUES, "-n", "team-b",
                    "--set", "policies.resourceQuota.quota.count/pods=7", "--set", "web.replicas=1")
    gen = generated(proc.stdout)
    assert sorted(gen) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]
    assert str(gen["ResourceQuota"]["spec"]["hard"]["count/pods"]) == "7"  # --set reached vnp
    assert gen["NetworkPolicy"]["metadata"]["labels"]["team"] == "shop"  # -f reached vnp
    for obj in gen.values():
        assert obj["metadata"]["namespace"] == "team-b"  # -n (HELM_NAMESPACE) reached vnp
        assert obj["metadata"]["labels"][RELEASE_LABEL] == "shop"
        kube_validate(obj)
    objs = {key(o): o for o in load_all(proc.stdout)}
    web = objs[("Deployment", "shop-demo-chart-web")]
    assert web["spec"]["replicas"] == 1  # --set reached Helm too
    assert pod_metadata(web)["labels"][RELEASE_LABEL] == "shop"


@pytest.mark.parametrize("flags", [
    ["--wait-for-jobs", "-f", "{values}"],  # a boolean before -f must not swallow it
    ["--skip-tests", "-f", "{values}"],
    ["-f{values}"],  # pflag's joined short form
    ["--color", "never", "-f", "{values}"],  # a global flag with a value before the positionals
    ["--dry-run=client", "--values={values}"],
])
def test_helm_flags_never_lose_the_values_file(helm, flags):
    """Every flag is read from the running helm's own flag table: values and release always reach vnp."""
    if helm.major == 3 and flags[0] in ("--wait-for-jobs", "--color"):
        pytest.skip(f"helm 3 template has no {flags[0]}")
    argv = [f.replace("{values}", str(DEMO_VALUES)) for f in flags]
    if argv[0] == "--color":
        argv = argv[:2] + ["shop", str(DEMO_CHART)] + argv[2:]
    else:
        argv = ["shop", str(DEMO_CHART)] + argv
    proc = helm.run("vnp", "template", *argv)
    gen = generated(proc.stdout)
    assert gen["NetworkPolicy"]["metadata"]["name"] == "vnp-shop-workload"
    assert gen["NetworkPolicy"]["metadata"]["labels"]["team"] == "shop"  # the values file reached vnp


def test_set_literal_on_policies_is_refused_not_ignored(helm):
    proc = helm.run("vnp", "template", "shop", DEMO_CHART, "-f", DEMO_VALUES,
                    "--set-literal", "policies.networkPolicy.labels.team=x", check=False)
    assert proc.returncode != 0 and b"does not read --set-literal" in proc.stderr, proc.stderr.decode()


def test_vnp_values_reach_vnp_only(helm, tmp_path):
    """A chart whose values.schema.json refuses unknown keys refuses `policies`: --vnp-values gives them to vnp
    and not to Helm (and VNP_VALUES in the environment is the base under them)."""
    chart = tmp_path / "strict"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: strict\nversion: 0.1.0\n")
    (chart / "values.schema.json").write_text('{"type": "object", "additionalProperties": false, '
                                              '"properties": {"replicas": {"type": "integer"}}}')
    (chart / "templates" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: x}]\n")
    policies = tmp_path / "policies.yaml"
    policies.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    refused = helm.run("vnp", "template", "app", chart, "-f", policies, check=False)
    assert refused.returncode != 0 and b"policies" in refused.stderr  # Helm's own schema check
    proc = helm.run("vnp", "template", "app", chart, "--vnp-values", policies, "--set", "replicas=2")
    assert sorted(generated(proc.stdout)) == ["NetworkPolicy"]
    base = tmp_path / "base.yaml"
    base.write_text("policies:\n  resourceQuota:\n    enabled: true\n")
    proc = helm.run("vnp", "template", "app", chart, f"--vnp-values={policies}", env={"VNP_VALUES": str(base)})
    assert sorted(generated(proc.stdout)) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]


def test_template_equals_the_bare_postrenderer(helm):
    wrapped = helm.run("vnp", "template", "app", HOOKS_CHART, "-f", HOOKS_VALUES, "-n", "team-a").stdout
    bare = helm.run("template", "app", HOOKS_CHART, "-f", HOOKS_VALUES, "-n", "team-a",
                    "--post-renderer", helm.postrenderer,
                    *(f"--post-renderer-args={a}" for a in ("-f", HOOKS_VALUES, "--release=app", "--namespace=team-a")))
    assert wrapped == bare.stdout


def test_template_without_release_uses_helms_default_name(helm):
    proc = helm.run("vnp", "template", HOOKS_CHART, "-f", HOOKS_VALUES)
    objs = {key(o): o for o in load_all(proc.stdout)}
    assert pod_metadata(objs[("StatefulSet", "release-name-db")])["labels"][RELEASE_LABEL] == "release-name"
    assert generated(proc.stdout)["NetworkPolicy"]["metadata"]["labels"][RELEASE_LABEL] == "release-name"


def test_values_from_stdin(helm):
    proc = helm.run("vnp", "template", "app", HOOKS_CHART, "-f", "-", "-n", "team-a",
                    input=HOOKS_VALUES.read_bytes())
    assert sorted(generated(proc.stdout)) == ["LimitRange", "NetworkPolicy", "ResourceQuota"]


def test_install_dry_run(helm, fake_cluster, tmp_path):
    """Helm 4: `install --dry-run=client` needs no cluster; Helm 3 asks the API server for its version."""
    env = memory_driver_env(fake_cluster, tmp_path, [])
    proc = helm.run("vnp", "install", "app", HOOKS_CHART, "-f", HOOKS_VALUES, "-n", "team-a", "--dry-run=client",
                    env=env)
    out = proc.stdout.decode()
    assert "NAMESPACE: team-a" in out
    hooks, manifest = out.split("\nHOOKS:\n", 1)[1].split("\nMANIFEST:\n", 1)
    manifest = manifest.split("\nNOTES:\n", 1)[0]
    gen = generated(manifest.encode())
    assert gen["NetworkPolicy"]["metadata"]["namespace"] == "team-a"
    hook_objs = {key(o): o for o in load_all(hooks.encode())}
    labelled = RELEASE_LABEL in pod_metadata(hook_objs[("Job", "app-migrate")]).get("labels", {})
    assert labelled == (helm.major >= 4)  # only Helm 4 post-renders hooks
    for obj in load_all(manifest.encode()):
        if pod_metadata(obj) is not None:
            assert pod_metadata(obj)["labels"][RELEASE_LABEL] == "app", key(obj)


@pytest.mark.parametrize("reuse", [False, True], ids=["values", "reset-then-reuse-values"])
def test_upgrade_dry_run(helm, fake_cluster, tmp_path, reuse):
    """With --reset-then-reuse-values (or --reuse-values) the policies come from the release's stored values,
    as Helm's own values do."""
    policies = {"policies": {"networkPolicy": {"enabled": True}, "resourceQuota": {"enabled": True}}}
    env = memory_driver_env(fake_cluster, tmp_path,
                            [deployed_release("app", "team-a", "vnp-hooks", config=policies if reuse else None)])
    flags = (["--reset-then-reuse-values", "--set", "policies.limitRange.enabled=false"] if reuse
             else ["-f", HOOKS_VALUES])
    proc = helm.run("vnp", "upgrade", "app", HOOKS_CHART, "-n", "team-a", "--dry-run=client", *flags, env=env)
    out = proc.stdout.decode()
    assert 'Release "app" has been upgraded' in out
    manifest = out.split("\nMANIFEST:\n", 1)[1].split("\nNOTES:\n", 1)[0]
    expected = ["NetworkPolicy", "ResourceQuota"] if reuse else ["LimitRange", "NetworkPolicy", "ResourceQuota"]
    assert sorted(generated(manifest.encode())) == expected


def test_pods_in_another_namespace_fail_closed_unless_isolated(helm, tmp_path):
    """Issue 13 item 7 through the wrapper: a chart's CronJob in kube-system fails the render (the
    post-renderer exits 2 and names it); with otherNamespaces: isolate the release's NetworkPolicy is
    generated in kube-system as well."""
    chart = tmp_path / "elsewhere"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: elsewhere\nversion: 0.1.0\n")
    (chart / "templates" / "cron.yaml").write_text(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: sneaky\n  namespace: kube-system\nspec:\n"
        "  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: Never\n          containers: [{name: x, image: busybox}]\n")
    values = tmp_path / "v.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    proc = helm.run("vnp", "template", "r", chart, "-n", "team-a", "-f", values, check=False)
    assert proc.returncode != 0 and proc.stdout == b""
    assert b"CronJob sneaky is rendered into namespace kube-system (template elsewhere/templates/cron.yaml)" \
        in proc.stderr
    proc = helm.run("vnp", "template", "r", chart, "-n", "team-a", "-f", values,
                    "--set", "policies.networkPolicy.otherNamespaces=isolate")
    spaces = sorted(o["metadata"]["namespace"] for o in load_all(proc.stdout) if o["kind"] == "NetworkPolicy")
    assert spaces == ["kube-system", "team-a"]
