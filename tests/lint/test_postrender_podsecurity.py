"""The post-renderer enforces the configured Pod Security Standard: fail, warn, or exempt."""
from __future__ import annotations

import os
import subprocess

from tests.builders import dump
from tests.lint.lint_helpers import (
    BAD_DEPLOYMENT,
    CHARTS,
    GOOD_DEPLOYMENT,
    HELM4,
    POSTRENDER,
    PRIVILEGED_POD,
    good_deployment,
    need,
    run_cli,
)

STREAM = ("---\n" + BAD_DEPLOYMENT + "---\n" + PRIVILEGED_POD + "---\n" + GOOD_DEPLOYMENT).encode()


def postrender(*args: str, data: bytes = STREAM):
    exe = need(POSTRENDER, "the vnp-postrender console script")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNP_", "HELM_"))}
    proc = subprocess.run([str(exe), "--release", "demo", *args], input=data, capture_output=True, env=env,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode()


def test_enforce_fails_the_render_listing_every_violating_workload():
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted")
    assert code == 2 and out == b""  # fail closed: nothing for Helm to install
    assert "2 problems" in err
    assert ('Deployment web: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false '
            '(container "app" must set securityContext.allowPrivilegeEscalation=false)') in err
    assert 'Pod root-pod: would violate PodSecurity "restricted:latest": host namespaces (hostNetwork=true)' in err
    assert "Deployment api" not in err  # the compliant workload
    assert "Traceback" not in err


def test_version_is_honoured():
    seccomp_only = dump(good_deployment(seccomp=False)).encode()
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurityVersion=v1.18", data=seccomp_only)
    assert code == 0, err
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurityVersion=v1.19", data=seccomp_only)
    assert code == 2 and 'restricted:v1.19": seccompProfile' in err


def test_baseline_passes_what_only_restricted_forbids():
    code, out, err = postrender("--set", "policies.podSecurityStandard=baseline")
    assert code == 2 and "Deployment web" not in err and "Pod root-pod" in err
    assert "privileged (container \"box\" must not set securityContext.privileged=true)" in err


def test_warn_mode_writes_the_stream_and_warns():
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurity.mode=warn")
    assert code == 0 and out.startswith(b"---\napiVersion: apps/v1")
    warnings = [line for line in err.splitlines() if "would violate PodSecurity" in line]
    assert len(warnings) == 2 and all(w.startswith("warning: ") for w in warnings)


def test_exemptions_by_kind_and_name_with_wildcards():
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurity.exemptions[0].kind=Deployment",
                                "--set", "policies.podSecurity.exemptions[0].name=web",
                                "--set", "policies.podSecurity.exemptions[1].kind=*",
                                "--set", "policies.podSecurity.exemptions[1].name=root-pod")
    assert code == 0, err
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurity.exemptions[0].kind=Pod",
                                "--set", "policies.podSecurity.exemptions[0].name=*")
    assert code == 2 and "Pod root-pod" not in err and "Deployment web" in err
    code, out, err = postrender("--set", "policies.podSecurityStandard=restricted",
                                "--set", "policies.podSecurity.exemptions[0].kind=Deployment",
                                "--set", "policies.podSecurity.exemptions[0].name=other")
    assert code == 2 and "Deployment web" in err


def test_no_standard_or_privileged_checks_nothing():
    assert postrender()[0] == 0
    assert postrender("--set", "policies.podSecurityStandard=privileged")[0] == 0


def test_through_postrender_main_in_process(monkeypatch, capsys):
    import io
    import sys

    from helm_vnp.postrender import main

    class Stdin:
        buffer = io.BytesIO(STREAM)
    monkeypatch.setattr(sys, "stdin", Stdin)
    code = main(["--release", "demo", "--set", "policies.podSecurityStandard=restricted"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and "Deployment web: would violate" in captured.err


def test_helm_vnp_template_with_real_helm_fails_on_a_violating_chart():
    helm = need(HELM4, "helm4")
    chart = str(CHARTS / "web")
    code, out, err = run_cli("template", "demo", chart, "--set", "policies.podSecurityStandard=restricted",
                             env={"HELM_BIN": str(helm)})
    assert code != 0 and "would violate PodSecurity" in err and "demo-web" in err
    code, out, err = run_cli("template", "demo", chart, "--set", "policies.podSecurityStandard=restricted",
                             "--set", "hardened=true", env={"HELM_BIN": str(helm)})
    assert code == 0, err
    assert "kind: Deployment" in out
