"""Policy versions as ``pod-security.kubernetes.io/enforce-version`` spells them."""
from __future__ import annotations

import re

from .model import Version

OLDEST: Version = (1, 0)
NEWEST: Version = (1, 37)  # newest policy version any check implementation declares

_PATTERN = re.compile(r"v1\.(0|[1-9][0-9]*)")


def parse_version(text: str) -> Version | None:
    """``"v1.25"`` -> ``(1, 25)``; ``"latest"`` -> None (newest); ValueError otherwise.

    Only v1.0 … v1.37 are accepted: a newer version would silently mean
    "latest" on today's servers, which is better said explicitly.
    """
    if not isinstance(text, str):
        raise ValueError(f"Pod Security version must be a string like 'v1.25' or 'latest', got {text!r}")
    if text == "latest":
        return None
    match = _PATTERN.fullmatch(text)
    if not match:
        raise ValueError(f"invalid Pod Security version {text!r}: expected 'latest' or 'v1.<minor>', e.g. 'v1.25'")
    version = (1, int(match.group(1)))
    if version > NEWEST:
        raise ValueError(
            f"Pod Security version {text!r} is newer than the newest known policy "
            f"v{NEWEST[0]}.{NEWEST[1]}; use 'latest' or a version up to v{NEWEST[0]}.{NEWEST[1]}"
        )
    return version


def format_version(version: Version | None) -> str:
    return "latest" if version is None else f"v{version[0]}.{version[1]}"
