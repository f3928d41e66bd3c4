"""Disk cache of normalised configs, so the post-renderer's hot path skips YAML and JSON Schema.

The key is a sha256 over everything the result depends on (tool version, schema bytes,
each values file's resolved path and bytes, the --set flags in order), so an entry can
never be stale. Entries are written atomically (temp file + os.replace); any cache
trouble (unwritable directory, corrupt entry) silently falls back to a full load.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Sequence

FORMAT = "vnp-config-cache/2"


# the newest entries kept (by last use); older ones are removed when a new entry is written
MAX_ENTRIES = 64
# a temp file this old is the remains of a killed writer
STALE_TMP_SECONDS = 3600


def cache_dir() -> Path | None:
    """Where entries live; None if disabled (``VNP_NO_CACHE=1``) or there is no home to put them in.

    ``$VNP_CACHE_DIR``, else ``helm-vnp`` under Helm's cache home computed as Helm does
    (``$HELM_CACHE_HOME``, else ``$XDG_CACHE_HOME/helm``, else ``~/.cache/helm``), so `helm vnp`
    (Helm sets HELM_CACHE_HOME for its plugins) and a post-renderer Helm 3 runs directly share one.
    Relative XDG/Helm values are ignored, as the XDG spec says (they would write into the working
    directory); with no usable home (HOME unset and a UID without a passwd entry: arbitrary-UID
    containers) the cache is off rather than anywhere shared like /tmp.
    """
    if os.environ.get("VNP_NO_CACHE") == "1":
        return None
    if os.environ.get("VNP_CACHE_DIR"):
        return Path(os.environ["VNP_CACHE_DIR"])
    helm = os.environ.get("HELM_CACHE_HOME", "")
    if os.path.isabs(helm):
        return Path(helm) / "helm-vnp"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "helm" / "helm-vnp"
    home = os.path.expanduser("~")  # $HOME, else the passwd entry; "~" itself when neither exists
    if not os.path.isabs(home) or home == "/":
        return None
    return Path(home) / ".cache" / "helm" / "helm-vnp"


def code_fingerprint() -> bytes:
    """Name, size and mtime of every module that turns values into the config (this package): a
    changed loader or default (a `helm plugin update` keeps the version) is never served stale."""
    here = Path(__file__).resolve().parent
    parts = []
    for entry in sorted(os.scandir(here), key=lambda e: e.name):
        if entry.name.endswith((".py", ".json")):
            st = entry.stat()
            parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def cache_key(version: str, schema: bytes, files: Sequence[tuple[str, bytes]], flags: Sequence[tuple[str, str]]) -> str:
    """sha256 over every input; each field is length-prefixed so no two inputs collide."""
    h = hashlib.sha256()

    def add(data: bytes) -> None:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)

    for part in (FORMAT.encode(), version.encode(), schema, code_fingerprint()):
        add(part)
    add(str(len(files)).encode())
    for path, raw in files:
        add(path.encode("utf-8", "surrogateescape"))
        add(raw)
    add(str(len(flags)).encode())
    for flag, arg in flags:
        add(flag.encode())
        add(arg.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def read(key: str) -> dict | None:
    """The cached JSON for ``key``, or None (missing, unreadable, corrupt, disabled)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        data = json.loads((directory / f"{key}.json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    config = data.get("config")
    if data.get("sha256") != _checksum(config):
        return None  # damaged (valid JSON may still be): a miss
    try:
        os.utime(directory / f"{key}.json")  # last use: pruning keeps the entries in use
    except OSError:
        pass
    return config


def _checksum(config) -> str:
    return hashlib.sha256(json.dumps(config, separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                                             "surrogatepass")).hexdigest()


def write(key: str, config: dict) -> None:
    """Store ``config`` under ``key`` atomically; errors are ignored (the cache is optional)."""
    directory = cache_dir()
    if directory is None:
        return
    import tempfile  # only on a miss

    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # key order is kept: it is the order the user wrote their rules in, and output follows it
            json.dump({"format": FORMAT, "key": key, "sha256": _checksum(config), "config": config}, fh)
        os.replace(tmp, directory / f"{key}.json")
        tmp = None
        prune(directory)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def prune(directory: Path, keep: int | None = None) -> None:
    """Keep the ``keep`` most recently used entries and drop stale temp files.  Runs on a miss only
    (after writing), so the warm path never pays for it; errors (a concurrent prune) are ignored."""
    import time

    entries, now = [], time.time()
    with os.scandir(directory) as listing:
        for entry in listing:
            try:
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    entries.append((entry.stat().st_mtime_ns, entry.name))
                elif entry.name.endswith(".tmp") and now - entry.stat().st_mtime > STALE_TMP_SECONDS:
                    os.unlink(entry.path)
            except OSError:
                pass
    entries.sort(reverse=True)
    for _mtime, name in entries[MAX_ENTRIES if keep is None else keep:]:
        try:
            os.unlink(directory / name)
        except OSError:
            pass
