"""What loading the configuration yields, and its JSON form (for the disk cache)."""
from __future__ import annotations

from helm_vnp.base.errors import Problem


class LoadedConfig:
    """The normalised policies (``helm_vnp.config.model.Policies``), the warnings met on the way,
    and ``origins``: dotted user path (e.g. "policies.networkPolicy.enabled") -> (file or --set
    flag, line or None).  A plain class: it is loaded on every post-render."""

    __slots__ = ("policies", "warnings", "origins")

    def __init__(self, policies: dict, warnings: list[Problem] | None = None,
                 origins: dict[str, tuple[str, int | None]] | None = None):
        self.policies = policies
        self.warnings = [] if warnings is None else warnings
        self.origins = {} if origins is None else origins

    def __eq__(self, other) -> bool:
        return isinstance(other, LoadedConfig) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"LoadedConfig(policies=..., warnings={self.warnings!r})"

    def to_json(self) -> dict:
        return {"policies": self.policies,
                "warnings": [w.as_dict() for w in self.warnings],
                "origins": {k: [v[0], v[1]] for k, v in self.origins.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "LoadedConfig":
        return cls(policies=data["policies"],
                   warnings=[Problem(**w) for w in data["warnings"]],
                   origins={k: (v[0], v[1]) for k, v in data["origins"].items()})
