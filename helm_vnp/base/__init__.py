"""What every layer may use and that knows nothing of Kubernetes or Helm semantics: the error type
and its messages, the names vnp writes into objects, and YAML in (safe, located) and out (deterministic)."""
