"""`helm vnp lint --rendered`: where findings point, what is an object, disabling, exit codes, output."""
from __future__ import annotations

import json
import os

from tests.builders import dump, obj
from tests.lint.lint_helpers import (
    BAD_DEPLOYMENT,
    GOOD_DEPLOYMENT,
    PRIVILEGED_POD,
    bad_deployment,
    lint_json,
    only,
    privileged_pod,
    pss_findings,
    rules_of,
    run_cli,
    write,
)
from tests.lint.lint_helpers import run_cli as _run_cli

RESTRICTED_BAD = ["pss.allowPrivilegeEscalation", "pss.capabilities_restricted", "pss.runAsNonRoot",
                  "pss.seccompProfile_restricted"]


def test_multi_document_file_points_at_each_object_start(tmp_path):
    path = write(tmp_path / "all.yaml", "# leading comment\n---\n" + GOOD_DEPLOYMENT + "---\n\n" + BAD_DEPLOYMENT)
    report = lint_json("--rendered", path, *only("pss."))
    assert rules_of(report) == RESTRICTED_BAD
    web_start = 3 + GOOD_DEPLOYMENT.count("\n") + 2  # comment, ---, api..., ---, blank line
    for f in pss_findings(report):
        assert f["source"] == {"file": path, "line": web_start}
        assert f["object"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "namespace": "shop"}
        assert f["severity"] == "warning"  # no podSecurityStandard configured: restricted, as warnings
    assert report["summary"]["objects"] == 2
    assert report["summary"]["bySeverity"] == {"error": 0, "warning": 4, "info": 0}
    assert report["summary"]["byRule"] == {r: 1 for r in RESTRICTED_BAD}


def test_directory_is_searched_recursively_in_sorted_order_and_names_the_file(tmp_path):
    root = tmp_path / "manifests"
    write(root / "b" / "pod.yml", PRIVILEGED_POD)
    write(root / "a.yaml", BAD_DEPLOYMENT)
    write(root / "notes.txt", PRIVILEGED_POD)  # not a manifest suffix: ignored
    write(root / ".git" / "x.yaml", PRIVILEGED_POD)  # hidden directory: ignored
    (root / "c.json").write_text(json.dumps(json.loads(json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "from-json"},
        "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": True}}]}})),
        indent="\t"))
    report = lint_json("--rendered", str(root))
    files = {f["object"]["name"]: f["source"] for f in pss_findings(report)}
    assert files == {"web": {"file": str(root / "a.yaml"), "line": 1},
                     "root-pod": {"file": str(root / "b" / "pod.yml"), "line": 1},
                     "from-json": {"file": str(root / "c.json"), "line": 1}}
    assert report["summary"]["objects"] == 3
    assert [f["source"]["file"] for f in report["findings"]] == sorted(f["source"]["file"] for f in report["findings"])


def test_stdin_and_container_field(tmp_path):
    report = lint_json("--rendered", "-", stdin=PRIVILEGED_POD.encode())
    by_rule = {f["rule"]: f for f in pss_findings(report)}
    assert by_rule["pss.privileged"]["source"] == {"file": "<stdin>", "line": 1}
    assert by_rule["pss.privileged"]["container"] == "box"
    assert by_rule["pss.privileged"]["message"] == (
        'would violate PodSecurity "restricted:latest": privileged (container "box" must not set '
        'securityContext.privileged=true)')
    assert "container" not in by_rule["pss.hostNamespaces"]  # a pod-level fault names no container


def test_list_items_are_objects_pointing_at_the_list(tmp_path):
    items = obj("List", items=[privileged_pod(), obj("Service", "svc")])
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n---\n" + dump(items)  # the List on line 5
    path = write(tmp_path / "list.yaml", text)
    report = lint_json("--rendered", path)
    assert report["summary"]["objects"] == 3  # the ConfigMap and the two items (the List itself is no object)
    pod = [f for f in pss_findings(report) if f["object"]["name"] == "root-pod"]
    assert pod and all(f["source"] == {"file": path, "line": 5} for f in pod)


