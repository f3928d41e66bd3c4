"""policies.tenant.classes: allowed and default runtime, priority, storage, ingress and gateway classes.

Defaults are written as one added line each (every other byte as the chart wrote it) and read back as
Kubernetes decodes them; every disallowed class is listed in one refusal, located; hostile YAML on the path
fails closed; the same through the real ``vnp-postrender`` process, through real Helm 4 and Helm 3
``template --post-renderer``, and on the real-world corpus.
"""
from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.release.tenant import classes
from helm_vnp.stream import split
from tests.mutations.kit import chart_output, objects, policies, render

ROOT = Path(__file__).resolve().parents[2]
POSTRENDER = ROOT / ".venv" / "bin" / "vnp-postrender"
HELM = {4: ROOT / ".tools" / "bin" / "helm4", 3: ROOT / ".tools" / "bin" / "helm3"}

DEFAULTS = """policies:
  tenant:
    classes:
      runtimeClasses: {allowed: [gvisor], default: gvisor}
      priorityClasses: {allowedRegex: "^tenant-", default: tenant-low}
      storageClasses: {allowed: [standard, fast], default: standard}
      ingressClasses: {allowed: [public], default: public}
      gatewayClasses: {allowed: [tenant-gw]}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      # the chart's comment stays
      containers:
      - name: web
        image: nginx
"""

STATEFUL = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      containers:
      - name: db
        image: postgres
      volumes:
      - name: scratch
        ephemeral:
          volumeClaimTemplate:
            spec:
              accessModes: [ReadWriteOnce]
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
"""

CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: cache
spec:
  accessModes:
  - ReadWriteOnce
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: job
            image: busybox
"""


def added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails when it removes or changes any."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [d for d in diff if d.startswith("- ")], "a line of the chart was changed or removed"
    return [d[2:] for d in diff if d.startswith("+ ")]


# -- defaults -------------------------------------------------------------------------------------------------

def test_a_default_is_one_added_line_per_unset_field(tmp_path):
    out = chart_output(render(tmp_path, DEPLOYMENT, DEFAULTS)).decode()
    assert out == DEPLOYMENT.replace("      containers:", "      runtimeClassName: gvisor\n"
                                     "      priorityClassName: tenant-low\n      containers:")
    (dep,) = objects(out.encode())
    spec = dep["spec"]["template"]["spec"]
    assert spec["runtimeClassName"] == "gvisor" and spec["priorityClassName"] == "tenant-low"
    assert chart_output(render(tmp_path, out, DEFAULTS)).decode() == out  # post-rendering again changes nothing


def test_claims_volume_claim_templates_ephemeral_volumes_and_ingresses_get_their_default(tmp_path):
    stream = "---\n".join([STATEFUL, CLAIM, INGRESS, CRONJOB])
    out = chart_output(render(tmp_path, stream, DEFAULTS)).decode()
    assert sorted(added_lines(stream, out)) == sorted(
        ["      runtimeClassName: gvisor", "      priorityClassName: tenant-low",  # the StatefulSet's pods
         "              storageClassName: standard",  # its ephemeral volume
         "      storageClassName: standard",  # its volumeClaimTemplates[0]
         "  storageClassName: standard",  # the claim
         "  ingressClassName: public",
         "          runtimeClassName: gvisor", "          priorityClassName: tenant-low"])  # the CronJob's pods
    sts, pvc, ing, cron = objects(out.encode())
    pod = sts["spec"]["template"]["spec"]
    assert pod["volumes"][0]["ephemeral"]["volumeClaimTemplate"]["spec"]["storageClassName"] == "standard"
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"] == "standard"
    assert pvc["spec"]["storageClassName"] == "standard" and ing["spec"]["ingressClassName"] == "public"
    job = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert (job["runtimeClassName"], job["priorityClassName"]) == ("gvisor", "tenant-low")


def test_null_is_unset_and_gets_the_default(tmp_path):
    stream = CLAIM.replace("spec:\n", "spec:\n  storageClassName:\n") + "---\n" + \
        DEPLOYMENT.replace("      containers:", "      priorityClassName: null\n      containers:")
    pvc, dep = objects(chart_output(render(tmp_path, stream, DEFAULTS)))
    assert pvc["spec"]["storageClassName"] == "standard"
    assert dep["spec"]["template"]["spec"]["priorityClassName"] == "tenant-low"


