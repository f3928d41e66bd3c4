"""`helm vnp template|install|upgrade`: run the real helm with vnp attached.

Post-renderers get no values, release name or namespace from Helm, so the
wrapper reads them from the same flags the user gives Helm and hands them to
the post-renderer as arguments.  It validates the config before Helm runs
(Helm 4 would discard the post-renderer's error text), and it attaches the
post-renderer the way the running Helm understands: ``/bin/sh SCRIPT`` for Helm 3,
a throw-away ``postrenderer/v1`` plugin for Helm 4 (so nothing has to be
installed in the user's plugin directory).  Values files that can be read only
once (``-f -``, ``-f /dev/stdin``, ``-f <(sops -d f)``) are read once and Helm
and the post-renderer get private copies of the same bytes.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from helm_vnp.base import stdio
from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.record import field, record
from helm_vnp.commands.release_config import ALLOW_REMOVAL_FLAG, Deployed, config_input, record_of, refuse_removal
from helm_vnp.config.values_input import ValuesInput, env_values
from helm_vnp.helm import (
    check_release_name,
    get_manifest,
    get_values,
    helm_binary,
    helm_flags,
    helm_major,
    plugins_path,
)

# the wrapper's own flag: values files for vnp only (charts whose values.schema.json refuses `policies`)
VNP_VALUES_FLAG = "--vnp-values"
# values that reach the chart but that vnp does not read: refused when they touch the config
_UNREAD_SETS = ("--set-literal", "--set-file")


@record
class HelmCall:
    command: str
    args: list[str]
    release: str | None = None
    values: ValuesInput = field(default_factory=ValuesInput)  # -f, --set*, --vnp-values (read by vnp only)
    namespace: str | None = None
    reuse_values: bool = False  # upgrade --reuse-values: the release's stored values are the base
    allow_removal: bool = False  # --vnp-allow-removal: an upgrade may remove vnp's objects from the release
    helm_args: list[str] = field(default_factory=list)  # args without the wrapper's own flags
    values_at: list[int] = field(default_factory=list)  # where in helm_args a -f's value is (as `--values V`)


# the release name `helm template CHART` uses when none is given
HELM_DEFAULT_RELEASE = "release-name"


def parse_helm_args(command: str, args: list[str], flags: tuple[set, set]) -> HelmCall:
    """Pick out what vnp needs from a helm command line, leaving it unchanged.

    ``flags``: (value flags, optional-value flags) as ``helm_flags`` reads them.
    """
    value_flags, optional_flags = flags
    call = HelmCall(command, list(args))
    positionals = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positionals += args[i + 1:]
            call.helm_args += args[i:]
            break
        if arg == ALLOW_REMOVAL_FLAG:
            call.allow_removal = True
            i += 1
            continue
        if arg == VNP_VALUES_FLAG or arg.startswith(VNP_VALUES_FLAG + "="):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            elif i + 1 < len(args):
                value, i = args[i + 1], i + 1
            else:
                raise VnpError(Problem(f"flag {VNP_VALUES_FLAG} needs a value"))
            call.values.vnp_files += [v for v in value.split(",") if v]
            i += 1
            continue
        start = i
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=")
            if not arg.startswith("--") and len(name) > 2 and name[:2] in value_flags:
                name, eq, value = name[:2], "=", arg[2:].removeprefix("=")  # -fvalues.yaml, -nteam
            if name in ("--post-renderer", "--post-renderer-args"):
                raise VnpError(Problem(f"{name} is set by helm vnp itself; run plain helm to use your own"))
            if not eq and name in value_flags and name not in optional_flags:
                if i + 1 >= len(args):
                    raise VnpError(Problem(f"flag {name} needs a value"))
                value = args[i + 1]
                i += 1
            if name in _UNREAD_SETS:
                keys = [part.split("=", 1)[0].strip()
                        for part in ([value] if name == "--set-literal" else value.split(","))]
                ours = [k for k in keys if k.replace("\\", "").split(".", 1)[0].split("[", 1)[0]
                        in ("policies", "isolation", "mapServices")]
                if ours:  # named by key only: the values are the chart's (and may be secrets)
                    raise VnpError(Problem(f"{name} {ours[0]}=…: helm vnp does not read {name}; set policies with "
                                           "-f, --set, --set-string or --set-json", path=name))
            if name in ("-f", "--values"):
                call.values.files += [v for v in value.split(",") if v]
                call.helm_args += ["--values", value]  # one spelling, so that a file can be swapped for a copy
                call.values_at.append(len(call.helm_args) - 1)
                i += 1
                continue
            elif name == "--set":
                call.values.sets.append(value)
            elif name == "--set-string":
                call.values.set_strings.append(value)
            elif name == "--set-json":
                call.values.set_jsons.append(value)
            elif name in ("-n", "--namespace"):
                call.namespace = value
        else:
            positionals.append(arg)
        call.helm_args += args[start:i + 1]
        i += 1
    if "--generate-name" in args or "-g" in args:
        raise VnpError(Problem("helm vnp needs an explicit release name (--generate-name is not supported): "
                               "generated objects and pod labels carry it"))
    if not positionals:
        raise VnpError(Problem(f"usage: helm vnp {command} RELEASE CHART [helm flags]"))
    if command == "template" and len(positionals) == 1:
        if any(a == "--name-template" or a.startswith("--name-template=") for a in args):
            raise VnpError(Problem("helm vnp template needs an explicit release name with --name-template: "
                                   "generated objects and pod labels carry it"))
        call.release = HELM_DEFAULT_RELEASE  # `helm template CHART` names the release so
    else:
        call.release = positionals[0]
    call.reuse_values = command == "upgrade" and any(
        a in ("--reuse-values", "--reset-then-reuse-values")
        or (a.startswith(("--reuse-values=", "--reset-then-reuse-values=")) and not a.endswith("=false"))
        for a in args)
    call.namespace = call.namespace or os.environ.get("HELM_NAMESPACE") or None
    return call


def postrender_args(call: HelmCall, saved: dict | None = None) -> list[str]:
    args = call.values.postrender_flags(saved)
    args.append(f"--release={call.release}")
    if call.namespace:
        args.append(f"--namespace={call.namespace}")
    return args


def write_shim(tmp: Path, major: int) -> tuple[str, list[str], dict]:
    """The post-renderer as the running Helm wants it: (--post-renderer value, its first
    --post-renderer-args, env additions).

    Nothing in ``tmp`` is executed directly: ``$TMPDIR`` may be mounted noexec.  Helm 3 runs
    ``/bin/sh SCRIPT ARGS`` (its --post-renderer names an executable; the script is only read), Helm 4
    a plugin whose command is ``/bin/sh SCRIPT``; the script runs Python on a file it reads.
    """
    import shlex

    # -I: Helm runs the post-renderer in the user's directory, whose files must not shadow
    # vnp's modules; the package root goes on sys.path explicitly instead.
    root = str(Path(__file__).resolve().parents[2])
    entry = tmp / "vnp_postrender.py"
    entry.write_text(f"import sys\nsys.path.insert(0, {root!r})\n"
                     "from helm_vnp.postrender import main\nsys.exit(main())\n")
    script = tmp / "vnp-postrender"
    script.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -I {shlex.quote(str(entry))} \"$@\"\n")
    if major < 4:
        return "/bin/sh", [str(script)], {}
    name = f"vnp-postrender-{os.getpid()}"
    plugin = tmp / "plugins" / name
    plugin.mkdir(parents=True)
    (plugin / "plugin.yaml").write_text(
        "apiVersion: v1\ntype: postrenderer/v1\n"
        f"name: {name}\nversion: 0.1.0\nruntime: subprocess\n"
        # `command` is split on spaces by Helm; a path in `args` is taken whole
        f"runtimeConfig:\n  platformCommand:\n    - command: /bin/sh\n      args: [{json.dumps(str(script))}]\n")
    return name, [], {"HELM_PLUGINS": os.pathsep.join(p for p in (plugins_path(), str(tmp / "plugins")) if p)}


def save_read_once(values: ValuesInput, tmp: Path) -> dict[str, str]:
    """Read standard input (``-f -``) and every values file that can be read only once (``-f /dev/stdin``,
    ``-f <(sops -d f)``) into ``values``, and save each to a private file in ``tmp`` (0600, in a 0700
    directory removed when the command ends): {name as given: copy}.  vnp, Helm and the post-renderer
    all read the same bytes, where plain Helm would have been the only reader."""
    from helm_vnp.config.sources import TooLarge, read_limited

    if values.reads_stdin:
        try:
            values.stdin = read_limited(sys.stdin.buffer)
        except TooLarge as exc:
            raise VnpError(Problem(f"standard input is {exc.strerror}", path="-f -"))
        except OSError as exc:  # closed at start (see base.stdio)
            raise VnpError(Problem(f"cannot read standard input: {exc.strerror or exc}", path="-f -"))
    values.read_once()
    saved = {}
    for n, (name, data) in enumerate(sorted(values.given().items())):
        path = tmp / f"values-{n}.yaml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        saved[name] = str(path)
    return saved


def stored_values(helm: str, call: HelmCall, tmp: Path) -> str | None:
    """upgrade --reuse-values: the release's stored user values, as a values file (None: no release)."""
    stored = get_values(helm, call.release, call.namespace)
    if stored is None:
        return None  # upgrade --install of a new release: nothing to reuse
    path = tmp / "reused-values.yaml"
    path.write_bytes(stored)
    return str(path)


