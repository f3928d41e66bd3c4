"""What every rule promises: it triggers on its own example, a default run reports it at exactly its
declared severity (what --list-rules, docs/rules/ and SARIF say), and every option its page documents
can be set - on the command line and in a lint config file - while a wrong one is a located error."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helm_vnp.cli import app
from helm_vnp.rules.registry import all_rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
NETPOL = "policies:\n  networkPolicy:\n    enabled: true\n"


def _deployment(name="web", spec="", pod_spec="", replicas=1, labels="", namespace="", annotations=""):
    ns = f"  namespace: {namespace}\n" if namespace else ""
    ann = f"  annotations: {annotations}\n" if annotations else ""
    return (f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{ns}{ann}spec:\n"
            f"  replicas: {replicas}\n{spec}  selector:\n    matchLabels: {{app: {name}}}\n  template:\n"
            f"    metadata:\n      labels: {{app: {name}{labels}}}\n    spec:\n{pod_spec}"
            "      containers:\n        - name: app\n          image: nginx\n")


PRIVILEGED_POD = """\
---
apiVersion: v1
kind: Pod
metadata:
  name: everything
  annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}
spec:
  hostNetwork: true
  hostPID: true
  securityContext:
    runAsNonRoot: false
    runAsUser: 0
    seLinuxOptions: {type: custom_t}
    seccompProfile: {type: Unconfined}
    sysctls: [{name: kernel.msgmax, value: "1"}]
    windowsOptions: {hostProcess: true}
    appArmorProfile: {type: Unconfined}
  volumes: [{name: h, hostPath: {path: /}}]
  containers:
    - name: app
      image: nginx
      ports: [{containerPort: 80, hostPort: 80}]
      livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}
      securityContext:
        privileged: true
        allowPrivilegeEscalation: true
        capabilities: {add: [SYS_ADMIN]}
        procMount: Unmasked