def test_a_flow_style_json_document_gets_an_entry(tmp_path):
    stream = ('{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"}, '
              '"spec": {"accessModes": ["ReadWriteOnce"]}}\n')
    out = chart_output(render(tmp_path, stream, DEFAULTS)).decode()
    assert out == stream.replace('"spec": {', '"spec": {storageClassName: standard, ')
    assert objects(out.encode())[0]["spec"]["storageClassName"] == "standard"


def test_empty_storage_class_is_explicit_never_replaced_and_checked(tmp_path):
    stream = CLAIM.replace("spec:\n", 'spec:\n  storageClassName: ""\n')
    with pytest.raises(VnpError) as err:
        render(tmp_path, stream, DEFAULTS)
    assert 'StorageClass "" is not allowed' in str(err.value) and "spec.storageClassName" in str(err.value)
    allowed = DEFAULTS.replace("[standard, fast]", '[standard, fast, ""]')
    assert chart_output(render(tmp_path, stream, allowed)).decode() == stream  # kept, not defaulted


def test_legacy_annotations_name_the_class_no_default_is_added(tmp_path):
    ing = INGRESS.replace("  name: web\n", "  name: web\n  annotations:\n    kubernetes.io/ingress.class: public\n")
    pvc = CLAIM.replace("  name: cache\n",
                        "  name: cache\n  annotations:\n    volume.beta.kubernetes.io/storage-class: fast\n")
    stream = ing + "---\n" + pvc
    assert chart_output(render(tmp_path, stream, DEFAULTS)).decode() == stream  # the API refuses both set
    with pytest.raises(VnpError) as err:
        render(tmp_path, stream.replace("ingress.class: public", "ingress.class: internal")
               .replace("storage-class: fast", "storage-class: premium"), DEFAULTS)
    text = str(err.value)
    assert ('metadata.annotations["kubernetes.io/ingress.class"]: Ingress web: tenant.ingressClass: IngressClass '
            '"internal"') in text
    assert 'metadata.annotations["volume.beta.kubernetes.io/storage-class"]' in text and '"premium"' in text


def test_without_an_allow_list_only_the_default_is_injected(tmp_path):
    values = "policies:\n  tenant:\n    classes:\n      storageClasses: {default: standard}\n"
    stream = CLAIM + "---\n" + CLAIM.replace("cache", "other").replace("spec:\n", "spec:\n  storageClassName: x\n")
    a, b = objects(chart_output(render(tmp_path, stream, values)))
    assert a["spec"]["storageClassName"] == "standard" and b["spec"]["storageClassName"] == "x"


# -- violations -----------------------------------------------------------------------------------------------

EXPLICIT = "---\n".join([
    DEPLOYMENT.replace("      containers:", "      runtimeClassName: runc\n      priorityClassName: system-critical\n"
                                              "      containers:"),
    STATEFUL.replace("              accessModes", "              storageClassName: premium\n              accessModes")
    .replace("    spec:\n      accessModes", "    spec:\n      storageClassName: gold\n      accessModes"),
    CLAIM.replace("spec:\n", "spec:\n  storageClassName: premium\n"),
    INGRESS.replace("spec:\n", "spec:\n  ingressClassName: internal\n"),
    CRONJOB.replace("          containers:", "          priorityClassName: batch-high\n          containers:"),
    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\n"
    "spec: {gatewayClassName: platform, listeners: []}\n",
])


