"""Lint against admission: fixture charts that break Pod Security (the namespace labelled
pod-security.kubernetes.io/enforce at the level), overflow the generated ResourceQuota (pods, CPU,
memory, node ports, PVCs) or leave the LimitRange's min/max/ratio, installed for real with
`helm vnp install`.  What `helm vnp lint` predicts as errors (pss.*, quota.fit, limitrange.fit)
must be what the cluster refuses: directly (the install fails) or through a controller (a
FailedCreate event carrying the API server's message).  Where lint quotes the API server, the
quoted text is in the cluster's message.  The agreement is printed as N/M (`pytest -s`)."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

import pytest
import yaml

from tests.cluster.kube import Kube

REL = "fx"
LINT_RULES = ("pss.", "quota.fit", "limitrange.fit")
RESTRICTED_SC = {"runAsNonRoot": True, "runAsUser": 1000, "allowPrivilegeEscalation": False,
                 "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def deployment(name: str, replicas: int = 1, resources: dict | None = None, security: dict | None = None,
               pod: dict | None = None) -> dict:
    container = {"name": "app", "image": "registry.example/app:1"}
    if resources is not None:
        container["resources"] = resources
    if security is not None:
        container["securityContext"] = security
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [container], **(pod or {})}}}}


def res(cpu: str = "100m", mem: str = "64Mi", lcpu: str | None = None, lmem: str | None = None) -> dict:
    return {"requests": {"cpu": cpu, "memory": mem}, "limits": {"cpu": lcpu or cpu, "memory": lmem or mem}}


OK = res()


@dataclass
class Case:
    name: str
    objects: list[dict]
    policies: dict = field(default_factory=dict)
    pss: str = ""  # the namespace's enforce level


QUOTA = {"enabled": True, "quota": {"count/pods": "3", "requests.cpu": "1", "requests.memory": "1Gi",
                                    "limits.cpu": "2", "limits.memory": "2Gi", "services.nodeports": "0",
                                    "count/persistentvolumeclaims": "1", "requests.storage": "10Gi"}}
LIMITS = {"enabled": True, "default": {"cpu": "200m", "memory": "128Mi"}, "defaultRequest": {"cpu": "100m",
                                                                                          "memory": "64Mi"}}

# mode warn: vnp renders the violating workload (enforce would fail the render before the cluster sees it), so
# the cluster's own admission decides; lint runs at the level with --pss-level (errors)
PSS_BASELINE = {"podSecurityStandard": "baseline", "podSecurity": {"mode": "warn"}}
PSS_RESTRICTED = {"podSecurityStandard": "restricted", "podSecurity": {"mode": "warn"}}

CASES = [
    # Pod Security, each level (the namespace enforces it, vnp's config names it)
    Case("pss-baseline-privileged", [deployment("priv", security={"privileged": True}, resources=OK)],
         PSS_BASELINE, "baseline"),
    Case("pss-baseline-host", [deployment("host", resources=OK, pod={"hostNetwork": True, "hostPID": True})],
         PSS_BASELINE, "baseline"),
    Case("pss-baseline-caps-hostpath", [deployment("caps", resources=OK, security={
        "capabilities": {"add": ["NET_ADMIN"]}}, pod={"volumes": [{"name": "h", "hostPath": {"path": "/etc"}}]})],
         PSS_BASELINE, "baseline"),
    Case("pss-baseline-ok", [deployment("fine", resources=OK, security={"runAsUser": 0})],
         PSS_BASELINE, "baseline"),
    Case("pss-restricted-nothing-set", [deployment("bare", resources=OK)],
         PSS_RESTRICTED, "restricted"),
    Case("pss-restricted-partial", [deployment("partial", resources=OK, security={
        **RESTRICTED_SC, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CHOWN"]}, "runAsUser": 0})],
         PSS_RESTRICTED, "restricted"),
    Case("pss-restricted-ok", [deployment("good", resources=OK, security=RESTRICTED_SC)],
         PSS_RESTRICTED, "restricted"),
    # ResourceQuota overflow
    Case("quota-pods", [deployment("many", replicas=5, resources=OK)], {"resourceQuota": QUOTA}),
    Case("quota-cpu", [deployment("cpu", replicas=2, resources=res(cpu="700m"))], {"resourceQuota": QUOTA}),
    Case("quota-memory", [deployment("mem", replicas=2, resources=res(mem="700Mi"))], {"resourceQuota": QUOTA}),
    Case("quota-nodeport", [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np"},
                             "spec": {"type": "NodePort", "selector": {"app": "x"}, "ports": [{"port": 80}]}}],
         {"resourceQuota": QUOTA}),
    Case("quota-pvc", [{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": f"data-{i}"},
                        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
                       for i in (1, 2)], {"resourceQuota": QUOTA}),
    Case("quota-fits", [deployment("fits", replicas=2, resources=OK)], {"resourceQuota": QUOTA}),
    # LimitRange min / max / ratio, and request above a defaulted limit
    Case("limitrange-max", [deployment("big", resources=res(cpu="100m", lcpu="1"))],
         {"limitRange": {**LIMITS, "max": {"cpu": "500m"}}}),
    Case("limitrange-min", [deployment("small", resources=res(mem="16Mi"))],
         {"limitRange": {**LIMITS, "min": {"memory": "32Mi"}}}),
    # the config has no maxLimitRequestRatio: the chart renders its own LimitRange with one
    Case("limitrange-ratio", [{"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "ratio"},
                               "spec": {"limits": [{"type": "Container", "maxLimitRequestRatio": {"cpu": "4"}}]}},
                              deployment("ratio", resources=res(cpu="100m", lcpu="800m"))]),
    Case("limitrange-defaulted-limit", [deployment("deflimit", resources={"requests": {"memory": "256Mi"}})],
         {"limitRange": LIMITS}),
    Case("limitrange-ok", [deployment("inside", resources=res())], {"limitRange": {**LIMITS, "max": {"cpu": "1"}}}),
]


def write_chart(root, case: Case):
    chart = root / case.name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(yaml.safe_dump({"apiVersion": "v2", "name": "fixture", "version": "0.1.0"}))
    (chart / "templates" / "objects.yaml").write_text(yaml.safe_dump_all(case.objects))
    values = root / f"{case.name}.values.yaml"
    values.write_text(yaml.safe_dump({"policies": case.policies}))
    return chart, values


def predicted(helm, chart, values, ns: str, pss: str) -> set[tuple[str, str]]:
    """(family, what) for each error lint reports: pss/limitrange -> the workload; quota -> the resource."""
    proc = helm.run("vnp", "lint", chart, "-f", values, "-n", ns, "--release", REL, "--format", "json",
                    "--fail-on", "never", *(["--pss-level", pss] if pss else []))
    out = set()
    for f in json.loads(proc.stdout)["findings"]:
        if f["severity"] != "error" or not f["rule"].startswith(LINT_RULES):
            continue
        if f["rule"] == "quota.fit":
            out.add(("quota", f["message"].split(":", 1)[0]))
        else:
            out.add(("pss" if f["rule"].startswith("pss.") else "limitrange", f["object"]["name"]))
    return out, proc


def classify(message: str) -> str | None:
    if "violates PodSecurity" in message:
        return "pss"
    if "exceeded quota" in message or "must specify" in message:
        return "quota"
    if re.search(r"(maximum|minimum) \S+ usage per|limit to request ratio|must be less than or equal to", message):
        return "limitrange"
    return None


def refused(kube: Kube, ns: str, install_error: str) -> tuple[set, list[str]]:
    """(family, what) for each refusal the cluster reports, and the messages."""
    out, messages = set(), []
    for msg in [install_error] if install_error else []:
        fam = classify(msg)
        if fam:
            messages.append(msg)
            for r in re.findall(r"requested: ([^=,]+)=", msg) if fam == "quota" else [None]:
                out.add((fam, r))
    for ev in kube.events(ns):
        if ev.get("reason") != "FailedCreate":
            continue
        msg, obj = ev["message"], ev["involvedObject"]
        fam = classify(msg)
        if not fam:
            continue
        messages.append(msg)
        if fam == "quota":
            out.update(("quota", r) for r in re.findall(r"requested: ([^=,]+)=", msg))
            out.update(("quota", r) for r in re.findall(r"must specify ([a-z./-]+)", msg))
        else:
            owner = obj["name"]
            if obj["kind"] == "ReplicaSet":  # the Deployment's name: the ReplicaSet's less the hash
                owner = owner.rsplit("-", 1)[0]
            out.add((fam, owner))
    return out, messages


def quoted(lint_proc) -> list[str]:
    """The API server text lint quotes: limitrange.fit's messages, pss.*'s violation text."""
    out = []
    for f in json.loads(lint_proc.stdout)["findings"]:
        if f["severity"] != "error":
            continue
        if f["rule"].startswith("pss."):  # 'would violate PodSecurity "baseline:latest": privileged (...)'
            m = re.search(r'PodSecurity ("[a-z]+:[a-z0-9.]+"): (.+)$', f["message"])
            out += [f'PodSecurity {m.group(1)}', m.group(2)] if m else [f["message"]]
        if f["rule"] == "limitrange.fit":
            out += re.findall(r"((?:maximum|minimum) \S+ usage per \w+ is [^,\]]+(?:, but \w+ is [^,\];]+)?"
                              r"|\S+ max limit to request ratio per \w+ is [^,\]]+)", f["message"])
    return out


AGREEMENT: dict[str, tuple[int, int]] = {}


@pytest.fixture(scope="module")
def report():
    yield AGREEMENT
    if AGREEMENT:
        n = sum(a for a, _ in AGREEMENT.values())
        m = sum(b for _, b in AGREEMENT.values())
        print(f"\nlint vs admission: {n}/{m} predictions and refusals agree over {len(AGREEMENT)} cases")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_lint_predicts_what_the_cluster_refuses(helm, kube, tmp_path, case, report):
    if helm.major == 3:
        pytest.skip("one Helm suffices here: admission does not depend on the Helm version (Helm 4 runs it)")
    ns = f"lint-{case.name}"[:60]
    labels = {"pod-security.kubernetes.io/enforce": case.pss,
              "pod-security.kubernetes.io/enforce-version": "latest"} if case.pss else {}
    kube.create_namespace(ns, labels)
    try:
        chart, values = write_chart(tmp_path, case)
        lint, lint_proc = predicted(helm, chart, values, ns, case.pss)
        proc = helm.run("vnp", "install", REL, chart, "-f", values, "-n", ns, check=False)
        install_error = proc.stderr.decode(errors="replace") if proc.returncode else ""
        # the controllers create the pods; a refused one is retried with a FailedCreate event each time
        deadline = time.monotonic() + 8
        cluster, messages = refused(kube, ns, install_error)
        while time.monotonic() < deadline and not (lint <= cluster):
            time.sleep(0.5)
            cluster, messages = refused(kube, ns, install_error)
        time.sleep(0 if cluster else 2)
        cluster, messages = refused(kube, ns, install_error)
        agree = len(lint & cluster)
        AGREEMENT[case.name] = (agree if (lint or cluster) else 1, len(lint | cluster) or 1)
        assert lint == cluster, (f"lint predicts {sorted(lint)}, the cluster refused {sorted(cluster)}\n"
                                 f"cluster messages: {messages}\ninstall: {install_error[:1500]}\n"
                                 f"events: {[(e['reason'], e['message'][:200]) for e in kube.events(ns)]}\n"
                                 f"lint: {lint_proc.stdout.decode()[:3000]}")
        for text in quoted(lint_proc):
            assert any(text in m for m in messages), f"lint quotes {text!r}; the cluster said {messages}"
    finally:
        kube.request("DELETE", f"/api/v1/namespaces/{ns}")
