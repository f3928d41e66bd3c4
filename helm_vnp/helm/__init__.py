"""The Helm client: everything that finds and talks to the real ``helm`` binary.

Where the binary is (``$HELM_BIN``, else ``helm`` on PATH), its major version, its
flag table (read from ``helm COMMAND --help``), its plugin directories, ``helm
template`` (lint renders charts with it), ``helm get values`` (``upgrade
--reuse-values``) and Helm's rule for release names.  The commands that wrap Helm
(``helm_vnp.commands``), the linter and the post-render pipeline use it; it knows
nothing of them and imports only ``helm_vnp.base`` and the standard library.

The post-renderer imports it (for ``check_release_name``) on every install, so
``subprocess``, ``shutil``, ``tempfile`` and ``pathlib`` are imported only by the
functions that use them.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Sequence

from helm_vnp.base.errors import Problem, VnpError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["check_release_name", "get_manifest", "get_values", "helm_binary", "helm_flags", "helm_major", "plugin_dirs",
           "plugins_path", "template"]

# Which Helm flags take a value comes from the running helm's own `helm COMMAND --help` (helm_flags),
# never from a table kept here: a table wrong in either direction loses the user's -f (a boolean read
# as taking a value swallows the next argument) or their chart (a value flag read as boolean).
# a flag line of cobra's help: "  -f, --values strings   ..." / "      --dry-run string[="unset"]   ..."
_FLAG_LINE = re.compile(r"^\s+(?:(-\w), )?(--[\w-]+)(?: (\S+))?(?:\s{2,}|$)")
# `helm template` can take minutes on a big chart; never forever
TEMPLATE_TIMEOUT = 600


def helm_binary() -> str:
    """The helm to run: ``$HELM_BIN`` (Helm sets it for a plugin), else ``helm`` on PATH."""
    import shutil

    helm = os.environ.get("HELM_BIN") or shutil.which("helm")
    if not helm:
        raise VnpError(Problem("no helm binary: set HELM_BIN or put helm on PATH"))
    return helm


_MAJOR: dict[str, int] = {}  # helm path -> its major version: asked once per process (and before a fork)


def helm_major(helm: str) -> int:
    """The major version of ``helm`` (3 or 4), from ``helm version --short``; asked once per process."""
    if helm not in _MAJOR:
        _MAJOR[helm] = _ask_major(helm)
    return _MAJOR[helm]


def _ask_major(helm: str) -> int:
    return major_of(helm, start_version(helm))


def start_version(helm: str):
    """``helm version --short`` started now (``major_of`` reads it)."""
    from helm_vnp.helm.runs import Started
    return Started([helm, "version", "--short"])


def major_of(helm: str, run) -> int:
    """The major version ``run`` (``start_version``) printed; remembered for this process."""
    import subprocess

    try:
        raw = run.finish(60)[1]
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VnpError(Problem(f"cannot run {helm}: {getattr(exc, 'strerror', None) or exc}"))
    # bytes, not text: a HELM_BIN that prints something other than UTF-8 is a message, not a traceback
    out = _text(raw).strip().lstrip("v")
    major = out.split(".", 1)[0]
    if not (major.isascii() and major.isdigit()):
        raise VnpError(Problem(f"cannot tell the version of {helm} (`{helm} version --short` printed {out[:80]!r})",
                               expected="Helm 3 or 4, printing a version such as v4.0.0"))
    _MAJOR[helm] = int(major)
    return int(major)


def _text(raw: bytes) -> str:
    """A helm's output as text; bytes that are not UTF-8 are shown as escapes (``\\xff``)."""
    return raw.decode("utf-8", "backslashreplace")


def helm_flags(helm: str, command: str) -> tuple[set, set]:
    """(flags that take a value, flags whose value is optional) of ``helm COMMAND``, from its --help.

    Fails closed: without a flag table vnp cannot tell which argument is the values file."""
    import subprocess

    try:
        out = _text(subprocess.run([helm, command, "--help"], capture_output=True, timeout=60,
                                   stdin=subprocess.DEVNULL).stdout)
    except (OSError, subprocess.SubprocessError):
        out = ""
    value, optional = set(), set()
    for line in out.splitlines():
        m = _FLAG_LINE.match(line)
        if not m or not m.group(3):
            continue
        names = {m.group(2)} | ({m.group(1)} if m.group(1) else set())
        (optional if "[=" in m.group(3) else value).update(names)
    if "--values" not in value or "--set" not in value:
        raise VnpError(Problem(f"cannot read the flags of `{helm} {command} --help`: helm vnp needs them to tell "
                               "which arguments are values files"))
    return value, optional


