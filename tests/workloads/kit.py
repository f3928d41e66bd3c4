"""Run the real post-renderer on a stream and read the result as Kubernetes would: each object's pods
(their labels, from the core workloads' templates and ``k8s.pod_creators``) and the NetworkPolicies in force."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from helm_vnp.k8s import netpol
from helm_vnp.k8s.pod_creators import creator_for, find_sources
from helm_vnp.k8s.workloads import is_workload, pod_template

ROOT = Path(__file__).resolve().parents[2]
POSTRENDER = ROOT / ".venv" / "bin" / "vnp-postrender"
RELEASE_LABEL = "vnp.helm-plugin.io/release"
NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str

    @property
    def objects(self) -> list[dict]:
        return [d for d in YAML(typ="safe").load_all(self.stdout.decode()) if isinstance(d, dict)]

    def object(self, kind: str, name: str) -> dict:
        return next(o for o in self.objects if o.get("kind") == kind and o["metadata"]["name"] == name)

    def policies(self, namespace: str) -> list:
        return netpol.policies_from([o for o in self.objects if o.get("kind") == "NetworkPolicy"], namespace)

    def pod(self, kind: str, name: str, namespace: str, index: int = 0) -> netpol.Pod:
        """The ``index``-th kind of pod the object makes, as NetworkPolicy sees it."""
        return netpol.Pod(namespace, pod_labels(self.object(kind, name))[index])


def postrender(tmp_path: Path, stream: str, values: str = NETPOL_ON, release: str = "rel",
               namespace: str = "team") -> Run:
    (tmp_path / "values.yaml").write_text(values)
    proc = subprocess.run([str(POSTRENDER), "--release", release, "--namespace", namespace, "-f",
                           str(tmp_path / "values.yaml")], input=stream.encode(), capture_output=True,
                          env={"VNP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr.decode())


def pod_labels(obj: dict, declared: tuple = ()) -> list[dict]:
    """The labels of each kind of pod ``obj`` makes (one entry per pod template or labels map)."""
    if is_workload(obj.get("kind"), obj.get("apiVersion")):
        template = pod_template(obj, obj["kind"]) or {}
        return [dict((template.get("metadata") or {}).get("labels") or {})]
    creator = creator_for(obj.get("apiVersion"), obj.get("kind"), declared)
    return [dict(f.labels) for f in find_sources(obj, creator)] if creator else []


def outside_pods(namespace: str) -> dict:
    return {"another namespace": netpol.Pod("elsewhere", {"app": "x"}),
            "same namespace, not the release": netpol.Pod(namespace, {"app": "x"})}
