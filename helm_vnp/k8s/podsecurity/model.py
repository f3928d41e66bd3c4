"""The shapes every Pod Security check module declares and returns.

A check is one upstream pod-security-admission control: an ID, a level and
one or more versioned implementations.  Keeping these as plain frozen data lets
the registry pick an implementation per policy version without importing
anything beyond the check modules themselves.
"""
from __future__ import annotations

from typing import Callable, Literal

from helm_vnp.base.record import field, record

Level = Literal["baseline", "restricted"]
Version = tuple[int, int]


@record(frozen=True)
class CheckResult:
    """What one check says about one pod.

    ``forbidden_reason``/``forbidden_detail`` carry the API server's own text;
    ``containers`` names the offending containers (in the order the detail
    names them) so a linter can point at one; it is empty for pod-level faults.
    """

    allowed: bool
    forbidden_reason: str = ""
    forbidden_detail: str = ""
    containers: tuple[str, ...] = ()


ALLOWED = CheckResult(allowed=True)

CheckPodFn = Callable[[dict, dict], CheckResult]


@record(frozen=True)
class VersionedCheck:
    """One implementation of a check, in force from ``min_version`` until the next one.

    ``overrides`` lists baseline check IDs this (restricted) implementation
    replaces while it is in force, as upstream's OverrideCheckIDs.
    """

    min_version: Version
    check_pod: CheckPodFn
    overrides: tuple[str, ...] = ()


@record(frozen=True)
class Check:
    """A declared check: upstream ID, level, implementations oldest first, docs."""

    id: str
    level: Level
    versions: tuple[VersionedCheck, ...]
    doc: str = field(default="", repr=False, compare=False)

    def for_version(self, version: Version) -> VersionedCheck | None:
        """The newest implementation whose minimum version is <= ``version``."""
        chosen = None
        for versioned in self.versions:
            if versioned.min_version <= version:
                chosen = versioned
        return chosen
