"""docs/config.md, generated from schema/vnp.schema.json (one source for editors and readers).

Regenerate with ``python -m helm_vnp.config.docs > docs/config.md``; a test checks it is current.
"""
from __future__ import annotations

import json

from helm_vnp.config.paths import join
from helm_vnp.config.schemafile import schema

# Kubernetes-shaped definitions documented once, in their own section, not inline.
SHARED = ["NetworkPolicyEgressRule", "NetworkPolicyIngressRule", "NetworkPolicyPeer", "NetworkPolicyPort",
          "IPBlock", "ExtraIpBlock", "LabelSelector", "LabelSelectorRequirement"]


def _ref_name(node: dict) -> str | None:
    ref = node.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else None


def _resolve(node: dict) -> dict:
    name = _ref_name(node)
    if not name:
        return node
    merged = dict(schema()["$defs"][name])
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def _type(node: dict) -> str:
    name = _ref_name(node)
    if name in SHARED:
        return f"[{name}](#{name.lower()})"
    node = _resolve(node)
    if "enum" in node:
        return " | ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    if "anyOf" in node:
        return " | ".join(_type(x) for x in node["anyOf"])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    t = node.get("type")
    if t == "array":
        return "list of " + _type(node.get("items", {}))
    if t == "object" and "properties" not in node:
        inner = node.get("additionalProperties")
        return "map of " + _type(inner) if isinstance(inner, dict) else "object"
    if isinstance(t, list):
        return " | ".join(t)
    return t or "any"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(node: dict, path: list) -> list[str]:
    rows = []
    for key, child in node.get("properties", {}).items():
        full = path + [key]
        resolved = _resolve(child)
        default = f"`{json.dumps(child['default'])}`" if "default" in child else ""
        rows.append(f"| `{join(full)}` | {_cell(_type(child))} | {_cell(default)} | "
                    f"{_cell(child.get('description') or resolved.get('description', ''))} |")
        if _ref_name(child) not in SHARED and resolved.get("type") == "object" and "properties" in resolved:
            rows += _rows(resolved, full)
        items = resolved.get("items") if resolved.get("type") == "array" else None
        if isinstance(items, dict) and _ref_name(items) not in SHARED and "properties" in _resolve(items):
            rows += [row.replace("[0]", "[]", 1) for row in _rows(_resolve(items), full + [0])]  # each item's fields
    return rows


HEADER = "| Key | Type | Default | Description |\n|---|---|---|---|"


def render_markdown() -> str:
    """The configuration reference as Markdown."""
    root = schema()
    out = ["<!-- Generated from schema/vnp.schema.json by helm_vnp.config.docs; do not edit. -->",
           "# helm-vnp configuration reference", "", root["description"], "",
           "Values come from `-f` files and `--set`/`--set-string`/`--set-json`, combined as Helm does "
           "(later files win, maps merge, lists are replaced, `--set` wins over files). "
           "A `null` removes a key together with its default, as with a chart's values.yaml.", ""]
    for top in ("policies", "mapServices", "isolation"):
        out += [f"## `{top}`", "", _resolve(root["properties"][top])["description"], "", HEADER]
        out += _rows(_resolve(root["properties"][top]), [top])
        out.append("")
    out += ["## Kubernetes shapes", ""]
    for name in SHARED:
        node = root["$defs"][name]
        out += [f"### {name}", "", node.get("description", ""), "", HEADER]
        out += _rows(node, [])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