def deployed_state(helm: str, call: HelmCall) -> Deployed | None:
    """The vnp objects of the release's deployed revision (None: no such release yet)."""
    manifest = get_manifest(helm, call.release, call.namespace)
    return Deployed(manifest, call.release) if manifest is not None else None


def run_wrapped(command: str, args: list[str]) -> int:
    """Validate, then run helm COMMAND ARGS with the vnp post-renderer attached; returns helm's exit code.

    The config is loaded here first so that a mistake stops before Helm runs, with the message
    on the terminal (Helm 4 would discard the post-renderer's own).
    """
    from helm_vnp.config import load_config

    helm = helm_binary()
    call = parse_helm_args(command, args, helm_flags(helm, command))
    check_release_name(call.release)
    with tempfile.TemporaryDirectory(prefix="helm-vnp-") as tmpdir:
        tmp = Path(tmpdir)
        saved = save_read_once(call.values, tmp)
        deployed = deployed_state(helm, call) if call.reuse_values else None
        if call.reuse_values:
            reused = stored_values(helm, call, tmp)
            if reused:
                call.values.vnp_files.insert(0, reused)  # the base; this upgrade's --vnp-values, -f and --set win
            if deployed is not None and deployed.record is not None and not (
                    reused and config_input([(reused, Path(reused).read_bytes())])):
                # the config came with --vnp-values (not among the stored values): the recorded one is the base
                recorded = tmp / "recorded-vnp-config.json"
                recorded.write_text(json.dumps(deployed.record))
                call.values.vnp_files.insert(0, str(recorded))
        values = call.values
        loaded = load_config(values)
        if command == "upgrade" and not call.allow_removal:
            # after the config is validated: a mistake in it is reported before the cluster is asked
            deployed = deployed if call.reuse_values else deployed_state(helm, call)
            if deployed is not None:
                refuse_removal(deployed, loaded.policies, call.release)
        record = record_of(values)
        for w in loaded.warnings:
            sys.stderr.write("warning: " + w.render() + "\n")
        major = helm_major(helm)
        renderer, shim_args, env = write_shim(tmp, major)
        env["VNP_CONFIG_WARNINGS_SHOWN"] = "1"  # printed above: the post-renderer must not repeat them
        helm_args = list(call.helm_args)
        for at in call.values_at:  # Helm reads the bytes vnp read, from the copies
            helm_args[at] = ",".join(saved.get(v, v) for v in helm_args[at].split(","))
        argv = [helm, command, *helm_args, "--post-renderer", renderer]
        argv += [f"--post-renderer-args={a}" for a in shim_args + postrender_args(call, saved)]
        if any(v in saved for v in env_values()):  # the post-renderer reads $VNP_VALUES itself
            env["VNP_VALUES"] = os.pathsep.join(saved.get(v, v) for v in env_values())
        if record and command != "template":
            argv.append(f"--post-renderer-args=--record-config={record}")
        # the post-renderer copies warnings to helm's stderr itself (helm is its parent), and errors
        # only under Helm 4, where HELM_PLUGIN_NAME names our throw-away vnp-postrender-* plugin
        # Helm sees the standard streams vnp was given (a closed one closed), and its end by a signal is
        # reported as a shell does, 128+N: `helm vnp template ... | head` exits 141 (SIGPIPE), not 243
        proc = subprocess.run(argv, env={**os.environ, **env}, preexec_fn=stdio.child_preexec())
        return proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
