"""policies.hardening: securityContext fields set only where the chart left them unset, as minimal text edits."""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.k8s.podsecurity import evaluate_pod
from tests.mutations.kit import chart_output, objects, render

HARDEN = "policies:\n  hardening: {enabled: true}\n"
RESTRICTED = "policies:\n  podSecurityStandard: restricted\n  hardening: {enabled: true}\n"

DEPLOYMENT = """---
# Source: c/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web   # kept
    spec:
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: app
          image: 'nginx'
          securityContext:
            {}
"""


def test_block_yaml_gets_the_fields_as_inserted_lines(tmp_path):
    out = chart_output(render(tmp_path, DEPLOYMENT, HARDEN)).decode()
    assert out == """---
# Source: c/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web   # kept
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 12345
        runAsGroup: 12345
        fsGroup: 12345
        seccompProfile:
          type: RuntimeDefault
      initContainers:
        - name: init
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
          image: busybox
      containers:
        - name: app
          image: 'nginx'
          securityContext:
            {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
"""


def test_the_hardened_pod_passes_restricted(tmp_path):
    result = render(tmp_path, DEPLOYMENT, RESTRICTED)
    (dep,) = objects(chart_output(result))
    template = dep["spec"]["template"]
    assert evaluate_pod(template["metadata"], template["spec"], "restricted", "latest") == []
    assert result.notes == []


def test_post_rendering_the_output_again_changes_nothing(tmp_path):
    once = chart_output(render(tmp_path, DEPLOYMENT, HARDEN))
    assert chart_output(render(tmp_path, once.decode(), HARDEN)) == once


def test_without_hardening_nothing_changes(tmp_path):
    assert chart_output(render(tmp_path, DEPLOYMENT, "policies: {}\n")).decode() == DEPLOYMENT


EXPLICIT = """apiVersion: v1
kind: Pod
metadata: {name: root}
spec:
  securityContext:
    runAsNonRoot: false
    runAsUser: 0
  containers:
    - name: app
      image: busybox
      securityContext:
        allowPrivilegeEscalation: true
        capabilities: {drop: [NET_RAW]}
    - name: side
      image: busybox
      securityContext:
        runAsUser: 0
  ephemeralContainers:
    - name: debug
      image: busybox
"""


def test_explicit_chart_values_are_kept_and_noted(tmp_path):
    result = render(tmp_path, EXPLICIT, RESTRICTED.replace("restricted", "restricted\n  podSecurity: {mode: warn}"))
    (pod,) = objects(chart_output(result))
    ctx = pod["spec"]["securityContext"]
    assert ctx == {"runAsNonRoot": False, "runAsUser": 0, "runAsGroup": 12345, "fsGroup": 12345,
                   "seccompProfile": {"type": "RuntimeDefault"}}
    app, side = pod["spec"]["containers"]
    assert app["securityContext"] == {"allowPrivilegeEscalation": True, "capabilities": {"drop": ["NET_RAW"]}}
    assert side["securityContext"] == {"runAsUser": 0, "allowPrivilegeEscalation": False,
                                       "capabilities": {"drop": ["ALL"]}}
    assert pod["spec"]["ephemeralContainers"][0]["securityContext"]["allowPrivilegeEscalation"] is False
    paths = sorted(n.path for n in result.notes)
    assert paths == ["spec.containers[0].securityContext.allowPrivilegeEscalation",
                     "spec.containers[0].securityContext.capabilities.drop",
                     "spec.containers[1].securityContext.runAsUser",
                     "spec.securityContext.runAsNonRoot", "spec.securityContext.runAsUser"]
    assert all(n.feature == "hardening" and "vnp keeps it" in n.message for n in result.notes)


def test_enforce_mode_still_refuses_what_the_chart_set(tmp_path):
    with pytest.raises(VnpError, match="runAsNonRoot"):
        render(tmp_path, EXPLICIT, RESTRICTED)