"""

_TENANT = "policies:\n  tenant:\n"
_SVC = "---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n{spec}  ports: [{{port: 80}}]\n"
_INGRESS = ("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
            "  rules: [{host: '*.evil.example.org'}]\n")

# rule ID -> (stream, values): the rule's own example, in a default run (no lint flags)
CASES = {
    "config.apiServerPeers": (_deployment(), NETPOL + "    controlPlane:\n"
                              "      selector: {matchLabels: {app: web}}\n"),
    "config.controlPlaneSelector": (_deployment(), NETPOL + "    controlPlane:\n"
                                    "      selector: {matchLabels: {app: vcluster}}\n"),
    "config.emptyPolicy": (_deployment(), "policies:\n  resourceQuota:\n    enabled: true\n    quota: null\n"),
    "config.exceptOverlap": (_deployment(), NETPOL + "    workload:\n      publicEgress:\n        cidr: 0.0.0.0/0\n"
                             "        except: [10.0.0.0/8, 10.96.0.0/12]\n"),
    "config.redundantRule": (_deployment(), NETPOL + "    workload:\n      egress:\n        - to:\n"
                             "            - namespaceSelector: "
                             "{matchLabels: {kubernetes.io/metadata.name: kube-system}}\n"
                             "              podSelector: {matchLabels: {k8s-app: kube-dns}}\n"
                             "          ports: [{port: 53, protocol: UDP}]\n"),
    "config.schema": (_deployment(), "policies:\n  podSecurityStandard: strict\n"),
    "config.unsupported": (_deployment(), "policies:\n  centralAdmission:\n    validatingWebhooks: []\n"),
    "limitrange.fit": (_deployment().replace("image: nginx\n",
                                             "image: nginx\n          resources: {requests: {memory: 1Gi}}\n"),
                       "policies:\n  limitRange:\n    enabled: true\n"),
    "lint.disableAnnotation": (_deployment(annotations='{vnp.helm-plugin.io/disable: "pss.runAsNonroot"}'), ""),
    "netpol.apiServer": (_deployment(pod_spec="      serviceAccountName: operator\n") + textwrap.dedent("""\
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: operator}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: operator}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: operator}
        subjects: [{kind: ServiceAccount, name: operator, namespace: team}]
        """), NETPOL + "    apiServer: {peers: []}\n"),
    "netpol.blocked": (_deployment() + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                       "  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: networking.k8s.io/v1\n"
                       "kind: Ingress\nmetadata: {name: web}\nspec:\n  ingressClassName: my-lb\n"
                       "  defaultBackend: {service: {name: web, port: {number: 80}}}\n", NETPOL),
    "netpol.chartWidens": (_deployment() + textwrap.dedent("""\
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress: [{ports: [{port: 8080}]}]
        """), NETPOL),
    "netpol.dnsPort": (_deployment(), NETPOL + "    dns: {preset: vcluster}\n    workload:\n      egress:\n"
                       "        - ports: [{port: 53, protocol: UDP}]\n"),
    "netpol.exposure": (_deployment() + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                        "  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n", ""),
    "netpol.hostNetwork": (_deployment(pod_spec="      hostNetwork: true\n"), ""),
    "netpol.metadata": (_deployment(), NETPOL + "    workload:\n      egress:\n"
                        "        - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n"),
    "netpol.opened": (_deployment() + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                      "  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: networking.k8s.io/v1\n"
                      "kind: Ingress\nmetadata: {name: web}\nspec:\n  ingressClassName: nginx\n"
                      "  defaultBackend: {service: {name: web, port: {number: 80}}}\n", NETPOL),
    "netpol.malformedSelector": (_deployment() + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                                 "metadata: {name: web}\nspec:\n  podSelector: {app: web}\n", ""),
    "netpol.peerMatchesNothing": (_deployment() + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                                  "metadata: {name: web}\nspec:\n  podSelector: {matchLabels: {app: web}}\n"
                                  "  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]\n", ""),
    "netpol.selectsNothing": (_deployment() + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                              "metadata: {name: web}\nspec:\n  podSelector: {matchLabels: {app: wbe}}\n", ""),
    "netpol.unapplied": (_deployment(), NETPOL + "mapServices:\n  fromHost:\n"
                         "    - {from: shared/postgres, to: elsewhere/db}\n"),
    "netpol.unselectedPod": (_deployment() + _deployment("worker") + "---\napiVersion: networking.k8s.io/v1\n"
                             "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n"
                             "  podSelector: {matchLabels: {app: web}}\n", ""),
    "quota.fit": (_deployment(replicas=25), "policies:\n  resourceQuota:\n    enabled: true\n"),
    "rbac.tenantEscape": ("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                          "metadata: {name: patcher}\nrules: [{apiGroups: [admissionregistration.k8s.io], "
                          "resources: [validatingwebhookconfigurations], verbs: [get, update]}]\n", ""),
    "mutation.notApplied": ("---\napiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n"
                            "  securityContext: {runAsNonRoot: false}\n  containers: [{name: app, image: busybox}]\n",
                            "policies:\n  hardening: {enabled: true}\n"),
    "render.warning": ("---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n    spec:\n"
                       "      restartPolicy: Never\n      containers: [{name: app, image: busybox}]\n", NETPOL),
    "scope.cluster": ("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                      "metadata: {name: reader}\n", ""),
    "scope.namespace": ("---\napiVersion: v1\nkind: Service\nmetadata: {name: exporter, namespace: kube-system}\n"
                        "spec:\n  ports: [{port: 80}]\n", ""),
    "service.selectsNothing": (_deployment() + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                               "  selector: {app: wbe}\n  ports: [{port: 80}]\n", ""),
    "stream.yaml": ("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: b\ndata: {}\n", ""),
    **{f"tenant.{name}": case for name, case in {
        "serviceType": (_SVC.format(spec="  type: NodePort\n"),
                        _TENANT + "    services: {allowedTypes: [ClusterIP]}\n"),
        "serviceExternalIPs": (_SVC.format(spec="  externalIPs: [1.2.3.4]\n"),
                               _TENANT + "    services: {externalIPs: {allowed: [10.0.0.0/8]}}\n"),
        "serviceSourceRanges": (_SVC.format(spec="  type: LoadBalancer\n  loadBalancerSourceRanges: [0.0.0.0/0]\n"),
                                _TENANT + "    services: {loadBalancerSourceRanges: {allowed: [10.0.0.0/8]}}\n"),
        "serviceLoadBalancerClass": (_SVC.format(spec="  type: LoadBalancer\n  loadBalancerClass: example.com/lb\n"),
                                     _TENANT + "    services: {loadBalancerClasses: {allowed: [internal]}}\n"),
        "serviceMetadata": (_SVC.format(spec="").replace("name: web}", "name: web, labels: {pool: x}}"),
                            _TENANT + "    services: {forbiddenLabels: {denied: [pool]}}\n"),
        "imageRegistry": (_deployment(), _TENANT + "    images: {registries: {allowed: [registry.example.com]}}\n"),
        "imagePullPolicy": (_deployment(), _TENANT + "    images: {pullPolicy: {allowed: [IfNotPresent]}}\n"),
        "imageDigest": (_deployment(), _TENANT + "    images: {requireDigest: true}\n"),
        "ingressHostname": (_INGRESS, _TENANT + "    ingress: {hostnames: {allowed: [shop.example.com]}}\n"),
        "wildcardHostname": (_INGRESS, _TENANT + "    ingress: {allowWildcardHostnames: false}\n"),
        "resourceRequests": (_deployment(), _TENANT + "    resources: {requireRequests: [cpu]}\n"),
        "resourceLimits": (_deployment(), _TENANT + "    resources: {requireLimits: [memory]}\n"),
        "resourceRatio": (_deployment().replace("image: nginx\n", "image: nginx\n          resources: "
                                                "{requests: {cpu: 100m}, limits: {cpu: '1'}}\n"),
                          _TENANT + "    resources: {maxLimitRequestRatio: {cpu: '4'}}\n"),
        "resourceMax": (_deployment().replace("image: nginx\n", "image: nginx\n          resources: "
                                              "{limits: {memory: 8Gi}}\n"),
                        _TENANT + "    resources: {max: {memory: 4Gi}}\n"),
        "forbiddenLabel": (_deployment(labels=", platform.example.com/trusted: 'true'"),
                           _TENANT + "    metadata: {forbiddenLabels: {deniedRegex: ^platform\\.example\\.com/}}\n"),
        "forbiddenAnnotation": (_deployment(annotations="{backup.example.com/skip: 'true'}"),
                                _TENANT + "    metadata: {forbiddenAnnotations: {denied: [backup.example.com/skip]}}"
                                "\n"),
        "requiredLabel": (_deployment(), _TENANT + "    metadata: {requiredLabels: {team: '*'}}\n"),
        "runtimeClass": (_deployment(pod_spec="      runtimeClassName: kata\n"),
                         _TENANT + "    classes: {runtimeClasses: {allowed: [gvisor]}}\n"),
        "priorityClass": (_deployment(pod_spec="      priorityClassName: system-cluster-critical\n"),
                          _TENANT + "    classes: {priorityClasses: {allowedRegex: ^tenant-}}\n"),
        "storageClass": ("---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n"
                         "  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n"
                         "  resources: {requests: {storage: 1Gi}}\n",
                         _TENANT + "    classes: {storageClasses: {allowed: [standard]}}\n"),
        "ingressClass": (_INGRESS, _TENANT + "    classes: {ingressClasses: {allowed: [internal]}}\n"),
        "gatewayClass": ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\n"
                         "spec:\n  gatewayClassName: public\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n",
                         _TENANT + "    classes: {gatewayClasses: {allowed: [internal]}}\n"),
    }.items()},
    "workload.unknownKind": ("---\napiVersion: example.com/v1\nkind: Worker\nmetadata: {name: w}\nspec:\n"
                             "  template:\n    spec:\n      containers: [{name: w, image: w}]\n", NETPOL),
}
PSS = {r.id for r in all_rules() if r.id.startswith("pss.")}
# A default run lints at restricted, where these baseline checks give way to their restricted versions
# (upstream's overrides); they report at baseline, in warn mode as loud as a default run.
OVERRIDDEN_AT_RESTRICTED = {"pss.capabilities_baseline", "pss.hostPathVolumes", "pss.procMount",
                            "pss.seccompProfile_baseline"}
BASELINE_WARN = "policies:\n  podSecurityStandard: baseline\n  podSecurity: {mode: warn}\n"


def _lint(tmp_path: Path, stream: str, values: str, *flags: str) -> tuple[int, list[dict], str]:
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(stream)
    args = ["lint", "--rendered", str(manifest), "-n", "team", "--release", "rel", "--format", "json",
            "--fail-on", "never", "--lint-config", str(_empty_config(tmp_path)), *flags]
    if values:
        (tmp_path / "values.yaml").write_text(values)
        args += ["-f", str(tmp_path / "values.yaml")]
    result = CliRunner().invoke(app, args)
    findings = json.loads(result.stdout)["findings"] if result.exit_code == 0 else []
    return result.exit_code, findings, result.output


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "empty-lint.yaml"
    path.write_text("{}\n")
    return path


def test_every_rule_has_a_case():
    assert set(CASES) | PSS == {r.id for r in all_rules()}


@pytest.mark.parametrize("rule", sorted(all_rules(), key=lambda r: r.id), ids=lambda r: r.id)
def test_a_default_run_reports_the_declared_severity(rule, tmp_path):
    stream, values = CASES.get(rule.id, (PRIVILEGED_POD, BASELINE_WARN if rule.id in OVERRIDDEN_AT_RESTRICTED else ""))
    code, findings, output = _lint(tmp_path, stream, values)
    assert code == 0, output
    mine = [f for f in findings if f["rule"] == rule.id]
    assert mine, f"{rule.id} does not trigger on its example: {findings}"
    assert max((f["severity"] for f in mine), key=["info", "warning", "error"].index) == rule.severity


def _documented_options(rule_id: str) -> list[str]:
    page = (DOCS / f"{rule_id}.md").read_text()
    if "## Options" not in page:
        return []
    table = page.split("## Options", 1)[1].split("\n\n", 2)[1]
    return re.findall(r"^\| `([^`]+)` \|", table, re.M)


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.options or _documented_options(r.id)],
                         ids=lambda r: r.id)
def test_every_documented_option_can_be_set(rule, tmp_path):
    documented = _documented_options(rule.id)
    assert documented == [o.name for o in rule.options]
    stream, values = CASES.get(rule.id, (PRIVILEGED_POD, ""))
    for option in rule.options:
        value = option.choices[-1] if option.choices else option.default
        code, _, output = _lint(tmp_path, stream, values, "--rule-option", f"{rule.id}.{option.name}={value}")
        assert code == 0, output
        config = tmp_path / "lint.yaml"
        config.write_text(f"rules:\n  {rule.id}:\n    {option.name}: {value}\n")
        code, _, output = _lint(tmp_path, stream, values, "--lint-config", str(config))
        assert code == 0, output


def test_options_change_what_is_reported(tmp_path):
    stream, values = _deployment(replicas=17), "policies:\n  resourceQuota:\n    enabled: true\n"
    _, findings, _ = _lint(tmp_path, stream, values)
    assert {f["severity"] for f in findings if f["rule"] == "quota.fit"} == {"warning"}  # 17 of 20 > 80%
    config = tmp_path / ".vnp-lint.yaml"
    config.write_text("rules:\n  quota.fit: {headroom: 0.9}\n")
    _, findings, _ = _lint(tmp_path, stream, values, "--lint-config", str(config))
    assert [f for f in findings if f["rule"] == "quota.fit"] == []
    _, findings, _ = _lint(tmp_path, PRIVILEGED_POD, "", "--rule-option", "pss.level=baseline")
    assert {f["severity"] for f in findings if f["rule"].startswith("pss.")} == {"error"}
    assert not any(f["rule"] == "pss.runAsNonRoot" for f in findings)  # a restricted check: not at baseline


def test_the_lint_config_is_found_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".vnp-lint.yaml").write_text("disable: [netpol.hostNetwork]\n")
    (tmp_path / "charts").mkdir()
    monkeypatch.chdir(tmp_path / "charts")
    manifest = tmp_path / "charts" / "rendered.yaml"
    manifest.write_text(_deployment(pod_spec="      hostNetwork: true\n"))
    result = CliRunner().invoke(app, ["lint", "--rendered", str(manifest), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert not any(f["rule"] == "netpol.hostNetwork" for f in json.loads(result.stdout)["findings"])


@pytest.mark.parametrize("flag, message", [
    ("quota.fit.headroom=2", "quota.fit.headroom: 2.0 is out of range"),
    ("quota.fit.nodes=three", "invalid value 'three' (expected int)"),
    ("quota.fit.nope=1", "rule quota.fit has no option 'nope'"),
    ("quotas.fit.nodes=1", "'quotas.fit' names no rule"),
    ("pss.level=strict", "pss.level: invalid value 'strict'"),
    ("headroom", "(expected RULE.OPTION=VALUE"),
])
def test_a_wrong_option_is_a_clear_error(flag, message, tmp_path):
    code, _, output = _lint(tmp_path, _deployment(), "", "--rule-option", flag)
    assert code == 2 and message in output, output
    assert "Traceback" not in output


@pytest.mark.parametrize("text, line, message", [
    ("rules:\n  quota.fit:\n    headroom: high\n", 3, "invalid value 'high' (expected float)"),
    ("disable: []\nunknown: 1\n", 2, "unknown key"),
    ("rules: [quota.fit]\n", 1, "expected a mapping"),
    ("disable: [quota.fits]\n", None, "disable names no rule: quota.fits"),
])
def test_a_wrong_lint_config_is_located(text, line, message, tmp_path):
    config = tmp_path / "lint.yaml"
    config.write_text(text)
    code, _, output = _lint(tmp_path, _deployment(), "", "--lint-config", str(config))
    assert code == 2 and message in output, output
    assert (f"{config}:{line}" if line else str(config)) in output
