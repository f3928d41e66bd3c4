"""`helm vnp discover`: read the live cluster of the current kubeconfig context (read-only) and print
the cluster-specific settings as a commented `policies:` values snippet.

It asks kubectl (``$KUBECTL``, else ``kubectl`` on PATH), so every kubeconfig kubectl understands
works (client certificates, tokens, exec plugins) and vnp needs no Kubernetes client library.  Only
``get`` requests are made.  What it reads:

- the API server's addresses and ports: the ``kubernetes`` Service's EndpointSlices in ``default``
  (Endpoints when there are none) -> ``networkPolicy.apiServer.peers`` / ``ports``;
- the DNS preset: which DNS the cluster runs (kube-dns / CoreDNS pods ``k8s-app=kube-dns``,
  NodeLocal DNSCache, OpenShift's, vCluster's);
- the IngressClasses and their controllers, and the controllers' pods -> ingress peers;
- a Prometheus (prometheus-operator's ``app.kubernetes.io/name=prometheus`` pods) -> the monitoring peer;
- conflicts in the target namespace: a ResourceQuota or LimitRange already there, and the Pod
  Security labels versus ``podSecurityStandard``.
"""
from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
from typing import Optional

import typer

from helm_vnp.base.errors import Problem, VnpError

PSS_LEVELS = ("privileged", "baseline", "restricted")


class Kubectl:
    def __init__(self, binary: str, context: str | None = None):
        self.binary, self.context = binary, context

    def get(self, *args: str, missing_ok: bool = True) -> dict | None:
        argv = [self.binary, *(["--context", self.context] if self.context else []), "get", *args, "-o", "json"]
        try:
            proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VnpError([Problem(f"`{' '.join(argv)}` failed: {exc}")]) from None
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()
            if missing_ok and ("NotFound" in err or "the server doesn't have a resource type" in err):
                return None
            raise VnpError([Problem(f"`kubectl get {' '.join(args)}` failed (exit {proc.returncode}): "
                                    f"{err[:500]}")])
        try:
            return json.loads(proc.stdout)
        except ValueError:
            raise VnpError([Problem(f"`kubectl get {' '.join(args)}` printed no JSON")]) from None

    def items(self, *args: str) -> list[dict]:
        got = self.get(*args)
        return (got or {}).get("items") or []


def _cidr(address: str) -> str:
    ip = ipaddress.ip_address(address)
    return f"{ip}/{32 if ip.version == 4 else 128}"


def api_server(k: Kubectl) -> tuple[list[str], list[int], str]:
    """(addresses, ports, where they were read)."""
    addresses, ports = [], []
    for s in k.items("endpointslices.discovery.k8s.io", "-n", "default", "-l", "kubernetes.io/service-name=kubernetes"):
        for ep in s.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready") is False:
                continue
            addresses += ep.get("addresses") or []
        ports += [p["port"] for p in s.get("ports") or [] if p.get("port")]
    where = "EndpointSlices of Service default/kubernetes"
    if not addresses:
        ep = k.get("endpoints", "kubernetes", "-n", "default") or {}
        for subset in ep.get("subsets") or []:
            addresses += [a["ip"] for a in subset.get("addresses") or [] if a.get("ip")]
            ports += [p["port"] for p in subset.get("ports") or [] if p.get("port")]
        where = "Endpoints default/kubernetes"
    return sorted(set(addresses), key=lambda a: (":" in a, a)), sorted(set(ports)), where


def dns_preset(k: Kubectl) -> tuple[str | None, str]:
    """(preset, why)."""
    if k.items("pods", "-n", "openshift-dns", "-l", "dns.operator.openshift.io/daemonset-dns=default") or \
            k.get("namespace", "openshift-dns"):
        return "openshift", "namespace openshift-dns (OpenShift's DNS operator)"
    if k.items("pods", "-A", "-l", "k8s-app=vcluster-kube-dns"):
        return "vcluster", "pods k8s-app=vcluster-kube-dns (a vCluster's DNS)"
    nodelocal = k.items("daemonsets", "-n", "kube-system", "-l", "k8s-app=node-local-dns")
    kube_dns = k.items("deployments", "-n", "kube-system", "-l", "k8s-app=kube-dns") or \
        k.items("pods", "-n", "kube-system", "-l", "k8s-app=kube-dns")
    if nodelocal:
        return "nodelocal", "DaemonSet kube-system/node-local-dns (NodeLocal DNSCache)"
    if kube_dns:
        return "kube-dns", "workloads k8s-app=kube-dns in kube-system (kube-dns or CoreDNS)"
    return None, "no known DNS found (kube-system has no k8s-app=kube-dns workload)"


def ingress_classes(k: Kubectl) -> list[tuple[dict, list[dict]]]:
    """Each IngressClass with the namespaces of pods that look like its controller."""
    out = []
    for ic in k.items("ingressclasses.networking.k8s.io"):
        controller = (ic.get("spec") or {}).get("controller", "")
        pods = []
        if controller in ("k8s.io/ingress-nginx",):
            pods = k.items("pods", "-A", "-l", "app.kubernetes.io/name=ingress-nginx")
        elif controller.startswith("traefik.io"):
            pods = k.items("pods", "-A", "-l", "app.kubernetes.io/name=traefik")
        out.append((ic, pods))
    return out