def test_baseline_sets_only_what_keeps_the_user(tmp_path):
    values = "policies:\n  podSecurityStandard: baseline\n  hardening: {enabled: true}\n"
    (pod,) = objects(chart_output(render(tmp_path, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                                   "  containers:\n  - name: a\n    image: x\n", values)))
    assert pod["spec"]["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}}
    assert pod["spec"]["containers"][0]["securityContext"] == {"allowPrivilegeEscalation": False}


def test_configured_ids_and_fields_turned_off(tmp_path):
    values = ("policies:\n  hardening:\n    enabled: true\n    runAsUser: 1000\n    fsGroup: 2000\n"
              "    runAsGroup: null\n    dropAllCapabilities: false\n    seccompProfile: ''\n")
    (pod,) = objects(chart_output(render(tmp_path, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                                   "  containers:\n  - name: a\n    image: x\n", values)))
    assert pod["spec"]["securityContext"] == {"runAsNonRoot": True, "runAsUser": 1000, "runAsGroup": 12345,
                                              "fsGroup": 2000}
    assert pod["spec"]["containers"][0]["securityContext"] == {"allowPrivilegeEscalation": False}


def test_flow_style_json_document(tmp_path):
    stream = ('{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "j"}, "spec": {"template": '
              '{"spec": {"containers": [{"name": "a", "image": "x", "securityContext": null}]}}}}\n')
    result = render(tmp_path, stream, RESTRICTED)
    (dep,) = objects(chart_output(result))
    template = dep["spec"]["template"]
    assert evaluate_pod({}, template["spec"], "restricted", "latest") == []
    again = chart_output(render(tmp_path, chart_output(result).decode(), RESTRICTED))
    assert again == chart_output(result)


def test_null_and_empty_values_on_the_path(tmp_path):
    stream = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n"
              "      template:\n        spec:\n          securityContext:\n          containers:\n"
              "          - name: a\n            image: x\n            securityContext:\n              capabilities:\n"
              "                drop:\n")
    (cj,) = objects(chart_output(render(tmp_path, stream, RESTRICTED)))
    spec = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["containers"][0]["securityContext"]["capabilities"] == {"drop": ["ALL"]}


def test_windows_pods_get_only_run_as_non_root(tmp_path):
    stream = ("apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n"
              "  containers:\n  - name: a\n    image: x\n")
    (pod,) = objects(chart_output(render(tmp_path, stream, HARDEN)))
    assert pod["spec"]["securityContext"] == {"runAsNonRoot": True}
    assert "securityContext" not in pod["spec"]["containers"][0]


def test_crlf_documents_keep_their_line_ends(tmp_path):
    stream = ("apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n"
              "  - name: a\r\n    image: x\r\n")
    out = chart_output(render(tmp_path, stream, HARDEN))
    assert b"\n" not in out.replace(b"\r\n", b"")
    assert objects(out)[0]["spec"]["securityContext"]["runAsUser"] == 12345


def test_custom_kinds_with_a_pod_spec_and_without(tmp_path):
    stream = ("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro}\nspec:\n  template:\n"
              "    spec:\n      containers:\n      - name: a\n        image: x\n"
              "---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: prom}\nspec: {}\n"
              "---\napiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: vm}\nspec:\n  template:\n"
              "    spec:\n      domain: {devices: {}}\n")
    result = render(tmp_path, stream, HARDEN)
    ro, prom, vm = objects(chart_output(result))
    assert ro["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert prom["spec"] == {} and "securityContext" not in vm["spec"]["template"]["spec"]
    notes = {n.doc.kind: n.message for n in result.notes}
    assert set(notes) == {"Prometheus", "VirtualMachine"}
    assert "no pod spec" in notes["Prometheus"] and "not a PodSpec" in notes["VirtualMachine"]


HOOK = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test}\nspec:\n"
        "  containers:\n  - name: a\n    image: x\n")


