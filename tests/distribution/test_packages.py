"""The wheel and the sdist (issue 18): one version everywhere, the right files in each, and each installed with
pipx into a clean environment works (`helm-vnp`, `vnp-postrender`, `python -m helm_vnp`, the shipped schema).
"""
from __future__ import annotations

import ast
import json
import re
import tarfile
import zipfile

import pytest
from ruamel.yaml import YAML

from helm_vnp import __version__
from tests.distribution.conftest import run
from tests.e2e.helmkit import REPO

VALUES = REPO / "tests" / "e2e" / "values-hooks.yaml"
STREAM = b"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
"""


# --- one version ---

def _init_version() -> str:
    tree = ast.parse((REPO / "helm_vnp" / "__init__.py").read_text())
    values = [n.value.value for n in tree.body if isinstance(n, ast.Assign)
              and any(getattr(t, "id", None) == "__version__" for t in n.targets)]
    assert len(values) == 1, "helm_vnp/__init__.py must assign __version__ once, to a literal"
    return values[0]


def test_the_version_has_one_source_and_plugin_yaml_agrees():
    """pyproject takes it from helm_vnp.__version__ (dynamic); Helm reads plugin.yaml statically, so both
    plugin files must say the same, and Helm wants strict semver."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        pytest.skip("tomllib is Python 3.11+")
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "helm_vnp.__version__"}
    version = _init_version()
    assert version == __version__
    assert re.fullmatch(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", version)
    for rel in ("plugin.yaml", "vnp-postrender/plugin.yaml"):
        doc = YAML(typ="safe").load((REPO / rel).read_text())
        assert str(doc["version"]) == version, f"{rel} says version {doc['version']}, helm_vnp says {version}"


def test_project_urls_name_the_canonical_repository():
    text = (REPO / "pyproject.toml").read_text()
    assert "https://github.com/helm-vnp/helm-vnp" in text
    for path in ("README.md", "pyproject.toml", "schema/vnp.schema.json", "docs/recipes/install.md",
                 "docs/recipes/editors.md"):
        assert "<org>" not in (REPO / path).read_text(), f"{path} still has an <org> placeholder"


# --- what is in the wheel and the sdist ---

PACKAGE_DATA = ["helm_vnp/config/vnp.schema.json", "helm_vnp/connectivity/page.css",
                "helm_vnp/connectivity/page.html", "helm_vnp/connectivity/page.js",
                "helm_vnp/connectivity/schemas/graph.schema.json",
                "helm_vnp/connectivity/schemas/explain.schema.json",
                "helm_vnp/connectivity/schemas/diff.schema.json"]


def test_the_wheel_carries_the_package_data_and_nothing_else(dist):
    assert dist.wheel.name == f"helm_vnp-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dist.wheel) as whl:
        names = set(whl.namelist())
        for rel in PACKAGE_DATA:
            assert rel in names, rel
            assert whl.read(rel) == (REPO / rel).read_bytes(), f"{rel} differs from the repository's"
        entry_points = whl.read(f"helm_vnp-{__version__}.dist-info/entry_points.txt").decode()
        metadata = whl.read(f"helm_vnp-{__version__}.dist-info/METADATA").decode()
    assert {n.split("/")[0] for n in names} == {"helm_vnp", f"helm_vnp-{__version__}.dist-info"}
    assert "helm-vnp = helm_vnp.cli:main" in entry_points
    assert "vnp-postrender = helm_vnp.postrender:main" in entry_points
    assert "Project-URL: Source, https://github.com/helm-vnp/helm-vnp" in metadata
    assert "License-Expression: Apache-2.0" in metadata
    assert "License-File: LICENSE" in metadata
    license_file = f"helm_vnp-{__version__}.dist-info/licenses/LICENSE"
    assert license_file in names and (REPO / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert dist.wheel.stat().st_size < 2_000_000


def test_the_sdist_holds_what_a_build_needs_and_nothing_huge(dist):
    root = f"helm_vnp-{__version__}"
    assert dist.sdist.name == f"{root}.tar.gz"
    with tarfile.open(dist.sdist) as tar:
        members = {m.name[len(root) + 1:]: m for m in tar.getmembers() if m.name.startswith(root + "/")}
        schema = tar.extractfile(f"{root}/helm_vnp/config/vnp.schema.json").read()
    for rel in [*PACKAGE_DATA, "pyproject.toml", "README.md", "LICENSE", "schema/vnp.schema.json", "docs/config.md",
                "docs/rules/README.md"]:
        assert rel in members, rel
    assert members["helm_vnp/config/vnp.schema.json"].isfile()  # the link is a real file in the sdist
    assert schema == (REPO / "schema" / "vnp.schema.json").read_bytes()
    assert not [n for n in members if n.startswith(("tests/", "benchmarks/", "fuzz/", "tools/", ".venv", ".tools",
                                                    "examples/", "testinfra/"))]
    assert not [n for n in members if "__pycache__" in n or n.endswith(".pyc")]
    assert dist.sdist.stat().st_size < 2_000_000


# --- installed with pipx into a clean environment ---

def _check_installed(pipx, *, full: bool) -> None:
    version = run([pipx.bin_dir / "helm-vnp", "--version"], env=pipx.env)
    assert version.stdout.decode() == f"helm-vnp {__version__}\n", version.stderr.decode()
    schema = run([pipx.bin_dir / "helm-vnp", "schema"], env=pipx.env).stdout
    assert json.loads(schema) == json.loads((REPO / "schema" / "vnp.schema.json").read_text())
    python = pipx.home / "venvs" / "helm-vnp" / "bin" / "python"
    assert run([python, "-m", "helm_vnp", "--version"], env=pipx.env).stdout.decode() == f"helm-vnp {__version__}\n"
    # the installed package, not this checkout
    where = run([python, "-I", "-c", "import helm_vnp, sys; sys.stdout.write(helm_vnp.__file__)"], env=pipx.env)
    assert str(pipx.home) in where.stdout.decode() and str(REPO) not in where.stdout.decode()
    if not full:
        return
    docs = run([pipx.bin_dir / "helm-vnp", "docs"], env=pipx.env).stdout.decode()
    assert docs == (REPO / "docs" / "rules" / "README.md").read_text()  # the rule index, from the installed rules
    refused = run([pipx.bin_dir / "helm-vnp", "docs", "--write"], env=pipx.env, check=False)
    assert refused.returncode == 2 and b"need --dir DIRECTORY outside a helm-vnp checkout" in refused.stderr
    assert not list(pipx.home.rglob("docs/rules"))  # nothing written into site-packages
    pages = pipx.home.parent / "rule-pages"
    run([pipx.bin_dir / "helm-vnp", "docs", "--write", "--dir", pages], env=pipx.env)
    assert sorted(p.name for p in pages.iterdir()) == sorted(p.name for p in (REPO / "docs" / "rules").iterdir())
    rendered = run([pipx.bin_dir / "vnp-postrender", "--release", "app", "-f", VALUES], env=pipx.env,
                   input=STREAM).stdout
    assert rendered.startswith(b"apiVersion: v1\nkind: ConfigMap\n")
    assert b"# Source: helm-vnp/generated.yaml" in rendered and b"kind: NetworkPolicy" in rendered
    assert b'"vnp.helm-plugin.io/release": "app"' in rendered
    assert run([pipx.bin_dir / "vnp-postrender", "--version"], env=pipx.env).stdout.decode() == \
        f"vnp-postrender {__version__}\n"
    valid = run([pipx.bin_dir / "helm-vnp", "validate", "-f", VALUES], env=pipx.env, check=False)
    assert valid.returncode == 0, valid.stderr.decode()


def test_the_wheel_installs_with_pipx_and_works(dist, pipx):
    pipx.run("install", dist.wheel)
    assert sorted(p.name for p in pipx.bin_dir.iterdir()) == ["helm-vnp", "vnp-postrender"]
    _check_installed(pipx, full=True)


def test_the_sdist_installs_with_pipx_and_works(dist, pipx):
    pipx.run("install", dist.sdist)
    _check_installed(pipx, full=False)