def test_every_disallowed_explicit_class_is_listed_in_one_refusal(tmp_path):
    with pytest.raises(VnpError) as err:
        render(tmp_path, EXPLICIT, DEFAULTS)
    found = [(p.path, p.message.split(":")[0]) for p in err.value.problems]
    assert found == [
        ("spec.template.spec.runtimeClassName", "Deployment web"),
        ("spec.template.spec.priorityClassName", "Deployment web"),
        ("spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName", "StatefulSet db"),
        ("spec.volumeClaimTemplates[0].spec.storageClassName", "StatefulSet db"),
        ("spec.storageClassName", "PersistentVolumeClaim cache"),
        ("spec.ingressClassName", "Ingress web"),
        ("spec.jobTemplate.spec.template.spec.priorityClassName", "CronJob nightly"),
        ("spec.gatewayClassName", "Gateway gw"),
    ]
    text = str(err.value)
    for rule in ("tenant.runtimeClass", "tenant.priorityClass", "tenant.storageClass", "tenant.ingressClass",
                 "tenant.gatewayClass"):
        assert f": {rule}: " in text
    assert 'RuntimeClass "runc" is not allowed (policies.tenant.classes.runtimeClasses: allowed: ["gvisor"])' in text
    assert 'allowedRegex: "^tenant-"' in text and "<stdin>:" in text  # located in the stream (no template name)


def test_warn_mode_warns_and_writes_the_defaults(tmp_path):
    values = DEFAULTS.replace("  tenant:\n", "  tenant:\n    mode: warn\n")
    result = render(tmp_path, EXPLICIT + "---\n" + CLAIM.replace("cache", "fresh"), values)
    assert len(result.warnings) == 8 and all(w.message.startswith("tenant.") for w in result.warnings)
    assert objects(chart_output(result))[-1]["spec"]["storageClassName"] == "standard"


def test_with_an_allow_list_and_no_default_a_claim_or_ingress_must_name_a_class(tmp_path):
    values = "policies:\n  tenant:\n    classes:\n      storageClasses: {allowed: [standard]}\n" \
             "      ingressClasses: {allowed: [public]}\n      runtimeClasses: {allowed: [gvisor]}\n"
    with pytest.raises(VnpError) as err:
        render(tmp_path, "---\n".join([CLAIM, INGRESS, DEPLOYMENT]), values)
    assert [p.path for p in err.value.problems] == ["spec.storageClassName", "spec.ingressClassName"]
    assert "names no StorageClass" in str(err.value) and "names no IngressClass" in str(err.value)


@pytest.mark.parametrize("regex, name, ok", [
    ("gold", "not-gold-really", True),  # Capsule (Go's MatchString) searches: unanchored
    ("^gold$", "not-gold-really", False),
    ("^gold$", "gold", True),
    ("^(fast|slow)-[0-9]+$", "fast-12", True),
    ("^(fast|slow)-[0-9]+$", "fast-x", False),
])
def test_regex_allow_lists(tmp_path, regex, name, ok):
    values = ("policies:\n  tenant:\n    classes:\n"
              f'      storageClasses: {{allowed: [standard], allowedRegex: "{regex}"}}\n')
    stream = CLAIM.replace("spec:\n", f"spec:\n  storageClassName: {name}\n")
    if ok:
        assert chart_output(render(tmp_path, stream, values)).decode() == stream
    else:
        with pytest.raises(VnpError, match="is not allowed"):
            render(tmp_path, stream, values)


# -- config ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, path, words", [
    ("      priorityClasses: {allowed: [low], default: high}\n", "policies.tenant.classes.priorityClasses.default",
     'the default "high" is not allowed by this list itself'),
    ('      storageClasses: {allowedRegex: "[a"}\n', "policies.tenant.classes.storageClasses.allowedRegex",
     "invalid regular expression"),
    ('      storageClasses: {allowedRegex: "^(?!gold)"}\n', "policies.tenant.classes.storageClasses.allowedRegex",
     "RE2"),
    ("      ingressClasses: {matchLabels: {tier: public}}\n", "policies.tenant.classes.ingressClasses.matchLabels",
     "needs the cluster's class objects"),
    ("      gatewayClasses: {default: gw}\n", "policies.tenant.classes.gatewayClasses.default", 'unknown key'),
    ("      runtimeClasses: {allowed: [Not_A_Name]}\n", "policies.tenant.classes.runtimeClasses.allowed[0]",
     "RuntimeClass name"),
])
def test_bad_config_is_a_clear_located_error(tmp_path, values, path, words):
    with pytest.raises(VnpError) as err:
        policies(tmp_path, "policies:\n  tenant:\n    classes:\n" + values)
    (problem,) = err.value.problems
    assert problem.path == path and words in problem.render() and problem.line


