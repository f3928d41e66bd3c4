"""The post-renderer Helm calls on every install, upgrade and template.

stdin: the rendered stream; stdout: the same stream, each pod template
carrying the release label, followed by the generated isolation objects.
Fail-closed and atomic: on any error nothing is written to stdout, the
message goes to stderr and, under Helm 4 (which discards a post-renderer's
stderr), to Helm's own terminal as well.  Only what post-rendering needs is
imported here; the CLI's heavy parts are never loaded on this path.
"""
from __future__ import annotations

import os
import sys

USAGE = """usage: vnp-postrender [-f VALUES]... [--set K=V]... [--set-string K=V]... [--set-json K=JSON]...
                      [--release NAME] [-n NAMESPACE] [--record-config JSON]
Reads a rendered Helm stream on stdin, writes it with vnp's isolation objects to stdout.
Helm 4: --post-renderer vnp-postrender --post-renderer-args=-f --post-renderer-args=values.yaml \\
        --post-renderer-args=--release=NAME
Helm 3: --post-renderer vnp-postrender (on $PATH) with the same --post-renderer-args.
Environment: VNP_VALUES (values files, separated by ':'), VNP_RELEASE, VNP_NAMESPACE.

Examples:
  helm install web ./chart --post-renderer vnp-postrender --post-renderer-args=-f \\
       --post-renderer-args=values.yaml --post-renderer-args=--release=web
  helm template web ./chart | vnp-postrender -f values.yaml --release web -n shop
  helm template web ./chart | helm vnp post-render -f values.yaml --release web -n shop
"""

# flag -> the attribute of Options.values (a ValuesInput) or, for release and namespace, of Options
_VALUE_FLAGS = {"-f": "files", "--values": "files", "--set": "sets", "--set-string": "set_strings",
                "--set-json": "set_jsons", "--release": "release", "-n": "namespace", "--namespace": "namespace"}

# the user's config input as JSON, recorded on vnp's objects (the `helm vnp` wrappers pass it)
RECORD_FLAG = "--record-config"
# set by the `helm vnp` wrappers, which have printed the config's warnings (e.g. deprecated isolation.*) already
CONFIG_WARNINGS_SHOWN = "VNP_CONFIG_WARNINGS_SHOWN"


class Options:
    def __init__(self):
        from helm_vnp.config.values_input import ValuesInput

        self.values = ValuesInput()  # $VNP_VALUES is the base under -f and --set, as in Helm
        self.release: str | None = None
        self.namespace: str | None = None
        self.record: str | None = None  # --record-config: written on vnp's first object (helm vnp upgrade)


def parse_args(argv: list[str]) -> Options:
    """Helm-style flags (``--flag value`` or ``--flag=value``); small on purpose (start-up cost)."""
    from helm_vnp.base.errors import VnpError

    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name == RECORD_FLAG:
            if not eq:
                if i + 1 >= len(argv):
                    raise VnpError(f"flag {name} needs a value")
                value = argv[i + 1]
                i += 1
            opts.record = value
        elif name in _VALUE_FLAGS:
            if not eq:
                if i + 1 >= len(argv):
                    raise VnpError(f"flag {name} needs a value")
                value = argv[i + 1]
                i += 1
            attr = _VALUE_FLAGS[name]
            if attr in ("release", "namespace"):
                setattr(opts, attr, value)
            else:
                getattr(opts.values, attr).append(value)
        elif arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            raise SystemExit(0)
        elif arg == "--version":
            from helm_vnp import __version__
            sys.stdout.write(f"vnp-postrender {__version__}\n")
            raise SystemExit(0)
        else:
            raise VnpError(f"unknown argument {arg!r} (see vnp-postrender --help)")
        i += 1
    if opts.values.reads_stdin:
        raise VnpError("-f -: the post-renderer's standard input is the rendered stream; give the values as a file")
    opts.release = opts.release or os.environ.get("VNP_RELEASE") or None
    opts.namespace = opts.namespace or os.environ.get("VNP_NAMESPACE") or None
    return opts


def run(data: bytes, opts: Options) -> tuple[bytes, list[str]]:
    """The whole post-render: (output parts, warnings).  Raises VnpError."""
    from helm_vnp.config import load_config
    from helm_vnp.release.pipeline import post_render

    loaded = load_config(opts.values)
    # Helm 3 runs the post-renderer itself and creates the objects in the order of its output
    result = post_render(data, loaded.policies, opts.release, opts.namespace, record=opts.record,
                         install_order=_parent_is_helm())
    # the `helm vnp` wrappers load the same config and print its warnings before Helm runs: not twice
    shown = os.environ.get(CONFIG_WARNINGS_SHOWN) == "1"
    warnings = [] if shown else [w.render() for w in loaded.warnings]
    warnings += [str(w) for w in result.warnings]
    return result.parts, warnings


def _parent_is_helm() -> bool:
    try:
        with open(f"/proc/{os.getppid()}/comm", encoding="utf-8") as fh:
            return fh.read().startswith("helm")
    except OSError:
        return False


def tell_user(text: str, warning: bool = False) -> None:
    """Write to stderr and, where Helm would swallow it, to helm's own stderr too.

    Helm 4 discards a post-renderer's stderr always (we run as its ``vnp-postrender*``
    plugin); Helm 3 shows it only when we fail.  So errors are copied to helm's stderr
    under Helm 4 only (Helm 3 prints them itself), warnings whenever helm is our parent.
    """
    if not text.endswith("\n"):
        text += "\n"
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if not sys.platform.startswith("linux"):
        return
    helm4 = os.environ.get("HELM_PLUGIN_NAME", "").startswith("vnp-postrender")
    if helm4 or (warning and _parent_is_helm()):
        try:
            with open(f"/proc/{os.getppid()}/fd/2", "a", encoding="utf-8", errors="backslashreplace") as helm_stderr:
                helm_stderr.write("vnp-postrender: " + text)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # before any import
        from helm_vnp import __version__
        sys.stdout.write(f"vnp-postrender {__version__}\n")
        sys.stdout.flush()
        return 0
    from helm_vnp.base import stdio
    from helm_vnp.base.errors import VnpError, input_failure

    if argv is None:  # the process's own entry (helm-vnp post-render has guarded the streams already)
        stdio.guard()
    argv = sys.argv[1:] if argv is None else argv
    try:
        sys.stderr.reconfigure(errors="backslashreplace")  # a lone surrogate in a message must not lose it
    except (AttributeError, ValueError):
        pass
    try:
        opts = parse_args(argv)
        try:
            data = sys.stdin.buffer.read()
        except OSError as exc:
            raise VnpError(f"cannot read the rendered stream from standard input: {exc.strerror or exc}")
        output, warnings = run(data, opts)
    except VnpError as exc:
        tell_user(exc.render())
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the input's (depth, digits, memory), else a bug of ours: fail closed either way
        message = input_failure(exc)
        tell_user(message or f"internal error: {type(exc).__name__}: {exc} (please report it; nothing was written)")
        return 2 if message else 70
    for w in warnings:
        tell_user("warning: " + w, warning=True)
    try:
        sys.stdout.buffer.writelines(output)
        sys.stdout.buffer.flush()
    except (stdio.ReaderLeft, BrokenPipeError):  # the reader left (Helm failed or was interrupted)
        return stdio.reader_left()
    except KeyboardInterrupt:  # Ctrl-C while the reader is not reading: what was written is incomplete
        stdio.reader_left()
        tell_user("interrupted: the output is incomplete")
        return 130
    except OSError as exc:
        tell_user(f"error: cannot write the output: {exc.strerror or exc}")
        stdio.reader_left()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