def monitoring(k: Kubectl) -> list[str]:
    pods = k.items("pods", "-A", "-l", "app.kubernetes.io/name=prometheus")
    return sorted({p["metadata"]["namespace"] for p in pods})


def namespace_conflicts(k: Kubectl, namespace: str) -> tuple[list[str], str | None]:
    """(comment lines, the enforced Pod Security level or None)."""
    lines = []
    ns = k.get("namespace", namespace)
    if ns is None:
        return [f"namespace {namespace} does not exist yet (helm install --create-namespace makes it unlabelled)"], None
    for kind, plural in (("ResourceQuota", "resourcequotas"), ("LimitRange", "limitranges")):
        for obj in k.items(plural, "-n", namespace):
            name = obj["metadata"]["name"]
            owner = (obj["metadata"].get("labels") or {}).get("app.kubernetes.io/managed-by", "")
            lines.append(f"{kind} {namespace}/{name} exists already{' (managed by ' + owner + ')' if owner else ''}: "
                         f"the API server applies it with vnp's, the stricter bound wins")
    labels = ns["metadata"].get("labels") or {}
    enforce = labels.get("pod-security.kubernetes.io/enforce")
    for mode in ("enforce", "audit", "warn"):
        level = labels.get(f"pod-security.kubernetes.io/{mode}")
        if level:
            version = labels.get(f"pod-security.kubernetes.io/{mode}-version", "latest")
            lines.append(f"namespace {namespace} is labelled pod-security.kubernetes.io/{mode}={level} ({version})")
    return lines, enforce if enforce in PSS_LEVELS else None


def snippet(k: Kubectl, namespace: str) -> str:
    addresses, ports, where = api_server(k)
    preset, why = dns_preset(k)
    classes = ingress_classes(k)
    prom = monitoring(k)
    conflicts, enforce = namespace_conflicts(k, namespace)

    out = ["# helm vnp discover: read from the current kubeconfig context (read-only); review before use", "policies:"]
    if enforce:
        out += [f"  # the namespace enforces Pod Security {enforce!r}: lint against the same level",
                f"  podSecurityStandard: {enforce}"]
    out += ["  networkPolicy:", "    enabled: true"]
    if preset:
        out += ["    dns:", f"      preset: {preset}  # {why}"]
    else:
        out += [f"    # dns: {why}; set dns.preset, or dns.namespaceSelector/podSelector/ports"]
    if addresses:
        out += [f"    apiServer:  # {where}", "      peers:"]
        out += [f"        - ipBlock:\n            cidr: {_cidr(a)}" for a in addresses]
        if ports:
            out += ["      ports: [" + ", ".join(str(p) for p in ports) + "]"]
    else:
        out += ["    # apiServer: no address in the kubernetes Service's EndpointSlices or Endpoints (a control plane "
                "that publishes none); set apiServer.peers to the control-plane node CIDRs"]
    for ic, pods in classes:
        name, controller = ic["metadata"]["name"], (ic.get("spec") or {}).get("controller", "?")
        namespaces = sorted({p["metadata"]["namespace"] for p in pods})
        where_ = f"its pods run in {', '.join(namespaces)}" if namespaces else "its pods were not found"
        out.append(f"    # IngressClass {name}: controller {controller}; {where_}")
        if namespaces:
            out.append(f"    #   allow it in: workload.ingress[].from[].namespaceSelector.matchLabels: "
                       f"kubernetes.io/metadata.name: {namespaces[0]}")
    if not classes:
        out.append("    # no IngressClass in the cluster")
    if prom:
        out += [f"    monitoring:  # Prometheus pods (app.kubernetes.io/name=prometheus) in {', '.join(prom)}",
                f"      namespace: {prom[0]}"]
    else:
        out.append("    # monitoring: no Prometheus pods (app.kubernetes.io/name=prometheus) found")
    if conflicts:
        out.append(f"  # in namespace {namespace}:")
        out += [f"  #   {line}" for line in conflicts]
    return "\n".join(out) + "\n"


def discover(namespace: Optional[str] = typer.Option(None, "-n", "--namespace",
                                                      help="the release namespace (default: $HELM_NAMESPACE, "
                                                           "else default)"),
             context: Optional[str] = typer.Option(None, "--kube-context", help="kubeconfig context to read"),
             kubectl: Optional[str] = typer.Option(None, "--kubectl",
                                                   help="kubectl binary (default: $KUBECTL, else kubectl on PATH)")
             ) -> None:
    """Read the current cluster (read-only, via kubectl) and print its settings as a commented values snippet."""
    binary = kubectl or os.environ.get("KUBECTL") or shutil.which("kubectl")
    if not binary:
        sys.stderr.write("error: discover needs kubectl: put it on PATH or set $KUBECTL (or --kubectl)\n")
        raise typer.Exit(2)
    ns = namespace or os.environ.get("HELM_NAMESPACE") or "default"
    context = context or os.environ.get("HELM_KUBECONTEXT") or None
    try:
        text = snippet(Kubectl(binary, context), ns)
    except VnpError as exc:
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(2)
    sys.stdout.write(text)

