"""A deterministic ~50 MB / 20,000-document rendered stream for the benchmark.

Mix: ConfigMaps, Services, Deployments/StatefulSets/DaemonSets/Jobs/CronJobs
with pod templates (so every pod-template shape gets labelled), and a few
large CRD-like documents (deep openAPIV3Schema, ~1.2 MB each, with the plain
``=`` scalar kube-prometheus-stack's CRDs carry).  No randomness: the bytes
depend only on GENERATOR_VERSION and the constants below, so the cache file
name changes whenever they do.
"""
from __future__ import annotations

from pathlib import Path

GENERATOR_VERSION = 1
DOCS = 20_000
CRDS = 8
CRD_PROPERTIES = 4_200  # ~1.2 MB per CRD
CM_KEYS = 11            # ~3 KB per ConfigMap
NAMESPACE = "bench"


def _labels(app: str, indent: str) -> str:
    return (f"{indent}app.kubernetes.io/name: {app}\n"
            f"{indent}app.kubernetes.io/instance: bench\n"
            f"{indent}app.kubernetes.io/part-of: synthetic\n")


def configmap(i: int) -> str:
    data = "".join(
        f"  key-{k:02d}.conf: |\n"
        + "".join(f"    setting_{k}_{j} = value-{(i * 31 + k * 7 + j) % 9973:04d} # line {j}\n" for j in range(6))
        for k in range(CM_KEYS))
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:05d}\n  namespace: {NAMESPACE}\n"
            f"  labels:\n{_labels(f'cm-{i:05d}', '    ')}data:\n{data}")


def service(i: int) -> str:
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i:05d}\n  namespace: {NAMESPACE}\n"
            f"  labels:\n{_labels(f'app-{i:05d}', '    ')}"
            f"spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: app-{i:05d}\n"
            f"  ports:\n    - name: http\n      port: 80\n      targetPort: http\n      protocol: TCP\n"
            f"    - name: metrics\n      port: {9000 + i % 1000}\n      targetPort: metrics\n")


def pod_spec(i: int, indent: str) -> str:
    lines = [
        "metadata:",
        "  labels:",
        f"    app.kubernetes.io/name: app-{i:05d}",
        "    app.kubernetes.io/instance: bench",
        "  annotations:",
        f"    checksum/config: {(i * 2654435761) % 2**32:08x}{(i * 40503) % 2**16:04x}",
        "spec:",
        f"  serviceAccountName: sa-{i % 50:02d}",
        "  securityContext:",
        "    runAsNonRoot: true",
        "    seccompProfile: {type: RuntimeDefault}",
        "  containers:",
        "    - name: main",
        f"      image: registry.example.com/team-{i % 17}/app:1.{i % 40}.{i % 7}",
        "      imagePullPolicy: IfNotPresent",
        '      args: ["--port=8080", "--log-level=info", "--metrics-port=9090"]',
        "      ports:",
        "        - {name: http, containerPort: 8080, protocol: TCP}",
        "        - {name: metrics, containerPort: 9090, protocol: TCP}",
        "      env:",
        *[f"        - {{name: VAR_{k}, value: \"v{(i + k) % 101}\"}}" for k in range(6)],
        "      resources:",
        "        requests: {cpu: 100m, memory: 128Mi}",
        "        limits: {cpu: 500m, memory: 256Mi}",
        "      readinessProbe:",
        "        httpGet: {path: /healthz, port: http}",
        "        periodSeconds: 10",
        "      securityContext:",
        "        allowPrivilegeEscalation: false",
        "        capabilities: {drop: [ALL]}",
        "        readOnlyRootFilesystem: true",
        "      volumeMounts:",
        "        - {name: config, mountPath: /etc/app}",
        "  volumes:",
        "    - name: config",
        f"      configMap: {{name: cm-{i - i % 10:05d}}}",
    ]
    return "".join(f"{indent}{line}\n" for line in lines)


def workload(i: int) -> str:
    kind = ("Deployment", "Deployment", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")[(i // 10) % 7]
    api = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    head = (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: app-{i:05d}\n  namespace: {NAMESPACE}\n"
            f"  labels:\n{_labels(f'app-{i:05d}', '    ')}spec:\n")
    if kind == "CronJob":
        return (head + "  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n"
                + pod_spec(i, "        ") + "          restartPolicy: OnFailure\n")
    if kind == "Job":
        return head + "  backoffLimit: 2\n  template:\n" + pod_spec(i, "    ") + "    restartPolicy: Never\n"
    selector = f"  selector:\n    matchLabels:\n      app.kubernetes.io/name: app-{i:05d}\n"
    replicas = "" if kind == "DaemonSet" else "  replicas: 2\n"
    return head + replicas + selector + "  template:\n" + pod_spec(i, "    ")


def crd(n: int) -> str:
    props = "".join(
        f"                field{p:04d}:\n"
        f"                  description: Field {p} of the synthetic resource {n}; it controls setting number {p}"
        f" and is documented at length the way generated CRDs document every field.\n"
        + ("                  type: string\n                  enum: ['!=', =, =~, '!~']\n" if p % 5 == 0 else
           "                  type: integer\n                  format: int32\n                  minimum: 0\n")
        for p in range(CRD_PROPERTIES))
    return (f"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            f"  name: widgets{n}.synthetic.example.com\n  annotations:\n"
            "    controller-gen.kubebuilder.io/version: v0.16.0\n"
            f"spec:\n  group: synthetic.example.com\n  names:\n    kind: Widget{n}\n    plural: widgets{n}\n"
            f"  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n"
            f"      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n"
            f"            spec:\n              type: object\n              properties:\n{props}")


def document(i: int, docs: int = DOCS) -> str:
    if i % (docs // CRDS) == 0:
        return crd(i // (docs // CRDS))
    kind = i % 10
    if kind < 4:
        return configmap(i)
    if kind < 6:
        return service(i)
    return workload(i)


def write(path: Path, docs: int = DOCS) -> None:
    """The stream of `docs` documents (CRDS of them CRD-like) to path."""
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(docs):
            out.write(f"---\n# Source: synthetic/templates/doc-{i:05d}.yaml\n")
            out.write(document(i, docs))
    tmp.replace(path)