def plugins_path() -> str:
    """Helm's plugin directories as Helm reads them: ``$HELM_PLUGINS`` (``:``-separated), else
    ``plugins`` under ``$HELM_DATA_HOME`` (default ``$XDG_DATA_HOME/helm``, ``~/.local/share/helm``)."""
    listed = os.environ.get("HELM_PLUGINS")
    if listed:
        return listed
    # $HOME as Helm reads it (client-go's homedir: the variable, no passwd lookup, "" when unset)
    data = os.environ.get("HELM_DATA_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.environ.get("HOME", ""), ".local", "share"), "helm")
    return os.path.join(data, "plugins")


def plugin_dirs() -> list[Path]:
    """``plugins_path()`` as a list of directories."""
    from pathlib import Path

    return [Path(p) for p in plugins_path().split(os.pathsep) if p]


def template_target(release: str | None, namespace: str | None) -> tuple[str, str]:
    """(release, namespace) vnp renders a chart as: the given ones, else ``release`` and ``$HELM_NAMESPACE``
    (Helm sets it for a plugin) or ``default``."""
    return release or DEFAULT_RELEASE, namespace or os.environ.get("HELM_NAMESPACE") or DEFAULT_NAMESPACE


DEFAULT_RELEASE = "release"
DEFAULT_NAMESPACE = "default"


def template(helm: str, chart: str, release: str, namespace: str, flags: Sequence[str] = (),
             given: dict[str, bytes] | None = None) -> bytes:
    """``helm template RELEASE CHART --namespace NS FLAGS...`` -> the rendered stream.

    ``flags``: the values flags (``ValuesInput.helm_flags``); a ``--values F`` whose F is in ``given``
    (``-``, a pipe vnp read already: ``ValuesInput.given``) is handed to helm as a private temporary
    file holding those bytes.  No ``--include-crds``: the post-renderer never sees a chart's ``crds/``
    either.  A run handed over by ``use_rendered`` (the same arguments) is answered from it.
    """
    ahead = _RENDERED.pop(template_key(helm, chart, release, namespace, flags, given or {}), None)
    result = rendered(chart, start_template(helm, chart, release, namespace, flags, given)) if ahead is None else ahead
    if isinstance(result, bytes):
        return result
    raise VnpError(result)


def start_template(helm: str, chart: str, release: str, namespace: str, flags: Sequence[str] = (),
                   given: dict[str, bytes] | None = None):
    """``template``'s ``helm template`` started now (``rendered`` reads it)."""
    import tempfile

    from helm_vnp.helm.runs import Started

    given = given or {}
    tmp = tempfile.TemporaryDirectory(prefix="vnp-lint-")
    args = [helm, "template", release, chart, "--namespace", namespace]
    previous = None
    for arg in flags:
        if previous == "--values" and arg in given:
            path = os.path.join(tmp.name, f"values-{len(args)}.yaml")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(given[arg])
            arg = path
        args.append(arg)
        previous = arg
    return Started(args, tmp.cleanup)


def rendered(chart: str, run) -> "bytes | list[Problem]":
    """The stream ``run`` (``start_template``) rendered, or the problems of its failure."""
    import subprocess

    helm = run.args[0]
    try:
        code, out, err = run.finish(TEMPLATE_TIMEOUT)
    except OSError as exc:
        return [Problem(f"cannot run {helm}: {exc.strerror or exc}")]
    except subprocess.TimeoutExpired:
        return [Problem(f"`helm template` of {chart} did not finish within {TEMPLATE_TIMEOUT} s")]
    if code != 0:
        text = err.decode("utf-8", "replace").strip() or f"exit status {code}"
        return [Problem(f"`helm template` failed: {text}", file=chart)]
    return out


# `helm template` runs done ahead by this process's parent (``lint A B C``: it renders while its workers lint),
# by their arguments: the stream, or the problems of the failed run; each is taken once, by ``template``
_RENDERED: dict[tuple, "bytes | list[Problem]"] = {}


def template_key(helm: str, chart: str, release: str, namespace: str, flags: Sequence[str],
                 given: dict[str, bytes]) -> tuple:
    """What identifies a ``template`` call (``use_rendered``)."""
    return helm, chart, release, namespace, tuple(flags), tuple(sorted(given.items()))


def use_rendered(key: tuple, result: "bytes | list[Problem]", major: int | None = None) -> None:
    """Hand this process a ``rendered`` result for the ``template`` call ``key`` (``template_key``), and the
    major version of its helm when known."""
    _RENDERED[key] = result
    if major is not None:
        _MAJOR[key[0]] = major


def get_values(helm: str, release: str, namespace: str | None) -> bytes | None:
    """The user values stored with ``release`` (``helm get values``, for ``upgrade --reuse-values``),
    as YAML; None when there is no such release (``upgrade --install`` of a new one)."""
    return _get(helm, ["values", release, "--output", "yaml"], namespace,
                f"--reuse-values: cannot read the values of release {release!r}")


def get_manifest(helm: str, release: str, namespace: str | None) -> bytes | None:
    """The manifest of ``release``'s deployed revision (``helm get manifest``, read before ``helm vnp
    upgrade`` for the vnp objects it holds); None when there is no such release."""
    return _get(helm, ["manifest", release], namespace,
                f"cannot read the manifest of release {release!r} (vnp checks what the upgrade would remove)")


def _get(helm: str, args: list[str], namespace: str | None, failure: str) -> bytes | None:
    """``helm get ARGS``: its output; None when the release does not exist; else a VnpError saying ``failure``."""
    import subprocess

    argv = [helm, "get", *args] + (["--namespace", namespace] if namespace else [])
    proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        if "not found" in err:
            return None  # upgrade --install of a new release: nothing there yet
        raise VnpError(Problem(f"{failure}: {err or f'helm get {args[0]} exited {proc.returncode}'}"))
    return proc.stdout


def check_release_name(release: str) -> None:
    """Refuse a release name Helm would refuse (vnp labels and names objects with it)."""
    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", release) or len(release) > 53:
        raise VnpError(Problem(f"invalid release name {release!r}", path="--release",
                               expected="a DNS-1123 label of at most 53 characters, as Helm requires"))
