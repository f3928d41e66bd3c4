"""Post-render in process with a values file's ``policies:``; read the output as Kubernetes decodes it."""
from __future__ import annotations

from ruamel.yaml import YAML

from helm_vnp.config import ValuesInput, load_config
from helm_vnp.release.pipeline import post_render


def policies(tmp_path, values: str) -> dict:
    path = tmp_path / "values.yaml"
    path.write_text(values)
    return load_config(ValuesInput([str(path)]), use_cache=False).policies


def render(tmp_path, stream: str, values: str, hooks_unseen: bool = False, namespace: str = "team"):
    return post_render(stream.encode(), policies(tmp_path, values), "r", namespace, hooks_unseen=hooks_unseen)


def objects(data: bytes) -> list[dict]:
    return [d for d in YAML(typ="safe").load_all(data.decode()) if isinstance(d, dict)]


def chart_output(result) -> bytes:
    """The chart's documents as written out (vnp's generated objects left off)."""
    return b"".join(d.raw for d in result.docs)
