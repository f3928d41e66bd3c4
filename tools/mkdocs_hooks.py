"""MkDocs hooks for the documentation site (mkdocs.yml names this file).

- The nav sections "Recipes" and "Lint rules" list every page present in docs/recipes/ and docs/rules/, so a new
  recipe or rule page needs no edit of mkdocs.yml (with ``validation.omitted_files: warn`` and ``--strict``, a page
  left out of the nav fails the build).
- ``<!-- recipes -->`` in docs/recipes/index.md becomes a list of the recipe pages present, with their titles.
- A relative link from a page to a file of the repository outside docs/ (``../examples/seed-000/``) becomes a link
  to that file on GitHub, so the same Markdown works on GitHub and on the site; a link to a file that does not
  exist is left alone, and MkDocs' strict build fails on it.
"""
from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

REPO_URL = "https://github.com/helm-vnp/helm-vnp"
# nav section title -> folder under docs/; first the pages in this order, then the others by name
SECTIONS = {"Recipes": "recipes", "Lint rules": "rules"}
ORDER = {
    "recipes": ["index", "install", "editors", "shell", "github-actions", "gitlab-ci", "pre-commit",
                "argocd", "helmfile", "flux"],
    "rules": ["README"],
}
RECIPES_MARKER = "<!-- recipes -->"
_LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)([^)\s]+)\)")


def _pages(docs: Path, folder: str) -> list[str]:
    names = sorted(p.stem for p in (docs / folder).glob("*.md"))
    first = [n for n in ORDER.get(folder, []) if n in names]
    return [f"{folder}/{n}.md" for n in first + [n for n in names if n not in first]]


def title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def on_config(config, **kwargs):
    docs = Path(config["docs_dir"])
    for entry in config["nav"] or []:
        if not isinstance(entry, dict):
            continue
        for title, items in entry.items():
            folder = SECTIONS.get(title)
            if folder is None:
                continue
            items = list(items) if isinstance(items, list) else [items]
            listed = {i if isinstance(i, str) else next(iter(i.values())) for i in items}
            # titled here: MkDocs titles a page it has not rendered yet after its file name
            pages = [{title_of(docs / p): p} for p in _pages(docs, folder) if p not in listed]
            entry[title] = items + pages
    return config


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    docs = Path(os.path.abspath(config["docs_dir"]))
    src = page.file.src_uri
    if src == "recipes/index.md" and RECIPES_MARKER in markdown:
        lines = [f"- [{title_of(docs / p)}]({posixpath.basename(p)})"
                 for p in _pages(docs, "recipes") if p != "recipes/index.md"]
        markdown = markdown.replace(RECIPES_MARKER, "\n".join(lines) or "(no recipe pages yet)")
    repo = docs.parent

    def outside(match: re.Match) -> str:
        target = match.group(1)
        path, _, fragment = target.partition("#")
        resolved = Path(os.path.normpath(docs / posixpath.dirname(src) / path))
        if resolved == docs or docs in resolved.parents or repo not in resolved.parents or not resolved.exists():
            return match.group(0)
        kind = "tree" if resolved.is_dir() else "blob"
        url = f"{REPO_URL}/{kind}/main/{resolved.relative_to(repo).as_posix()}" + (f"#{fragment}" if fragment else "")
        return f"]({url})"

    return _LINK.sub(outside, markdown)
