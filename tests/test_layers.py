"""The package's layers, checked from the code's own imports (lazy imports inside functions included).

A module may import its own package and packages of lower layers, never a higher layer or a sibling
package of its own layer; no import cycle between modules; no private name (``_x``) imported from
another module; every package says in its docstring what it holds.  The README's design section
lists exactly these packages.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "helm_vnp"

# lowest first; "helm_vnp" is the root package itself (its version), the last layer the entry points
LAYERS: list[tuple[str, ...]] = [
    ("helm_vnp", "base"),  # errors, names, YAML in and out: no Kubernetes or Helm knowledge
    ("k8s", "helm"),  # pure Kubernetes semantics; the Helm client
    ("config",),  # values files and flags -> validated policies
    ("stream",),  # the rendered stream: documents, heads, the label edit
    ("generate",),  # what vnp injects
    ("release",),  # the release model, and the post-render that produces it
    ("connectivity",),  # who can talk to whom, exactly: the engine graph, explain, diff and lint share
    ("rules", "graph"),  # what we report; who can talk to whom
    ("lint", "report"),  # the lint driver; report formats
    ("commands",),  # the CLI commands
    ("postrender",),  # the entry Helm calls (light: post-rendering only)
    ("cli",),  # the `helm vnp` command line
    ("__main__",),  # python -m helm_vnp
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _unit(module: str) -> str:
    """The layer unit a module belongs to: its top-level package or module under helm_vnp."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "helm_vnp"


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every helm_vnp import in ``module``."""
    tree = ast.parse(MODULES[module].read_text())
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("helm_vnp")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if not base.startswith("helm_vnp"):
                continue
            for a in node.names:
                target = f"{base}.{a.name}"
                out.append((target, None, node.lineno) if target in MODULES else (base, a.name, node.lineno))
    return out


def test_every_package_has_a_layer_and_a_docstring():
    units = {_unit(m) for m in MODULES}
    assert units <= set(LAYER_OF), f"place these in LAYERS: {sorted(units - set(LAYER_OF))}"
    for module, path in MODULES.items():
        if path.name == "__init__.py":
            assert ast.get_docstring(ast.parse(path.read_text())), f"{module} has no package docstring"


def test_imports_point_down_the_layers():
    wrong = []
    for module in MODULES:
        mine = _unit(module)
        for target, _name, line in _imports(module):
            theirs = _unit(target)
            if theirs != mine and LAYER_OF[theirs] >= LAYER_OF[mine]:
                wrong.append(f"{MODULES[module].relative_to(REPO)}:{line}: {module} ({mine}, layer "
                             f"{LAYER_OF[mine]}) imports {target} ({theirs}, layer {LAYER_OF[theirs]})")
    assert not wrong, "imports that do not point down:\n" + "\n".join(wrong)


def test_no_private_name_crosses_a_module():
    wrong = []
    for module in MODULES:
        for target, name, line in _imports(module):
            private_module = any(p.startswith("_") and not p.startswith("__") for p in target.split(".")[1:])
            if (name and name.startswith("_") and not name.startswith("__") and target != module) or \
                    (private_module and not module.startswith(target.rsplit(".", 1)[0])):
                wrong.append(f"{MODULES[module].relative_to(REPO)}:{line}: {module} imports "
                             f"{target}{'.' + name if name else ''}")
    assert not wrong, "private names used outside their module:\n" + "\n".join(wrong)


def test_no_import_cycle():
    graph = {m: sorted({t for t, _n, _l in _imports(m) if t in MODULES and t != m}) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    assert not cycles, f"import cycles: {cycles}"


def test_the_readme_design_section_lists_the_packages():
    readme = (REPO / "README.md").read_text()
    design = readme.split("## Design", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^  (\w+)/", design, re.M)) | set(re.findall(r"^  (\w+)\.py", design, re.M))
    real = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    real |= {p.stem for p in ROOT.glob("*.py") if not p.stem.startswith("__")}
    assert listed == real, f"README design section: missing {sorted(real - listed)}, stale {sorted(listed - real)}"
