"""What `helm vnp upgrade` knows of the release's vnp config before it runs: the vnp objects of the
deployed revision (``helm get manifest``) and the config input recorded on them.

Isolation must not be lost on an upgrade: under ``--reuse-values`` a config that came with
``--vnp-values`` (and so is not among the release's stored values) is reused from the record, and an
upgrade whose config would remove vnp's objects from a release that has them is refused unless the
user says so (``--vnp-allow-removal``).
"""
from __future__ import annotations

import json

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import CONFIG_ANNOTATION
from helm_vnp.config.loader import OUR_KEYS, merged_values
from helm_vnp.config.sources import read_file_bytes
from helm_vnp.config.values_input import ValuesInput
from helm_vnp.release.pipeline import is_generated
from helm_vnp.stream import split

ALLOW_REMOVAL_FLAG = "--vnp-allow-removal"
# the kind vnp generates for each section of the config, when that section is enabled
KIND_OF = {"networkPolicy": "NetworkPolicy", "resourceQuota": "ResourceQuota", "limitRange": "LimitRange"}


def config_input(files: list[tuple[str, bytes]], flags: list[tuple[str, str]] = ()) -> dict:
    """The vnp keys (``policies``, the legacy ``isolation``) of the user's values as Helm merges them."""
    merged, _, _ = merged_values(files, list(flags))
    return {k: merged[k] for k in OUR_KEYS if k in merged}


def record_of(values: ValuesInput) -> str | None:
    """The user's vnp config input as compact, sorted JSON (what is recorded on vnp's objects); None
    when there is none or a file cannot be read here (a URL Helm fetches)."""
    try:
        files = [read_file_bytes(f, values.stdin, values.once) for f in values.config_files()]
    except OSError:
        return None
    data = config_input(files, values.set_flags())
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=True) if data else None


class Deployed:
    """The deployed revision's vnp objects: their kinds, and the config input recorded on them (or None)."""

    def __init__(self, manifest: bytes, release: str):
        ours = [d for d in split(manifest, "helm get manifest") if not d.is_empty and is_generated(d, release)]
        self.kinds = {str(d.kind) for d in ours}
        self.record: dict | None = None
        for d in ours:
            text = d.annotations.get(CONFIG_ANNOTATION)
            if not isinstance(text, str):
                continue
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if isinstance(data, dict) and data and set(data) <= set(OUR_KEYS):
                self.record = data
                break


def generated_kinds(policies: dict) -> set[str]:
    mapped = policies.get("mapServices") or {}
    services = {"Service"} if mapped.get("fromHost") or mapped.get("fromVirtual") else set()
    return {kind for key, kind in KIND_OF.items() if (policies.get(key) or {}).get("enabled")} | services


def refuse_removal(deployed: Deployed, policies: dict, release: str) -> None:
    """Fail closed when this upgrade's config would drop kinds of vnp objects the release has."""
    lost = sorted(deployed.kinds - generated_kinds(policies))
    if lost:
        raise VnpError(Problem(
            f"this upgrade would remove vnp's {', '.join(lost)} from release {release!r} (its config has "
            f"{'them' if len(lost) > 1 else 'it'} off or is not given): the release's pods would lose "
            "their isolation",
            hint=f"give the release's vnp config again (-f or --vnp-values), use --reuse-values, or pass "
                 f"{ALLOW_REMOVAL_FLAG} to remove them"))
