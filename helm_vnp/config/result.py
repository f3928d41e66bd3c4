"""What loading the configuration yields, and its JSON form (for the disk cache)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from helm_vnp.config.model import Policies
from helm_vnp.errors import Problem


@dataclass
class LoadedConfig:
    """The normalised policies, the warnings met on the way, and where each user value came from."""

    policies: Policies
    warnings: list[Problem] = field(default_factory=list)
    # dotted user path (e.g. "policies.networkPolicy.enabled") -> (file or --set flag, line or None)
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"policies": self.policies,
                "warnings": [w.as_dict() for w in self.warnings],
                "origins": {k: [v[0], v[1]] for k, v in self.origins.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "LoadedConfig":
        return cls(policies=data["policies"],
                   warnings=[Problem(**w) for w in data["warnings"]],
                   origins={k: (v[0], v[1]) for k, v in data["origins"].items()})
