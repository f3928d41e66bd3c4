"""The one model of a rendered stream that post-render, lint and graph share.

``split`` cuts the bytes into ``Document`` segments without parsing them;
a document's head (kind, name, namespace, ...) is read by a line scanner and
its full body is parsed only when somebody asks (``Document.obj``), so the
post-renderer never parses what it does not touch.

- ``split``:         cut a stream into ``Document`` segments at ``---``/``...`` lines, byte-exact
- ``document``:      ``Document``: one segment; head read lazily by a line scanner, body parsed on demand
- ``scalars``:       one-line YAML scalars and keys; ``ASK_PARSER``, the answer of a fast reader that cannot say
- ``block_lines``:   line-level reader of block mappings, for ``Document``'s metadata and ``plan_by_lines``
- ``indent_search``: a child key found by its indentation with ``bytes.find``, for ``plan_by_indent`` and ``crd``
- ``crd``:           the scope-relevant fields of a CustomResourceDefinition, without parsing its schema
- ``labelling/``:    the release label on every pod template, as a text edit (one module per planner)
"""
from helm_vnp.stream.document import Document
from helm_vnp.stream.split import split

__all__ = ["Document", "split"]