def test_broken_document_is_a_finding_and_the_rest_is_linted(tmp_path):
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  labels: {a: b\ndata: {}\n"
    path = write(tmp_path / "mixed.yaml", broken + "---\n" + BAD_DEPLOYMENT)
    code, out, err = run_cli("lint", "--rendered", path, "--format", "json")
    assert code == 1, err  # stream.yaml is an error
    report = json.loads(out)
    stream = [f for f in report["findings"] if f["rule"] == "stream.yaml"]
    assert len(stream) == 1 and stream[0]["source"]["file"] == path
    assert 5 <= stream[0]["source"]["line"] <= 7
    assert stream[0]["message"].startswith("invalid YAML")
    assert set(rules_of(report, "web")) == set(RESTRICTED_BAD)


def test_exit_codes_follow_fail_on(tmp_path):
    bad = write(tmp_path / "bad.yaml", BAD_DEPLOYMENT)
    good = write(tmp_path / "good.yaml", GOOD_DEPLOYMENT)
    pss = only("pss.")

    def run_cli(*args):
        return _run_cli(*args, *pss)
    assert run_cli("lint", "--rendered", good)[0] == 0
    assert run_cli("lint", "--rendered", bad)[0] == 0  # warnings only, default --fail-on error
    assert run_cli("lint", "--rendered", bad, "--fail-on", "warning")[0] == 1
    assert run_cli("lint", "--rendered", bad, "--pss-level", "restricted")[0] == 1  # explicit level: errors
    assert run_cli("lint", "--rendered", bad, "--pss-level", "restricted", "--fail-on", "never")[0] == 0
    assert run_cli("lint", "--rendered", good, "--fail-on", "warning")[0] == 0


def test_usage_and_input_errors_exit_2_without_traceback(tmp_path):
    bad = write(tmp_path / "bad.yaml", BAD_DEPLOYMENT)
    cases = [
        (["lint"], "nothing to lint"),
        (["lint", "--rendered", str(tmp_path / "missing.yaml")], "file not found (expected an existing file"),
        (["lint", "--rendered", str(tmp_path)], None),  # a directory with bad.yaml: fine (checked below)
        (["lint", "--rendered", bad, "--format", "xml"], "--format: unknown format 'xml' (expected text, json"),
        (["lint", "--rendered", bad, "--fail-on", "info"],
         "--fail-on: invalid value 'info' (expected error, warning or never)"),
        (["lint", "--rendered", bad, "--pss-level", "strict"],
         "--pss-level: invalid value 'strict' (expected baseline or restricted)"),
        (["lint", "--rendered", bad, "--disable", "psss"], "--disable names no rule: psss"),
        (["lint", "--rendered", bad, "-f", str(tmp_path / "nope.yaml")], "values file not found"),
        (["lint", "--rendered", "-", "-f", "-"], "standard input can be read only once"),
        (["lint", "chart", "--rendered", bad], "not both"),
        (["lint", "--rendered", bad, "--release", "Not_A_Name"], "invalid release name"),
    ]
    for args, message in cases:
        code, out, err = run_cli(*args)
        if message is None:
            assert code == 0, err
            continue
        assert code == 2, (args, out, err)
        assert message in err, (args, err)
        assert "Traceback" not in err and out == "", (args, out, err)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_cli("lint", "--rendered", str(empty))
    assert code == 2 and "no *.yaml" in err


def test_disable_by_id_family_and_glob(tmp_path):
    path = write(tmp_path / "pod.yaml", PRIVILEGED_POD)
    everything = rules_of(lint_json("--rendered", path))
    assert "pss.privileged" in everything and "pss.hostNamespaces" in everything
    assert "pss.privileged" not in rules_of(lint_json("--rendered", path, "--disable", "pss.privileged"))
    assert rules_of(lint_json("--rendered", path, "--disable", "pss")) == []
    assert rules_of(lint_json("--rendered", path, "--disable", "pss.*")) == []
    left = rules_of(lint_json("--rendered", path, "--disable", "pss.host*", "--disable", "pss.privileged"))
    assert left and not any(r.startswith("pss.host") or r == "pss.privileged" for r in left)


def test_disable_annotation_per_object(tmp_path):
    def disabling(name: str, rules: str) -> str:
        return dump(privileged_pod(name, annotations={"vnp.helm-plugin.io/disable": rules}))
    annotated = disabling("root-pod", "pss.privileged, pss.hostNamespaces")
    every = disabling("all-off", "*")
    family = disabling("family-off", "pss")
    path = write(tmp_path / "pods.yaml", "---\n".join([annotated, every, family, BAD_DEPLOYMENT]))
    report = lint_json("--rendered", path)
    root = rules_of(report, "root-pod")
    assert root and "pss.privileged" not in root and "pss.hostNamespaces" not in root
    assert rules_of(report, "all-off") == [] and rules_of(report, "family-off") == []
    assert rules_of(report, "web") == RESTRICTED_BAD  # other objects unaffected


def test_a_disable_annotation_with_a_typo_is_reported(tmp_path):
    disable = {"vnp.helm-plugin.io/disable": "pss.runAsNonroot, psss, pss.privileged"}
    typo = dump(privileged_pod("typo", annotations=disable))
    report = lint_json("--rendered", write(tmp_path / "typo.yaml", typo))
    [f] = [f for f in report["findings"] if f["rule"] == "lint.disableAnnotation"]
    assert f["object"]["name"] == "typo" and "names no rule: pss.runAsNonroot, psss" in f["message"]
    assert "pss.privileged" not in rules_of(report, "typo")  # the valid entry still works


def test_release_and_namespace_defaults(tmp_path):
    labelled = dump(bad_deployment(namespace=None, labels={"app.kubernetes.io/instance": "shopfront"}))
    path = write(tmp_path / "d.yaml", labelled)
    summary = lint_json("--rendered", path)["summary"]
    assert (summary["release"], summary["namespace"]) == ("shopfront", "default")
    summary = lint_json("--rendered", path, env={"HELM_NAMESPACE": "envns"})["summary"]
    assert summary["namespace"] == "envns"
    summary = lint_json("--rendered", path, "-n", "flagns", "--release", "rel",
                        env={"HELM_NAMESPACE": "envns"})["summary"]
    assert (summary["release"], summary["namespace"]) == ("rel", "flagns")
    report = lint_json("--rendered", path)
    assert pss_findings(report)[0]["object"]["namespace"] == "default"  # no namespace in the object: the release's
    plain = write(tmp_path / "plain.yaml", GOOD_DEPLOYMENT)
    assert lint_json("--rendered", plain)["summary"]["release"] == "release"


def test_namespace_comes_from_the_stream_when_not_given(tmp_path):
    """`helm template -n shop` writes the namespace into the objects; Helm sets $HELM_NAMESPACE=default
    for every plugin, so the stream's own namespace wins over it, and -n over both."""
    path = write(tmp_path / "d.yaml", BAD_DEPLOYMENT)  # metadata.namespace: shop
    assert lint_json("--rendered", path, env={"HELM_NAMESPACE": "default"})["summary"]["namespace"] == "shop"
    assert lint_json("--rendered", path, "-n", "other")["summary"]["namespace"] == "other"
    report = lint_json("--rendered", path, "-n", "other", "--disable", "pss")
    # the Deployment's pods, in shop, are selected by no NetworkPolicy (vnp's isolation is off): info
    assert sorted(f["rule"] for f in report["findings"]) == ["netpol.unselectedPod", "scope.namespace"]


def test_output_file_is_written_whole_and_stdout_stays_empty(tmp_path):
    path = write(tmp_path / "bad.yaml", BAD_DEPLOYMENT)
    out_file = tmp_path / "out" / "report.json"
    out_file.parent.mkdir()
    out_file.write_text("old")
    code, out, err = run_cli("lint", "--rendered", path, "--format", "json", "--output", str(out_file), *only("pss."))
    assert code == 0 and out == "", err
    assert json.loads(out_file.read_text())["summary"]["total"] == 4
    assert os.listdir(out_file.parent) == ["report.json"]  # no temp file left behind
    code, out, err = run_cli("lint", "--rendered", path, "--output", str(tmp_path / "no" / "dir" / "r.txt"))
    assert code == 2 and "cannot write the report" in err


def test_config_errors_are_findings_and_lint_goes_on_with_defaults(tmp_path):
    values = write(tmp_path / "values.yaml", """\
        policies:
          podSecurityStandard: strict
          networkPolicy:
            enabled: yes-please
        """)
    path = write(tmp_path / "bad.yaml", BAD_DEPLOYMENT)
    report = lint_json("--rendered", path, "-f", values)
    config = [f for f in report["findings"] if f["rule"] == "config.schema"]
    assert {f["source"]["line"] for f in config} == {2, 4}
    assert all(f["source"]["file"] == values and f["severity"] == "error" for f in config)
    assert any("policies.podSecurityStandard" in f["message"] for f in config)
    assert set(rules_of(report, "web")) == set(RESTRICTED_BAD)  # still linted, with the defaults
    assert report["findings"][:len(config)] == config  # config findings come first


def test_config_warnings_are_unsupported_findings(tmp_path):
    values = write(tmp_path / "values.yaml", """\
        policies:
          centralAdmission:
            validatingWebhooks: []
        """)
    path = write(tmp_path / "good.yaml", GOOD_DEPLOYMENT)
    report = lint_json("--rendered", path, "-f", values, *only("config."))
    assert [(f["rule"], f["severity"], f["source"]["file"]) for f in report["findings"]] == [
        ("config.unsupported", "warning", values)]


def test_list_rules(tmp_path):
    code, out, err = run_cli("lint", "--list-rules")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert ids == sorted(ids) and {"pss.privileged", "config.schema", "stream.yaml"} <= set(ids)
    code, out, _ = run_cli("lint", "--list-rules", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == ids
