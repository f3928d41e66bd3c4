"""The documentation site: docs/ built by MkDocs (mkdocs.yml) with --strict, as `make docs-site` builds it.

A warning (a broken link, a page missing from the nav, an anchor that does not exist) fails the build. The nav's
Recipes and Lint rules sections list the pages present (tools/mkdocs_hooks.py), checked here on a copy of docs/
with a page added, and a broken link on such a copy must fail: the strict build is what fails, not this file."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"


def build(tmp_path: Path, config: Path = REPO / "mkdocs.yml") -> tuple[subprocess.CompletedProcess, Path]:
    if not MKDOCS.exists():
        pytest.fail(f"{MKDOCS} missing: the `test` extra installs MkDocs (make venv)")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
                          capture_output=True, text=True, env=env, timeout=300)
    return proc, site


def copy_of_docs(tmp_path: Path) -> Path:
    """mkdocs.yml and docs/ copied, with the hooks file named by its absolute path, the rest of the repository
    linked (pages link to its files)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "docs", root / "docs")
    for entry in REPO.iterdir():
        if entry.name not in ("docs", "mkdocs.yml", "site"):
            (root / entry.name).symlink_to(entry)
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("  - tools/mkdocs_hooks.py", f"  - {REPO / 'tools' / 'mkdocs_hooks.py'}")
    (root / "mkdocs.yml").write_text(text)
    return root


def test_the_site_builds_without_warnings(tmp_path):
    proc, site = build(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not re.search(r"^(WARNING|ERROR)", proc.stderr, re.M), proc.stderr
    for page in ["index.html", "quick-start/index.html", "concepts/index.html", "config/index.html",
                 "migration/index.html", "limitations/index.html", "recipes/index.html", "rules/index.html",
                 "connectivity/index.html", "hardening/index.html", "services-and-projects/index.html",
                 "examples/index.html", "rules/quota.fit/index.html"]:
        assert (site / page).is_file(), page
    # every rule page is in the nav (the hook), and so is reachable from every page's navigation
    index = (site / "index.html").read_text()
    for rule in (REPO / "docs" / "rules").glob("*.md"):
        if rule.stem != "README":
            assert f"rules/{rule.stem}/" in index, rule.name
    # a link to a file outside docs/ goes to the repository on GitHub
    examples = (site / "examples" / "index.html").read_text()
    assert 'href="https://github.com/helm-vnp/helm-vnp/tree/main/examples/seed-000"' in examples


def test_a_new_recipe_page_joins_the_nav_and_the_recipes_index(tmp_path):
    root = copy_of_docs(tmp_path)
    (root / "docs" / "recipes" / "zz-example.md").write_text("# A recipe written later\n\nText.\n")
    proc, site = build(tmp_path, root / "mkdocs.yml")
    assert proc.returncode == 0, proc.stderr
    assert "A recipe written later" in (site / "recipes" / "index.html").read_text()
    assert 'href="zz-example/"' in (site / "recipes" / "index.html").read_text()
    assert "recipes/zz-example/" in (site / "index.html").read_text()


@pytest.mark.parametrize("page, text", [
    ("concepts.md", "\nSee [a page that does not exist](nowhere.md).\n"),
    ("concepts.md", "\nSee [a repository file that does not exist](../examples/no-such-example/).\n"),
    ("concepts.md", "\nSee [an anchor that does not exist](config.md#no-such-anchor).\n"),
])
def test_a_broken_link_fails_the_build(tmp_path, page, text):
    root = copy_of_docs(tmp_path)
    with (root / "docs" / page).open("a") as f:
        f.write(text)
    proc, _ = build(tmp_path, root / "mkdocs.yml")
    assert proc.returncode != 0 and "WARNING" in proc.stderr, proc.stderr


def test_a_page_left_out_of_the_nav_fails_the_build(tmp_path):
    root = copy_of_docs(tmp_path)
    (root / "docs" / "orphan.md").write_text("# Orphan\n")
    proc, _ = build(tmp_path, root / "mkdocs.yml")
    assert proc.returncode != 0 and "orphan.md" in proc.stderr, proc.stderr


def test_the_docs_extra_and_the_test_extra_pin_the_same_mkdocs():
    text = (REPO / "pyproject.toml").read_text()
    docs = re.search(r"^docs = \[(.*)\]$", text, re.M).group(1)
    pins = re.findall(r'"([^"]+==[^"]+)"', docs)
    assert pins and all(f'"{pin}"' in text.split("\nfuzz =")[0] for pin in pins), pins


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_from_the_docs_to_readme_anchors_exist():
    """The site sends links to files outside docs/ to GitHub, where MkDocs cannot check their anchors: this does."""
    readme = (REPO / "README.md").read_text()
    anchors = {github_slug(h) for h in re.findall(r"^#+ (.+)$", readme, re.M)}
    links = [(page, anchor) for page in (REPO / "docs").rglob("*.md")
             for anchor in re.findall(r"\]\((?:\.\./)+README\.md#([^)]+)\)", page.read_text())]
    assert links
    assert [(str(p.relative_to(REPO)), a) for p, a in links if a not in anchors] == []
