"""Disk cache of normalised configs, so the post-renderer's hot path skips YAML and JSON Schema.

The key is a sha256 over everything the result depends on (tool version, schema bytes,
each values file's resolved path and bytes, the --set flags in order), so an entry can
never be stale. Entries are written atomically (temp file + os.replace); any cache
trouble (unwritable directory, corrupt entry) silently falls back to a full load.

The cache decides what the post-renderer isolates, so whoever can write it could turn isolation
off (issue 13). What is read is therefore trusted only as far as it must be:

- the directory and each entry must be owned by the effective user and not writable by group
  or others (a regular file, opened without following symlinks); otherwise nothing is read from
  it or written to it, the config is recomputed, and stderr says so once per process.  A
  directory vnp creates is 0700, its entries 0600;
- an entry carries the exact inputs it was made from (digests of every file's bytes and every
  --set argument, never the values themselves) and is used only when they equal this run's: an
  entry cannot be moved to another key;
- a result with isolation off (``networkPolicy.enabled`` not true) or of the wrong shape is
  never served from the cache: it is recomputed, so no cache content can remove isolation.
"""
from __future__ import annotations

import json
import os
import stat
import sys

from helm_vnp.base.digest import sha256_hex

TYPE_CHECKING = False  # typing's, without importing typing on every start (type checkers read the name)
if TYPE_CHECKING:
    from collections.abc import Sequence

FORMAT = "vnp-config-cache/3"


# the newest entries kept (by last use); older ones are removed when a new entry is written
MAX_ENTRIES = 64
# a temp file this old is the remains of a killed writer
STALE_TMP_SECONDS = 3600
# an entry larger than this is not a config vnp wrote
MAX_ENTRY_BYTES = 16 << 20
# the top-level keys of a normalised config (helm_vnp.config.normalise.build)
POLICY_KEYS = frozenset({"limitRange", "networkPolicy", "podSecurity", "podSecurityStandard", "podSecurityVersion",
                         "resourceQuota", "selection", "unknownWorkloads", "workloadKinds"}
                        | {"hardening", "nodeIsolation", "serviceAccountTokens", "mapServices", "tenant"})

_told = False  # the untrusted-cache message is written once per process


def cache_dir() -> str | None:
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
        return os.environ["VNP_CACHE_DIR"]
    helm = os.environ.get("HELM_CACHE_HOME", "")
    if os.path.isabs(helm):
        return os.path.join(helm, "helm-vnp")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "helm", "helm-vnp")
    home = os.path.expanduser("~")  # $HOME, else the passwd entry; "~" itself when neither exists
    if not os.path.isabs(home) or home == "/":
        return None
    return os.path.join(home, ".cache", "helm", "helm-vnp")


def code_fingerprint() -> bytes:
    """Name, size and mtime of every module that turns values into the config (this package): a
    changed loader or default (a `helm plugin update` keeps the version) is never served stale."""
    here = os.path.dirname(os.path.realpath(__file__))
    parts = []
    for entry in sorted(os.scandir(here), key=lambda e: e.name):
        if entry.name.endswith((".py", ".json")):
            st = entry.stat()
            parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def _digest(data: bytes) -> str:
    return sha256_hex(data)


def key_inputs(version: str, schema: bytes, files: Sequence[tuple[str, bytes]],
               flags: Sequence[tuple[str, str]]) -> dict:
    """Everything the result depends on, as stored in its entry: names in clear (an undecodable byte
    stays a lone surrogate, which JSON keeps as ``\\udcXX``), file bytes and --set arguments as sha256
    digests only (a values file or a --set may hold a secret; the cache must not copy it)."""
    return {"format": FORMAT, "version": version, "schema": _digest(schema), "code": _digest(code_fingerprint()),
            "files": [[path, _digest(raw)] for path, raw in files],
            "flags": [[flag, _digest(arg.encode("utf-8", "surrogateescape"))] for flag, arg in flags]}