def test_hooks_helm3_never_hands_over_are_noted_not_changed(tmp_path):
    result = render(tmp_path, HOOK, HARDEN, hooks_unseen=True)
    assert chart_output(result).decode() == HOOK
    assert [n.feature for n in result.notes] == ["hardening"] and "Helm 3" in result.notes[0].message
    helm4 = render(tmp_path, HOOK, HARDEN)
    assert objects(chart_output(helm4))[0]["spec"]["securityContext"]["runAsNonRoot"] is True


@pytest.mark.parametrize("stream, why", [
    # one securityContext anchored and aliased by two containers: an edit at the anchor reaches both
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n"
     "    securityContext: &sc\n      privileged: false\n  - name: b\n    image: x\n    securityContext: *sc\n",
     "anchor"),
    # the pod spec reached through a merge key
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  <<: {securityContext: {runAsNonRoot: false}}\n"
     "  containers:\n  - name: a\n    image: x\n", "merge"),
    # a tagged mapping on the path
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: !!map\n  containers:\n  - name: a\n    image: x\n",
     "tag"),
])
def test_shapes_it_cannot_edit_safely_fail_closed(tmp_path, stream, why):
    with pytest.raises(VnpError, match="cannot apply hardening|refuses"):
        render(tmp_path, stream, HARDEN)


def test_a_duplicate_key_hiding_a_security_context_is_refused(tmp_path):
    stream = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: false}\n"
              "  containers:\n  - name: a\n    image: x\n  securityContext: {}\n")
    with pytest.raises(VnpError, match="duplicate|twice|more than once"):
        render(tmp_path, stream, HARDEN)


def test_decoy_lines_inside_scalars_are_text(tmp_path):
    """A multi-line quoted scalar and a block scalar holding ``securityContext:`` lines: the edit goes where
    the parser says the pod spec is, and the result decodes to exactly the intended change."""
    stream = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: \"x\n  securityContext:\n"
              "      runAsNonRoot: false\"\n    b: |\n      securityContext:\n        runAsUser: 0\nspec:\n"
              "  containers:\n  - name: a\n    image: x\n")
    result = render(tmp_path, stream, RESTRICTED)
    (pod,) = objects(chart_output(result))
    assert evaluate_pod(pod["metadata"], pod["spec"], "restricted", "latest") == []
    assert pod["metadata"]["annotations"]["b"] == "securityContext:\n  runAsUser: 0\n"
    assert result.notes == []


def test_a_container_written_in_flow_style_inside_block_yaml(tmp_path):
    stream = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
              "  containers: [{name: a, image: x}, {name: b, image: y, securityContext: {runAsUser: 7}}]\n")
    (pod,) = objects(chart_output(render(tmp_path, stream, RESTRICTED)))
    assert evaluate_pod({}, pod["spec"], "restricted", "latest") == []
    assert pod["spec"]["containers"][1]["securityContext"]["runAsUser"] == 7


def test_a_v1_pod_template_is_hardened_too(tmp_path):
    stream = ("apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n"
              "    containers: [{name: a, image: x}]\n")
    (pt,) = objects(chart_output(render(tmp_path, stream, RESTRICTED)))
    assert evaluate_pod({}, pt["template"]["spec"], "restricted", "latest") == []


@pytest.mark.parametrize("head", ["", "\ufeff"], ids=["plain", "bom"])
def test_non_ascii_text_before_the_edits(tmp_path, head):
    """Edits are byte offsets from character positions: multi-byte text (and a BOM) before them must not
    shift them."""
    stream = (head + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {note: \"café ☕ 𝄞\"}\n"
              "spec:\n  containers:\n  - name: a  # ünïcode\n    image: x\n")
    out = chart_output(render(tmp_path, stream, RESTRICTED))
    (pod,) = objects(out.removeprefix("\ufeff".encode()))
    assert pod["metadata"]["annotations"]["note"] == "café ☕ 𝄞"
    assert evaluate_pod({}, pod["spec"], "restricted", "latest") == []
    assert "# ünïcode" in out.decode("utf-8")
