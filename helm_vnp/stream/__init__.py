"""The one model of a rendered stream that post-render, lint and graph share.

``split`` cuts the bytes into ``Document`` segments without parsing them;
a document's head (kind, name, namespace, ...) is read by a line scanner and
its full body is parsed only when somebody asks (``Document.obj``), so the
post-renderer never parses what it does not touch.
"""
from helm_vnp.stream.document import Document
from helm_vnp.stream.split import split

__all__ = ["Document", "split"]
