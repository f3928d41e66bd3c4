"""Kubernetes semantics vnp needs without a cluster: quantities, object scope,
resource defaulting and accounting, NetworkPolicy evaluation.

Pure functions over plain dicts (parsed manifests); nothing here imports YAML.
"""