# -- nodeIsolation --------------------------------------------------------------------------------------------

def test_node_isolation_wins_over_the_tenant_default_and_must_be_allowed(tmp_path):
    node = "  nodeIsolation: {priorityClassName: tenant-high, runtimeClassName: gvisor}\n"
    (dep,) = objects(chart_output(render(tmp_path, DEPLOYMENT, DEFAULTS + node)))
    spec = dep["spec"]["template"]["spec"]
    assert (spec["priorityClassName"], spec["runtimeClassName"]) == ("tenant-high", "gvisor")
    with pytest.raises(VnpError) as err:
        policies(tmp_path, DEFAULTS + "  nodeIsolation: {priorityClassName: system-high, runtimeClassName: kata}\n")
    assert sorted(p.path for p in err.value.problems) == ["policies.nodeIsolation.priorityClassName",
                                                          "policies.nodeIsolation.runtimeClassName"]
    assert '"kata" is not allowed by policies.tenant.classes.runtimeClasses' in str(err.value)


def test_node_isolation_override_replaces_the_chart_class_which_is_then_allowed(tmp_path):
    stream = DEPLOYMENT.replace("      containers:", "      priorityClassName: system-critical\n      containers:")
    with pytest.raises(VnpError, match='PriorityClass "system-critical" is not allowed'):
        render(tmp_path, stream, DEFAULTS)
    node = "  nodeIsolation: {priorityClassName: tenant-high, override: true}\n"
    (dep,) = objects(chart_output(render(tmp_path, stream, DEFAULTS + node)))
    assert dep["spec"]["template"]["spec"]["priorityClassName"] == "tenant-high"


# -- kinds without a PodSpec, hooks ---------------------------------------------------------------------------

def test_custom_kinds_with_a_pod_spec_without_one_and_kubevirt(tmp_path):
    stream = ("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro}\nspec:\n  template:\n"
              "    spec:\n      containers:\n      - name: a\n        image: x\n"
              "---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: prom}\nspec: {}\n"
              "---\napiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: vm}\nspec:\n  template:\n"
              "    spec:\n      domain: {devices: {}}\n")
    result = render(tmp_path, stream, DEFAULTS)
    ro, prom, vm = objects(chart_output(result))
    assert ro["spec"]["template"]["spec"]["runtimeClassName"] == "gvisor"
    assert prom["spec"] == {}
    vmi = vm["spec"]["template"]["spec"]
    assert vmi["priorityClassName"] == "tenant-low" and "runtimeClassName" not in vmi
    notes = sorted((n.doc.kind, n.path, n.message) for n in result.notes)
    assert [n[:2] for n in notes] == [("Prometheus", "spec.podMetadata.labels"),
                                      ("VirtualMachine", "spec.template.spec")]
    assert notes[0][2].endswith("cannot check or set their runtimeClassName or priorityClassName or storage "
                                "classes (volume claims)")
    assert notes[1][2].endswith("cannot check or set its runtimeClassName or storage classes (volume claims) "
                                "(the controller's)")
    assert {n.feature for n in result.notes} == {"tenant.classes"}


def test_a_declared_workload_kind_is_defaulted_and_checked(tmp_path):
    values = DEFAULTS + ("  workloadKinds:\n  - apiVersion: example.com/v1\n    kind: Runner\n"
                         "    podTemplatePath: spec.pod\n")
    stream = ("apiVersion: example.com/v1\nkind: Runner\nmetadata: {name: r}\nspec:\n  pod:\n    spec:\n"
              "      containers: [{name: a, image: x}]\n")
    (runner,) = objects(chart_output(render(tmp_path, stream, values)))
    assert runner["spec"]["pod"]["spec"]["runtimeClassName"] == "gvisor"
    with pytest.raises(VnpError, match=r"spec\.pod\.spec\.runtimeClassName"):
        render(tmp_path, stream.replace("containers:", "runtimeClassName: runc\n      containers:"), values)


