"""helm-vnp: vCluster-grade isolation (network policies, quota, limit range,
pod security) for any Helm release, as a Helm post-renderer and linter."""
__version__ = "0.1.0"