def key_of(inputs: dict) -> str:
    """The entry's name: sha256 of its inputs as canonical JSON (lists keep their order)."""
    return _digest(json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii"))


def cache_key(version: str, schema: bytes, files: Sequence[tuple[str, bytes]], flags: Sequence[tuple[str, str]]) -> str:
    """sha256 over every input (``key_inputs``)."""
    return key_of(key_inputs(version, schema, files, flags))


def _tell(text: str, then: str = "the config is recomputed on every run (slower, same result)") -> None:
    """Say once per process why the cache is not used (stderr; trouble writing it is ignored)."""
    global _told
    if _told:
        return
    _told = True
    try:
        sys.stderr.write(f"helm-vnp: {text}; {then}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _untrusted(st: os.stat_result) -> str:
    """Why an object with this stat cannot be trusted ("" when it can): another owner than the
    effective user, or writable by group or others."""
    if st.st_uid != os.geteuid():
        return f"owned by uid {st.st_uid}, not by this user (uid {os.geteuid()})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"writable by group or others (mode {stat.S_IMODE(st.st_mode):04o})"
    return ""


def _open_dir(directory: str) -> int | None:
    """A descriptor of the cache directory if it exists and can be trusted; None otherwise (said once)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        why = _untrusted(os.fstat(fd))
    except OSError:
        why = "not readable"
    if why:
        os.close(fd)
        _tell(f"the config cache {directory} is not used: it is {why} (make it yours with mode 0700, or set "
              "VNP_CACHE_DIR to a directory only you can write)")
        return None
    return fd


def _read_entry(dir_fd: int, directory: str, name: str) -> bytes | None:
    """An entry's bytes if it is a regular file this user owns and only this user can write."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None  # missing (a miss), or a symlink (ELOOP): never followed
    try:
        st = os.fstat(fd)
        why = "not a regular file" if not stat.S_ISREG(st.st_mode) else _untrusted(st)
        if why:
            _tell(f"the config cache entry {os.path.join(directory, name)} is ignored: it is {why}",
                  "the config is recomputed and the entry replaced")
            return None
        if st.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_ENTRY_BYTES + 1)
        try:
            os.utime(fd)  # last use: pruning keeps the entries in use
        except OSError:
            pass
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def servable(config) -> bool:
    """Whether a cached result may be used as it is: the shape of a normalised config, with isolation
    on.  A result with isolation off costs little to recompute and is the one a planted entry would
    aim at, so it never comes from the cache."""
    if not isinstance(config, dict) or not isinstance(config.get("policies"), dict):
        return False
    policies = config["policies"]
    netpol = policies.get("networkPolicy")
    return (set(policies) == POLICY_KEYS and isinstance(netpol, dict) and netpol.get("enabled") is True
            and policies.get("selection") in ("podLabel", "workloadSelectors")
            and isinstance(config.get("warnings"), list) and isinstance(config.get("origins"), dict))


def read(key: str, inputs: dict | None = None) -> dict | None:
    """The cached JSON for ``key``, or None (missing, unreadable, corrupt, untrusted, made from other
    inputs than ``inputs``, not ``servable``, disabled)."""
    directory = cache_dir()
    if directory is None:
        return None
    dir_fd = _open_dir(directory)
    if dir_fd is None:
        return None
    try:
        raw = _read_entry(dir_fd, directory, f"{key}.json")
    finally:
        os.close(dir_fd)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    if inputs is not None and data.get("inputs") != inputs:
        return None  # made from other inputs (an entry copied or renamed to this key): a miss
    config = data.get("config")
    if data.get("sha256") != _checksum(config):
        return None  # damaged (valid JSON may still be): a miss
    return config if servable(config) else None


def _checksum(config) -> str:
    return sha256_hex(json.dumps(config, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _private_dir(directory: str) -> int | None:
    """The cache directory, created 0700 when missing, as a trusted descriptor (None: not usable)."""
    if not os.path.exists(directory):
        try:
            if os.path.dirname(directory):
                os.makedirs(os.path.dirname(directory), exist_ok=True)
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass  # another process made it meanwhile: checked below like any other
        except OSError:
            return None
    return _open_dir(directory)


def write(key: str, config: dict, inputs: dict | None = None) -> None:
    """Store ``config`` under ``key`` atomically, with the ``inputs`` it was made from; errors are
    ignored (the cache is optional), and so is a directory that cannot be trusted (said once)."""
    directory = cache_dir()
    if directory is None or not servable(config):
        return  # a result that is never served is not stored either
    dir_fd = _private_dir(directory)
    if dir_fd is None:
        return
    tmp = None
    try:
        body = json.dumps({"format": FORMAT, "key": key, "inputs": inputs, "sha256": _checksum(config),
                           "config": config}).encode("utf-8")  # key order kept: the order rules were written in
        tmp = f".{key[:16]}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                     dir_fd=dir_fd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        os.replace(tmp, f"{key}.json", src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        tmp = None
        prune(dir_fd)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp, dir_fd=dir_fd)
            except OSError:
                pass
        os.close(dir_fd)


def prune(directory: int | str, keep: int | None = None) -> None:
    """Keep the ``keep`` most recently used entries and drop stale temp files.  Runs on a miss only
    (after writing), so the warm path never pays for it; errors (a concurrent prune) are ignored.
    ``directory``: a descriptor of it (or its path)."""
    import time

    if not isinstance(directory, int):
        try:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return
        try:
            return prune(fd, keep)
        finally:
            os.close(fd)
    entries, now = [], time.time()
    with os.scandir(directory) as listing:
        for entry in listing:
            try:
                st = entry.stat(follow_symlinks=False)
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    entries.append((st.st_mtime_ns, entry.name))
                elif entry.name.endswith(".tmp") and now - st.st_mtime > STALE_TMP_SECONDS:
                    os.unlink(entry.name, dir_fd=directory)
            except OSError:
                pass
    entries.sort(reverse=True)
    for _mtime, name in entries[MAX_ENTRIES if keep is None else keep:]:
        try:
            os.unlink(name, dir_fd=directory)
        except OSError:
            pass
