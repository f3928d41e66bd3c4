"""`helm-vnp docs`: regenerate docs/rules/ from the rules' own docstrings."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

_CHECKOUT = Path(__file__).resolve().parents[2]
# the repository's docs/rules, in a checkout only: an installed package (pipx, a wheel) has no docs/ beside it,
# and --write must not create one inside site-packages
DEFAULT_DIR = _CHECKOUT / "docs" / "rules" if (_CHECKOUT / "pyproject.toml").is_file() else None


def docs(
    write: bool = typer.Option(False, "--write", help="write docs/rules/ (one page per rule and an index)"),
    check: bool = typer.Option(False, "--check", help="exit 1 if docs/rules/ is not up to date"),
    directory: Optional[Path] = typer.Option(None, "--dir", help="where the pages go (default: the repo's docs/rules)"),
) -> None:
    """Generate the rule documentation (docs/rules/<rule-id>.md and README.md) from the code."""
    from helm_vnp.report.ruledocs import pages
    from helm_vnp.rules.registry import all_rules

    wanted = pages(all_rules())
    if not write and not check:
        sys.stdout.write(wanted["README.md"])
        raise typer.Exit(0)
    target = directory or DEFAULT_DIR
    if target is None:
        sys.stderr.write("helm-vnp docs: --write and --check need --dir DIRECTORY outside a helm-vnp checkout "
                         "(this helm-vnp is an installed package: it has no docs/rules of its own)\n")
        raise typer.Exit(2)
    stale = sorted(n for n, text in wanted.items() if _read(target / n) != text)
    extra = sorted(p.name for p in target.glob("*.md") if p.name not in wanted) if target.is_dir() else []
    if write:
        target.mkdir(parents=True, exist_ok=True)
        for name in stale:
            (target / name).write_text(wanted[name], encoding="utf-8")
        for name in extra:
            (target / name).unlink()
        sys.stdout.write(f"{len(stale)} page(s) written, {len(extra)} removed in {target}\n")
        raise typer.Exit(0)
    if check:
        for name in stale:
            sys.stdout.write(f"out of date: {target / name}\n")
        for name in extra:
            sys.stdout.write(f"no such rule any more: {target / name}\n")
        if stale or extra:
            sys.stdout.write("run `helm-vnp docs --write`\n")
    raise typer.Exit(1 if stale or extra else 0)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
