"""Thin command fronts that live nowhere else: the helm wrappers (template/install/upgrade), the
plugin set-up commands, `discover` and `completion`.  Imported only when one of them runs (or for the
full command list: help and shell completion)."""
from __future__ import annotations

import sys

import typer

SHELLS = ("bash", "zsh", "fish")


def wrapper(command: str, examples: str):
    def run(ctx: typer.Context) -> None:
        from helm_vnp.base.errors import VnpError
        from helm_vnp.commands.helm_wrap import run_wrapped

        if ctx.args[:1] in (["-h"], ["--help"]):
            sys.stdout.write(f"usage: helm vnp {command} RELEASE CHART [any helm {command} flags]\n\n"
                             f"Runs `helm {command}` with the vnp post-renderer attached; -f/--set/-n and the "
                             f"release name are passed to it too.\n\n{examples}")
            raise typer.Exit()
        try:
            code = run_wrapped(command, list(ctx.args))
        except VnpError as exc:
            sys.stderr.write(exc.render() + "\n")
            raise typer.Exit(2)
        raise typer.Exit(code)
    run.__doc__ = f"`helm {command}` with the vnp post-renderer attached (values, release and namespace wired)."
    return run


def install_postrenderer(force: bool = typer.Option(
        False, "--force", help="install even though a Helm 3 on PATH reads the same plugin directory")) -> None:
    """(Helm 4) register the bundled `vnp-postrender` plugin so `--post-renderer vnp-postrender` works."""
    from helm_vnp.commands.plugin import install_postrenderer as run

    raise typer.Exit(run(force))


def postrender_path() -> None:
    """(Helm 3) print the post-renderer executable: --post-renderer "$(helm vnp postrender-path)"."""
    from helm_vnp.commands.plugin import postrender_path as run

    raise typer.Exit(run())


def discover(namespace: str = typer.Option(None, "-n", "--namespace",
                                           help="the release namespace (default: $HELM_NAMESPACE, else default)"),
             context: str = typer.Option(None, "--kube-context", help="kubeconfig context to read"),
             kubectl: str = typer.Option(None, "--kubectl",
                                         help="kubectl binary (default: $KUBECTL, else kubectl on PATH)")) -> None:
    """Read the current cluster (read-only, via kubectl) and print its settings as a commented values snippet."""
    from helm_vnp.commands.discover import discover as run

    run(namespace, context, kubectl)


def completion(shell: str = typer.Argument(
        ..., help="bash, zsh or fish", metavar="SHELL",
        autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)])) -> None:
    """Print the shell completion script for `helm-vnp` (bash, zsh or fish)."""
    if shell not in SHELLS:
        sys.stderr.write(f"error: completion: unknown shell {shell!r} (expected {', '.join(SHELLS)})\n")
        raise typer.Exit(2)
    from typer.completion import get_completion_script

    sys.stdout.write(get_completion_script(prog_name="helm-vnp", complete_var="_HELM_VNP_COMPLETE", shell=shell)
                     .rstrip("\n") + "\n")
