"""The connectivity engine at cluster scale: synthetic namespaces of workloads with proportional policies.

    .venv/bin/python benchmarks/netpol_engine.py [--sizes 100 1000 5000] [--policies-per 0.2] [--nca]

Each size runs in its own process (so peak RSS is that size's): N workloads in N/100 namespaces (at least
one), N x 0.2 NetworkPolicies, and the engine computes every allowed pair and address range and renders
``connlist``.  The mix per namespace is what charts and platform teams write: a default deny, DNS egress,
tier rules by label and by named port, ingress from other namespaces by label (AND with a pod selector),
egress to the internet minus private ranges on 443, a port range, and policies for single apps.  No
randomness: the stream depends only on N.  ``--nca`` also times network-config-analyzer's
``--connectivity`` on the same cluster (slow: it is skipped above 1,000 workloads) and prints our time as a
fraction of its time.

``--corpus DIR`` times the real charts of ../shared/corpus instead: each is post-rendered with
``networkPolicy.enabled`` (vnp's policies plus the chart's own), then ``helm-vnp graph --format connlist``
runs end to end (a process: start, read, post-render, engine, output; best of 3) against network-config-
analyzer's ``--connectivity`` on the same pods, namespaces and policies (also a process, one run).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIERS = ["web", "api", "db", "worker"]
PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]


def np(name: str, namespace: str, spec: dict) -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def cluster(n: int, per: float = 0.2):
    """(workloads as (namespace, name, labels, named ports), namespace labels, policies); ``per`` >= 1 is a
    fixed number of policies instead of a fraction of the workloads."""
    namespaces = [f"team-{i:03d}" for i in range(max(1, n // 100))]
    ns_labels = {ns: {"team": f"t{i % 7}", "env": "prod" if i % 3 else "dev"} for i, ns in enumerate(namespaces)}
    workloads = []
    for i in range(n):
        ns = namespaces[i % len(namespaces)]
        tier = TIERS[i % len(TIERS)]
        ports = {"http": (8080 + i % 3, "TCP"), "metrics": (9090, "TCP")}
        workloads.append((ns, f"app-{i:05d}", {"app": f"app-{i:05d}", "tier": tier, "part-of": f"svc-{i % 13}"},
                          ports))
    policies = []
    budget = int(per) if per >= 1 else max(1, int(n * per))
    generic = []
    for k, ns in enumerate(namespaces):
        generic += [
            np("default-deny", ns, {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
            np("dns", ns, {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                 "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}),
            np("web-in", ns, {"podSelector": {"matchLabels": {"tier": "web"}},
                              "ingress": [{"ports": [{"port": "http"}]}]}),
            np("api-from-web", ns, {"podSelector": {"matchLabels": {"tier": "api"}}, "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"tier": "web"}}},
                          {"namespaceSelector": {"matchLabels": {"team": f"t{k % 7}"}},
                           "podSelector": {"matchExpressions": [{"key": "tier", "operator": "In",
                                                                 "values": ["web", "worker"]}]}}],
                 "ports": [{"port": "http"}]}]}),
            np("db-from-api", ns, {"podSelector": {"matchLabels": {"tier": "db"}}, "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"tier": "api"}}}], "ports": [{"port": 5432}]}]}),
            np("out", ns, {"podSelector": {"matchExpressions": [{"key": "tier", "operator": "NotIn",
                                                                 "values": ["db"]}]},
                           "policyTypes": ["Egress"], "egress": [
                {"to": [{"podSelector": {}}]},
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": PRIVATE}}], "ports": [{"port": 443}]},
                {"to": [{"ipBlock": {"cidr": "10.20.0.0/16"}}], "ports": [{"port": 30000, "endPort": 32767}]}]}),
            np("metrics", ns, {"podSelector": {}, "ingress": [{"from": [
                {"namespaceSelector": {"matchLabels": {"env": "prod"}},
                 "podSelector": {"matchLabels": {"app": "prometheus"}}}], "ports": [{"port": "metrics"}]}]}),
        ]
    policies = generic[:budget]
    i = 0
    while len(policies) < budget:  # policies for single apps: from one other app, on a port range
        ns, name, _, _ = workloads[(i * 7) % n]
        src = workloads[(i * 7 + len(namespaces)) % n][1]
        policies.append(np(f"{name}-from-{src}", ns, {"podSelector": {"matchLabels": {"app": name}}, "ingress": [
            {"from": [{"podSelector": {"matchLabels": {"app": src}}}], "ports": [{"port": 7000, "endPort": 7010}]}]}))
        i += 1
    return workloads, ns_labels, policies


def run_one(n: int, per: float) -> dict:
    from helm_vnp.connectivity import Workload, compute
    from helm_vnp.connectivity.connlist import render

    workloads, ns_labels, policies = cluster(n, per)
    start = time.perf_counter()
    ws = [Workload(ns, name, "Deployment", labels, ports) for ns, name, labels, ports in workloads]
    result = compute(ws, policies, ns_labels)
    computed = time.perf_counter()
    text = render(result)
    done = time.perf_counter()
    return {"workloads": n, "policies": len(policies), "classes": len(result.classes),
            "lines": text.count("\n"), "compute_s": round(computed - start, 3), "total_s": round(done - start, 3),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_nca(n: int, per: float) -> float | None:
    import shutil
    exe = Path(sys.executable).parent / "nca"
    if not exe.exists() and not shutil.which("nca"):
        return None
    workloads, ns_labels, policies = cluster(n, per)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        pods = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
                 "spec": {"containers": [{"name": "c", "image": "x", "ports": [
                     {"name": pn, "containerPort": num, "protocol": proto} for pn, (num, proto) in ports.items()]}]}}
                for ns, name, labels, ports in workloads]
        nss = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": {
            **labels, "kubernetes.io/metadata.name": ns}}} for ns, labels in ns_labels.items()]
        (d / "pods.yaml").write_text(json.dumps({"apiVersion": "v1", "kind": "PodList", "items": pods}))
        (d / "ns.yaml").write_text(json.dumps({"apiVersion": "v1", "kind": "NamespaceList", "items": nss}))
        (d / "np.yaml").write_text(json.dumps({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicyList",
                                               "items": policies}))
        start = time.perf_counter()
        subprocess.run([str(exe), "--connectivity", str(d / "np.yaml"), "--pod_list", str(d / "pods.yaml"),
                        "--ns_list", str(d / "ns.yaml"), "-o", "txt_no_fw_rules"], capture_output=True, check=True,
                       timeout=1800)
        return round(time.perf_counter() - start, 2)


CORPUS = [("cert-manager.yaml", "cert-manager", "cert-manager"),
          ("ingress-nginx.yaml", "ingress-nginx", "ingress-nginx"),
          ("kube-prometheus-stack.yaml", "kps", "monitoring")]
NETPOL_ON = "policies:\n  networkPolicy:\n    enabled: true\n"


def corpus_rows(corpus: Path) -> None:
    """One row per corpus chart: our end-to-end graph vs network-config-analyzer on the same cluster."""
    import yaml

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.netpol.nca import Cluster, network_policies, release_endpoints, run_nca

    bin_dir = Path(sys.executable).parent
    print("| chart | workloads | policies | vnp graph connlist s | nca --connectivity s | ratio |")
    print("|---|---|---|---|---|---|")
    for name, release, namespace in CORPUS:
        source = corpus / name
        if not source.exists():
            print(f"| {name} | missing | | | | |")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            (d / "values.yaml").write_text(NETPOL_ON)
            stream = subprocess.run([str(bin_dir / "vnp-postrender"), "--release", release, "-n", namespace, "-f",
                                     str(d / "values.yaml")], input=source.read_bytes(), capture_output=True,
                                    check=True).stdout
            (d / "stream.yaml").write_bytes(stream)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run([str(bin_dir / "helm-vnp"), "graph", "--rendered", str(d / "stream.yaml"), "-n",
                                namespace, "--format", "connlist", "-o", str(d / "out.txt")], check=True,
                               capture_output=True, env={"PATH": "/usr/bin:/bin", "HOME": tmp})
                times.append(time.perf_counter() - start)
            objects = [o for o in yaml.safe_load_all(stream) if isinstance(o, dict)]
            endpoints = release_endpoints(objects, namespace)
            cluster = Cluster({e.namespace: {} for e in endpoints} | {namespace: {}}, endpoints,
                              network_policies(objects, namespace))
            (d / "nca").mkdir()
            start = time.perf_counter()
            run_nca(cluster, d / "nca")
            nca_s = time.perf_counter() - start
            ours = min(times)
            print(f"| {name} | {len(endpoints)} | {len(cluster.policies)} | {ours:.2f} | {nca_s:.2f} | "
                  f"{ours / nca_s:.2f}x |", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    ap.add_argument("--policies-per", type=float, default=0.2)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--nca", action="store_true")
    ap.add_argument("--corpus", type=Path, help="time the charts of this corpus directory against nca instead")
    args = ap.parse_args()
    if args.corpus:
        corpus_rows(args.corpus)
        return 0
    if args.one:
        print(json.dumps(run_one(args.one, args.policies_per)))
        return 0
    print("| workloads | policies | classes | connlist lines | compute s | total s (with connlist) | peak RSS MiB |"
          + (" nca s | ratio |" if args.nca else ""))
    print("|---|---|---|---|---|---|---|" + ("---|---|" if args.nca else ""))
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--policies-per", str(args.policies_per)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        row = (f"| {r['workloads']:,} | {r['policies']:,} | {r['classes']:,} | {r['lines']:,} | {r['compute_s']} | "
               f"{r['total_s']} | {r['peak_rss_mib']} |")
        if args.nca:
            nca_s = run_nca(n, args.policies_per) if n <= 1000 else None
            row += (f" {nca_s} | {r['total_s'] / nca_s:.3f}x |" if nca_s else " skipped (slow) | |")
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
