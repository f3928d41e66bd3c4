"""The `helm-vnp` / `helm vnp` command line: one small function per command.

Commands live in ``helm_vnp.commands``; heavy imports happen inside them,
so `--help` and `--version` stay fast.  The post-renderer has its own,
lighter entry (``helm_vnp.postrender``); ``post-render`` here forwards to it.
"""
from __future__ import annotations

import os
import sys

import typer

from helm_vnp import __version__
from helm_vnp.commands import config_cmds, diff, docs, graph, lint, lint_paths

app = typer.Typer(
    name="helm-vnp", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="vCluster-grade isolation for any Helm release: NetworkPolicies, ResourceQuota, LimitRange and "
         "Pod Security, injected by a post-renderer and checked by a linter.")

PASSTHROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"helm-vnp {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="print the version")) -> None:
    """helm-vnp."""


app.command("generate")(config_cmds.generate)
app.command("validate")(config_cmds.validate)
app.command("schema")(config_cmds.schema)


@app.command("post-render", context_settings=PASSTHROUGH)
def post_render(ctx: typer.Context) -> None:
    """The post-renderer (same as `vnp-postrender`): stream on stdin, stream with isolation on stdout."""
    from helm_vnp.postrender import main as postrender_main

    raise typer.Exit(postrender_main(list(ctx.args)))


def _wrapper(command: str):
    def run(ctx: typer.Context) -> None:
        from helm_vnp.base.errors import VnpError
        from helm_vnp.commands.helm_wrap import run_wrapped

        if ctx.args[:1] in (["-h"], ["--help"]):
            sys.stdout.write(f"usage: helm vnp {command} RELEASE CHART [any helm {command} flags]\n"
                             f"Runs `helm {command}` with the vnp post-renderer attached; -f/--set/-n and the "
                             "release name are passed to it too.\n")
            raise typer.Exit()
        try:
            code = run_wrapped(command, list(ctx.args))
        except VnpError as exc:
            sys.stderr.write(exc.render() + "\n")
            raise typer.Exit(2)
        raise typer.Exit(code)
    run.__doc__ = f"`helm {command}` with the vnp post-renderer attached (values, release and namespace wired)."
    return run


for _cmd in ("template", "install", "upgrade"):
    app.command(_cmd, context_settings=PASSTHROUGH)(_wrapper(_cmd))


@app.command("install-postrenderer")
def install_postrenderer(force: bool = typer.Option(
        False, "--force", help="install even though a Helm 3 on PATH reads the same plugin directory")) -> None:
    """(Helm 4) register the bundled `vnp-postrender` plugin so `--post-renderer vnp-postrender` works."""
    from helm_vnp.commands.plugin import install_postrenderer as run

    raise typer.Exit(run(force))


@app.command("postrender-path")
def postrender_path() -> None:
    """(Helm 3) print the post-renderer executable: --post-renderer "$(helm vnp postrender-path)"."""
    from helm_vnp.commands.plugin import postrender_path as run

    raise typer.Exit(run())


app.command("lint")(lint.lint)
app.command("lint-paths")(lint_paths.lint_paths)


@app.command("discover")
def discover(namespace: str = typer.Option(None, "-n", "--namespace",
                                           help="the release namespace (default: $HELM_NAMESPACE, else default)"),
             context: str = typer.Option(None, "--kube-context", help="kubeconfig context to read"),
             kubectl: str = typer.Option(None, "--kubectl",
                                         help="kubectl binary (default: $KUBECTL, else kubectl on PATH)")) -> None:
    """Read the current cluster (read-only, via kubectl) and print its settings as a commented values snippet."""
    from helm_vnp.commands.discover import discover as run

    run(namespace, context, kubectl)
app.command("graph")(graph.graph)
app.command("explain")(graph.explain)
app.command("diff")(diff.diff)
app.command("docs")(docs.docs)


def _terminated(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: --output temp files are removed on the way out


def main() -> None:
    import signal

    from helm_vnp.base import stdio

    stdio.guard()  # closed standard streams: /dev/null on the descriptor, a stream that fails where it must
    signal.signal(signal.SIGTERM, _terminated)
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a value must not kill the output
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    try:
        try:
            app(prog_name="helm vnp" if os.environ.get("HELM_PLUGIN_NAME") == "vnp" else "helm-vnp")
        except SystemExit as exit_:
            if exit_.code == 130:  # Ctrl-C (Typer's code for it), perhaps while blocked writing: stop here
                stdio.reader_left()
                sys.stderr.write("interrupted\n")
            else:
                sys.stdout.flush()  # here, not at interpreter exit: a reader that left is seen below
            raise
    except KeyboardInterrupt:
        stdio.reader_left()
        sys.exit(130)
    except (stdio.ReaderLeft, BrokenPipeError):  # `helm vnp lint ... | head`: the reader left; say nothing more
        sys.exit(stdio.reader_left())
    except OSError as exc:  # stdout on a full disk, closed, a closed terminal...
        _fail(f"error: cannot write the output: {exc.strerror or exc}")
    except (RecursionError, MemoryError, ValueError) as exc:
        from helm_vnp.base.errors import input_failure
        message = input_failure(exc)
        if message is None:
            raise
        _fail(message)


def _fail(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    os._exit(2)