def test_hooks_helm3_never_hands_over_are_noted_not_changed(tmp_path):
    hook = CLAIM.replace("  name: cache\n", "  name: cache\n  annotations: {helm.sh/hook: pre-install}\n")
    result = render(tmp_path, hook, DEFAULTS, hooks_unseen=True)
    assert chart_output(result).decode() == hook and "Helm 3" in result.notes[0].message
    assert objects(chart_output(render(tmp_path, hook, DEFAULTS)))[0]["spec"]["storageClassName"] == "standard"


# -- hostile YAML ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stream", [
    # one claim spec anchored and aliased by the two templates: an edit at the anchor reaches both
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n"
    "      runtimeClassName: gvisor\n      priorityClassName: tenant-low\n      containers: [{name: a, image: x}]\n"
    "  volumeClaimTemplates:\n  - metadata: {name: a}\n    spec: &claim\n      accessModes: [ReadWriteOnce]\n"
    "  - metadata: {name: b}\n    spec: *claim\n",
    # the claim's spec reached through a merge key
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\n<<: {spec: {accessModes: [ReadWriteOnce]}}\n",
    # a tagged mapping on the path
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: !!map\n  accessModes: [ReadWriteOnce]\n",
], ids=["anchor", "merge", "tag"])
def test_shapes_it_cannot_edit_safely_fail_closed(tmp_path, stream):
    with pytest.raises(VnpError, match="cannot apply the tenant's default classes|refuses"):
        render(tmp_path, stream, DEFAULTS)


def test_a_duplicate_key_hiding_a_class_is_refused(tmp_path):
    stream = CLAIM.replace("spec:\n", "spec:\n  storageClassName: standard\n  storageClassName: premium\n")
    with pytest.raises(VnpError, match="duplicate|twice|more than once"):
        render(tmp_path, stream, DEFAULTS)
    values = "policies:\n  tenant:\n    classes:\n      storageClasses: {allowed: [standard]}\n"  # check only
    with pytest.raises(VnpError, match="duplicate|twice|more than once"):
        render(tmp_path, stream, values)


def test_a_decoy_line_inside_a_block_scalar_is_text(tmp_path):
    stream = CLAIM.replace("  name: cache\n", "  name: cache\n  annotations:\n    note: |\n"
                                              "      storageClassName: standard\n")
    (pvc,) = objects(chart_output(render(tmp_path, stream, DEFAULTS)))
    assert pvc["spec"]["storageClassName"] == "standard"


# -- the real post-renderer and real Helm ---------------------------------------------------------------------

def run_postrender(tmp_path: Path, stream: str, values: str) -> subprocess.CompletedProcess:
    (tmp_path / "values.yaml").write_text(values)
    return subprocess.run([str(POSTRENDER), "--release", "r", "-n", "team", "-f", str(tmp_path / "values.yaml")],
                          input=stream.encode(), capture_output=True, timeout=120,
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


def test_the_postrender_process_writes_defaults_and_refuses_with_every_violation(tmp_path):
    stream = "---\n".join([STATEFUL, CLAIM, INGRESS])
    proc = run_postrender(tmp_path, stream, DEFAULTS)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(added_lines(stream, proc.stdout.decode())) == 6
    proc = run_postrender(tmp_path, EXPLICIT, DEFAULTS)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and proc.stdout == b"" and "Traceback" not in err
    assert err.startswith("error: 8 problems:") and err.count(": tenant.") == 8


CHART_VALUES = "storageClass: null\nruntimeClass: null\n"
TEMPLATES = {
    "pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Release.Name }}-data\nspec:\n"
                "  {{- with .Values.storageClass }}\n  storageClassName: {{ . }}\n  {{- end }}\n"
                "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n",
    "deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n"
                   "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
                   "    spec:\n      {{- with .Values.runtimeClass }}\n      runtimeClassName: {{ . }}\n"
                   "      {{- end }}\n      containers:\n      - name: web\n        image: nginx\n",
}


def helm_run(major: int, tmp_path: Path, *sets: str) -> subprocess.CompletedProcess:
    helm = HELM[major]
    if not os.access(helm, os.X_OK):
        pytest.skip(f"Helm {major} binary not found at {helm} (run `make tools`)")
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(CHART_VALUES)
    for name, text in TEMPLATES.items():
        (chart / "templates" / name).write_text(text)
    values = tmp_path / "vnp.yaml"
    values.write_text(DEFAULTS)
    home = tmp_path / f"home{major}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "HELM_CACHE_HOME": str(home / "cache"),
           "HELM_CONFIG_HOME": str(home / "config"), "HELM_DATA_HOME": str(home / "data"), "VNP_NO_CACHE": "1"}
    args = [f"--post-renderer-args={a}" for a in ("-f", str(values), "--release=r")]
    if major >= 4:  # Helm 4 runs a postrenderer/v1 plugin
        plugin = home / "plugins" / "vnp-postrender-tenant"
        plugin.mkdir(parents=True, exist_ok=True)
        (plugin / "plugin.yaml").write_text(
            "apiVersion: v1\ntype: postrenderer/v1\nname: vnp-postrender-tenant\nversion: 0.1.0\n"
            f"runtime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: {POSTRENDER}\n")
        env["HELM_PLUGINS"] = str(home / "plugins")
        renderer = "vnp-postrender-tenant"
    else:
        renderer = str(POSTRENDER)
    return subprocess.run([str(helm), "template", "r", str(chart), "-n", "team", "--post-renderer", renderer, *args,
                           *[f"--set={s}" for s in sets]], capture_output=True, env=env, timeout=300)


