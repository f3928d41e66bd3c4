"""The `helm-vnp` / `helm vnp` command line: one small function per command.

Start-up is kept near the bare interpreter's: ``main`` answers ``--version`` itself, the post-renderer
(``post-render``) is called without Typer, and the Typer app is built with only the command being run (its
module alone imported); help and shell completion build the whole app.  Commands live in
``helm_vnp.commands``; heavy imports happen inside them.
"""
from __future__ import annotations

import os
import sys

from helm_vnp import __version__

HELP = ("vCluster-grade isolation for any Helm release: NetworkPolicies, ResourceQuota, LimitRange and "
        "Pod Security, injected by a post-renderer and checked by a linter.")
COMPLETE_VAR = "_HELM_VNP_COMPLETE"

# name -> (module under helm_vnp.commands, function or wrapped helm command, passthrough arguments)
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "generate": ("config_cmds", "generate", False),
    "validate": ("config_cmds", "validate", False),
    "schema": ("config_cmds", "schema", False),
    "post-render": ("", "post_render", True),
    "template": ("misc_cmds", "template", True),
    "install": ("misc_cmds", "install", True),
    "upgrade": ("misc_cmds", "upgrade", True),
    "install-postrenderer": ("misc_cmds", "install_postrenderer", False),
    "postrender-path": ("misc_cmds", "postrender_path", False),
    "lint": ("lint", "lint", False),
    "lint-paths": ("lint_paths", "lint_paths", False),
    "discover": ("misc_cmds", "discover", False),
    "graph": ("graph", "graph", False),
    "explain": ("graph", "explain", False),
    "diff": ("diff", "diff", False),
    "docs": ("docs", "docs", False),
    "completion": ("misc_cmds", "completion", False),
}

EXAMPLES: dict[str, list[str]] = {
    "generate": ["helm vnp generate --release web -n shop -f values.yaml",
                 "helm vnp generate --release web --set policies.networkPolicy.enabled=true > vnp-objects.yaml"],
    "validate": ["helm vnp validate -f values.yaml", "helm vnp validate -f values.yaml -f prod.yaml --set a.b=c",
                 "cat values.yaml | helm vnp validate -f -"],
    "schema": ["helm vnp schema > vnp.schema.json",
               "# then in a values file: # yaml-language-server: $schema=./vnp.schema.json"],
    "post-render": ["helm template web ./chart | helm vnp post-render --release web -n shop -f values.yaml"],
    "template": ["helm vnp template web ./chart -n shop -f values.yaml"],
    "install": ["helm vnp install web ./chart -n shop --create-namespace -f values.yaml"],
    "upgrade": ["helm vnp upgrade web ./chart -n shop -f values.yaml --install"],
    "install-postrenderer": ["helm vnp install-postrenderer",
                             "helm install web ./chart --post-renderer vnp-postrender"],
    "postrender-path": ['helm install web ./chart --post-renderer "$(helm vnp postrender-path)"'],
    "lint": ["helm vnp lint ./chart -f values.yaml", "helm vnp lint charts/*            # several charts, in parallel",
             "helm vnp lint --rendered manifests.yaml --format sarif -o vnp.sarif",
             "helm template web ./chart | helm vnp lint --rendered -", "helm vnp lint ./chart -v   # timings too"],
    "lint-paths": ["helm vnp lint-paths charts/web/templates/deploy.yaml charts/db/values.yaml   # each chart once",
                   "helm vnp lint-paths --sarif vnp.sarif --format github $(git diff --name-only main)"],
    "discover": ["helm vnp discover -n shop >> values.yaml"],
    "graph": ["helm vnp graph ./chart -f values.yaml",
              "helm vnp graph --rendered out.yaml --format html -o graph.html"],
    "explain": ["helm vnp explain ./chart shop/web shop/db -f values.yaml",
                "helm vnp explain --rendered out.yaml web 10.0.0.1"],
    "diff": ["helm vnp diff ./chart-v1 ./chart-v2 -f values.yaml",
             "helm vnp diff old.yaml new.yaml --fail-on-widen"],
    "docs": ["helm vnp docs --check", "helm vnp docs --write"],
    "completion": ["helm-vnp completion bash > ~/.local/share/bash-completion/completions/helm-vnp",
                   "helm-vnp completion zsh > \"${fpath[1]}/_helm-vnp\"",
                   "helm-vnp completion fish > ~/.config/fish/completions/helm-vnp.fish"],
}


PASSTHROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


def _post_render(ctx) -> None:
    """The post-renderer (same as `vnp-postrender`): stream on stdin, stream with isolation on stdout."""
    from helm_vnp.postrender import main as postrender_main

    raise SystemExit(postrender_main(list(ctx.args)))


def examples(name: str) -> str:
    """The examples block of a command's help (``\\b``: Click keeps its lines as they are)."""
    return "\b\nExamples:\n" + "".join(f"  {line}\n" for line in EXAMPLES[name])


def build_app(only: str | None = None):
    """The Typer app: every command, or only ``only`` (what one run needs: its module alone is imported)."""
    import importlib

    import typer

    if COMPLETE_VAR in os.environ:  # Typer's completion classes answer in the form its scripts read
        from typer.completion import completion_init
        completion_init()
    app = typer.Typer(name="helm-vnp", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                      pretty_exceptions_enable=False, help=HELP,
                      context_settings={"help_option_names": ["-h", "--help"]},
                      epilog="Run `helm-vnp COMMAND --help` for a command's flags and examples.")

    def _version(value: bool) -> None:
        if value:
            sys.stdout.write(f"helm-vnp {__version__}\n")
            raise typer.Exit()

    @app.callback()
    def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                           help="print the version")) -> None:
        """helm-vnp."""

    for name, (module, attr, passthrough) in COMMANDS.items():
        if only is not None and name != only:
            continue
        if not module:  # post-render: typer parses nothing (main calls the post-renderer itself; this is for help)
            func = _post_render
            func.__annotations__ = {"ctx": typer.Context, "return": None}
        else:
            mod = importlib.import_module(f"helm_vnp.commands.{module}")
            if attr in ("template", "install", "upgrade"):
                func = mod.wrapper(attr, examples(name).replace("\b\n", ""))
            else:
                func = getattr(mod, attr)
        settings = PASSTHROUGH if passthrough else None
        app.command(name, context_settings=settings, epilog=examples(name))(func)
    return app


def _terminated(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: --output temp files are removed on the way out


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:  # before anything else: no Typer, no Click
        sys.stdout.write(f"helm-vnp {__version__}\n")
        sys.stdout.flush()
        return
    import signal

    from helm_vnp.base import stdio

    stdio.guard()  # closed standard streams: /dev/null on the descriptor, a stream that fails where it must
    signal.signal(signal.SIGTERM, _terminated)
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a value must not kill the output
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    completing = COMPLETE_VAR in os.environ
    try:
        try:
            if argv[:1] == ["post-render"] and not completing:  # the post-renderer parses its own flags
                from helm_vnp.postrender import main as postrender_main
                sys.exit(postrender_main(argv[1:]))
            if argv[:1] == ["validate"] and not completing:  # plain flags: no Typer (start-up, see benchmarks)
                from helm_vnp.commands.values_flags import plain_validate_flags, validate_values
                plain = plain_validate_flags(argv[1:])
                if plain is not None:
                    sys.exit(validate_values(*plain[0], verbose=plain[1]))
            if argv[:1] == ["lint"] and not completing:  # plain flags: no Typer either
                from helm_vnp.commands.lint_run import plain_lint_flags, run_lint_command
                keywords = plain_lint_flags(argv[1:])
                if keywords is not None:
                    sys.exit(run_lint_command(**keywords))
            only = argv[0] if argv and argv[0] in COMMANDS and not completing else None
            build_app(only)(prog_name="helm vnp" if os.environ.get("HELM_PLUGIN_NAME") == "vnp" else "helm-vnp",
                            complete_var=COMPLETE_VAR)
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


def __getattr__(name: str):
    """``helm_vnp.cli.app``: the whole Typer app, built on first use (tests drive it with Typer's CliRunner)."""
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
