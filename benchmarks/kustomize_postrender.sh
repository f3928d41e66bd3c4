#!/usr/bin/env bash
# kustomize as a Helm post-renderer, doing work equivalent to vnp-postrender:
# label every pod template (and, as kustomize's `labels` always does, every
# object's metadata) with vnp.helm-plugin.io/release=bench and append one
# NetworkPolicy.  stdin: rendered stream; stdout: post-rendered stream.
# Uses $KUBECTL, else .tools/bin/kubectl next to this repo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kubectl="${KUBECTL:-$here/../.tools/bin/kubectl}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
trap 'exit 143' TERM INT
cat > "$dir/all.yaml"
cat > "$dir/netpol.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vnp-bench-workloads
spec:
  podSelector:
    matchLabels:
      vnp.helm-plugin.io/release: bench
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              vnp.helm-plugin.io/release: bench
  egress:
    - to:
        - podSelector:
            matchLabels:
              vnp.helm-plugin.io/release: bench
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - {protocol: UDP, port: 53}
        - {protocol: TCP, port: 53}
YAML
cat > "$dir/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [all.yaml, netpol.yaml]
labels:
  - pairs:
      vnp.helm-plugin.io/release: bench
    includeTemplates: true
YAML
"$kubectl" kustomize "$dir"