@pytest.mark.parametrize("major", [4, 3])
def test_real_helm_template_with_the_post_renderer(tmp_path, major):
    proc = helm_run(major, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    by_kind = {o["kind"]: o for o in objects(proc.stdout)}
    assert by_kind["PersistentVolumeClaim"]["spec"]["storageClassName"] == "standard"
    spec = by_kind["Deployment"]["spec"]["template"]["spec"]
    assert (spec["runtimeClassName"], spec["priorityClassName"]) == ("gvisor", "tenant-low")
    proc = helm_run(major, tmp_path, "storageClass=premium", "runtimeClass=runc")
    err = proc.stderr.decode()
    assert proc.returncode != 0 and proc.stdout == b""
    assert "templates/pvc.yaml" in err and 'StorageClass "premium" is not allowed' in err
    assert "templates/deploy.yaml" in err and 'RuntimeClass "runc" is not allowed' in err


# -- the real-world corpus ------------------------------------------------------------------------------------

CORPUS = ["kube-prometheus-stack.yaml", "cert-manager.yaml", "ingress-nginx.yaml",
          "postrender-input/kube-prometheus-stack.yaml", "postrender-input/cert-manager.yaml",
          "postrender-input/ingress-nginx.yaml"]
CORPUS_VALUES = ("policies:\n  tenant:\n    classes:\n      priorityClasses: {default: tenant-low}\n"
                 "      storageClasses: {default: standard}\n      runtimeClasses: {default: gvisor}\n")
ADDED = re.compile(r" *(priorityClassName: tenant-low|runtimeClassName: gvisor|storageClassName: standard)\Z")


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_defaults_change_only_the_intended_fields(tmp_path, corpus, name):
    data = corpus(name).read_text()
    result = render(tmp_path, data, CORPUS_VALUES, namespace="monitoring")
    out = chart_output(result).decode()
    added = added_lines(data, out)
    assert added and all(ADDED.match(line) for line in added), added[:5]
    before, after = [d for d in split(data.encode()) if not d.is_empty], \
        [d for d in split(out.encode()) if not d.is_empty]
    assert len(before) == len(after)
    pod_specs = 0
    for b, a in zip(before, after):
        want, got = b.decoded, a.decoded
        if want == got:
            continue
        for path in _differences(want, got):
            assert path[-1] in ("priorityClassName", "runtimeClassName", "storageClassName"), path
            pod_specs += path[-1] == "priorityClassName"
    assert pod_specs == sum(1 for line in added if "priorityClassName" in line)


def _differences(want, got, path=()):
    """Paths where ``got`` has a key ``want`` lacks; fails on any other difference."""
    if isinstance(want, dict) and isinstance(got, dict):
        assert set(want) <= set(got), path
        for k in got:
            if k not in want:
                yield path + (k,)
            else:
                yield from _differences(want[k], got[k], path + (k,))
    elif isinstance(want, list) and isinstance(got, list):
        assert len(want) == len(got), path
        for i, (w, g) in enumerate(zip(want, got)):
            yield from _differences(w, g, path + (i,))
    else:
        assert want == got, path


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_ingress_classes_are_found(corpus, name):
    """Every Ingress of the stream (an independent count on the decoded objects) is checked: with an allow list
    that allows nothing each one is a violation.  (These streams render no Ingress at their default values: the
    count is 0 on both sides, which is what a missed Ingress would break.)"""
    docs = [d for d in split(corpus(name).read_bytes()) if not d.is_empty]
    ingresses = [d for d in docs if isinstance(d.decoded, dict) and d.decoded.get("kind") == "Ingress"]
    config = {"ingressClasses": {"allowed": []}, "gatewayClasses": {"allowed": []}}
    found = [v for v in classes.check(docs, config, ()) if v.rule == "tenant.ingressClass"]
    assert len(found) == len(ingresses)
    assert [v.doc for v in found] == ingresses


def test_a_merge_key_in_the_claim_spec_is_read_as_kubernetes_reads_it(tmp_path):
    hidden = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n" \
             "  <<: {storageClassName: premium}\n  accessModes: [ReadWriteOnce]\n"
    with pytest.raises(VnpError, match='StorageClass "premium" is not allowed'):
        render(tmp_path, hidden, DEFAULTS)  # the class the merge key brings in is the claim's
    plain = hidden.replace("storageClassName: premium", "volumeMode: Filesystem")
    out = chart_output(render(tmp_path, plain, DEFAULTS))
    assert added_lines(plain, out.decode()) == ["  storageClassName: standard"]
    assert objects(out)[0]["spec"] == {"storageClassName": "standard", "volumeMode": "Filesystem",
                                       "accessModes": ["ReadWriteOnce"]}


def test_a_kind_vnp_does_not_know_that_holds_a_pod_template_is_noted(tmp_path):
    stream = ("apiVersion: example.com/v1\nkind: Mystery\nmetadata: {name: m}\nspec:\n  pod:\n    spec:\n"
              "      runtimeClassName: runc\n      containers: [{name: a, image: x}]\n")
    result = render(tmp_path, stream, DEFAULTS)
    assert chart_output(result).decode() == stream
    (note,) = result.notes
    assert note.doc.kind == "Mystery" and "policies.workloadKinds" in note.message and "classes" in note.message


def test_non_string_classes_and_a_v1_pod_template(tmp_path):
    stream = CLAIM.replace("spec:\n", "spec:\n  storageClassName: 5\n") + "---\n" + \
        "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n" \
        "    priorityClassName: [a]\n    containers: [{name: a, image: x}]\n"
    with pytest.raises(VnpError) as err:
        render(tmp_path, stream, DEFAULTS)
    assert [(p.path, "is not a" in p.message) for p in err.value.problems] == [
        ("spec.storageClassName", True), ("template.spec.priorityClassName", True)]


IMPORT_PROBE = """
import json, sys
from helm_vnp.config import ValuesInput, load_config
from helm_vnp.release.pipeline import post_render
policies = load_config(ValuesInput([sys.argv[1]], env=False), use_cache=False).policies
post_render(b"apiVersion: v1\\nkind: PersistentVolumeClaim\\nmetadata: {name: c}\\nspec: {}\\n", policies, "r", "team")
print(json.dumps("helm_vnp.release.tenant.classes" in sys.modules))
"""


@pytest.mark.parametrize("values, imported", [("policies:\n  networkPolicy:\n    enabled: true\n", False),
                                              (DEFAULTS, True)])
def test_the_post_renderer_imports_the_classes_module_only_when_configured(tmp_path, values, imported):
    path = tmp_path / "values.yaml"
    path.write_text(values)
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE, str(path)], capture_output=True, text=True, cwd=ROOT,
                         check=True, env={"PYTHONPATH": str(ROOT), "VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == ("true" if imported else "false")
