"""From input bytes to the objects the linter examines, each knowing where it came from.

Every input (a file named on the command line, a file inside a directory, stdin
or a ``helm template`` render) is cut with ``helm_vnp.stream.split``; each
object gets its ``lint_source``: the input's file and the line where the object
starts, or, for a chart render, the template (``# Source:`` / Helm 4's
postrender-filename annotation) and the line the object would start at in that
template's output (1 + the lines of earlier objects from the same template).
``kind: List`` items become objects of their own, pointing at the List.
Documents that are not YAML become ``Invalid`` records (``stream.yaml`` findings) and drop out.
CustomResourceDefinition bodies (megabytes in real charts) are never parsed.
"""
from __future__ import annotations

from helm_vnp.base.errors import VnpError
from helm_vnp.base.record import field, record
from helm_vnp.release.chart_files import ChartFiles
from helm_vnp.release.model import Invalid, ObjectRef, Source
from helm_vnp.stream import Document, split

CRD_KIND = "CustomResourceDefinition"


@record
class Input:
    name: str  # the file as the user knows it ("-" input is "<stdin>")
    data: bytes
    chart: bool = False  # a `helm template` render: sources are the chart's templates
    chart_dir: str | None = None  # the local chart directory, as given (to find the template files)


@record
class Objects:
    docs: list[Document] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)  # documents nobody can read


def read_objects(inputs: list[Input], lists_may_hold_workloads: bool = False) -> Objects:
    """All objects of all inputs, in input order, with ``lint_source`` set.  ``lists_may_hold_workloads``:
    a ``kind: List`` of workloads is read, not refused (inputs that stand for a cluster, not a release)."""
    out = Objects()
    for item in inputs:
        data = item.data[3:] if item.data.startswith(b"\xef\xbb\xbf") else item.data
        if item.name.endswith(".json") and not item.chart:
            json_doc = _json_document(item.name, data)
            if json_doc is not None:
                _add(json_doc, out, lists_may_hold_workloads)
                continue
        template_lines: dict[str, int] = {}
        files = ChartFiles(item.chart_dir) if item.chart else None
        try:
            docs = split(data, item.name)
        except VnpError as exc:  # a line Kubernetes reads as a separator and YAML as text: nothing is read
            p = exc.problems[0]
            out.invalid.append(Invalid(p.message, ObjectRef(), Source(item.name, p.line or 0)))
            continue
        for doc in docs:
            if item.chart:
                template = doc.source_file or item.name
                start = template_lines.get(template, 1)
                template_lines[template] = start + _content_lines(doc) + 1  # + its `---` line
                line = files.line_of(template, doc.kind) if not doc.is_empty else None
                doc.lint_source = Source(files.path_of(template), line or start)
            else:
                doc.lint_source = Source(item.name, doc.object_line)
            _add(doc, out, lists_may_hold_workloads)
    return out


def _json_document(name: str, data: bytes) -> Document | None:
    """A .json manifest as one document (JSON allows tabs YAML forbids); None: read it as YAML."""
    import json

    from helm_vnp.base.yamldump import dump
    try:
        obj = json.loads(data)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    doc = Document(b"---\n" + dump(obj).encode("utf-8"), 1, name)
    doc.lint_source = Source(name, 1)
    return doc


def _content_lines(doc: Document) -> int:
    """Lines of the object itself (after its ``---`` and ``# Source:`` lines, without trailing blank lines)."""
    body = doc.raw[doc.body_start:]
    if body.startswith(b"# Source:"):
        nl = body.find(b"\n")
        body = b"" if nl < 0 else body[nl + 1:]
    body = body.rstrip()  # Helm 4 keeps a template's trailing newline, Helm 3 trims it: count neither
    return body.count(b"\n") + 1 if body else 0


def _add(doc: Document, out: Objects, lists_may_hold_workloads: bool = False) -> None:
    if doc.is_empty:
        return
    try:
        if doc.kind != CRD_KIND or doc.api_version is None:
            obj = doc.obj
        else:
            obj = None
    except VnpError as exc:
        out.invalid.append(_broken(doc, exc))
        return
    from helm_vnp.release.pipeline import refuse_hidden_workloads
    is_list = isinstance(obj, dict) and _is_list(obj)
    try:
        refuse_hidden_workloads(doc)  # what the post-renderer refuses is an error here too...
    except VnpError as exc:
        if not (lists_may_hold_workloads and is_list):
            bad = _broken(doc, exc)
            out.invalid.append(Invalid(bad.message, bad.object, bad.source, listed=True))
        if is_list:
            _expand_list(doc, obj, out)  # ...and the items are still linted: one run shows everything
        return
    if is_list:
        _expand_list(doc, obj, out)
        return
    if obj is not None and not isinstance(obj, dict):
        out.invalid.append(Invalid(f"not a Kubernetes object: the document is a "
                                  f"{type(obj).__name__}, not a mapping", ObjectRef(), doc.lint_source))
        return
    out.docs.append(doc)


def _is_list(obj: dict) -> bool:
    kind = obj.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list)


def _expand_list(doc: Document, obj: dict, out: Objects) -> None:
    from helm_vnp.base.yamldump import dump

    for index, item in enumerate(obj["items"]):
        if not isinstance(item, dict):
            out.invalid.append(Invalid(f"items[{index}] of the {obj['kind']} is not an object",
                                      ObjectRef(), doc.lint_source))
            continue
        item = _typed_item(obj, item)
        raw = b"---\n" + dump(item).encode("utf-8")
        item_doc = Document(raw, doc.object_line, doc.source)
        item_doc.lint_source = doc.lint_source
        out.docs.append(item_doc)


def _typed_item(listed: dict, item: dict) -> dict:
    """An item of a typed list as the API server returns it (``PodList``, ``NamespaceList``, ...: items carry
    no kind or apiVersion) gets the list's: ``kubectl get -o yaml`` prints ``kind: List`` with typed items,
    a client or ``kubectl get --raw`` prints the typed list."""
    kind, version = listed.get("kind"), listed.get("apiVersion")
    if kind == "List" or not isinstance(version, str) or ("kind" in item and "apiVersion" in item):
        return item
    return {"apiVersion": version, "kind": kind[:-len("List")], **item}


def _broken(doc: Document, exc: VnpError) -> Invalid:
    problem = exc.problems[0]
    message = f"{problem.path}: {problem.message}" if problem.path else problem.message
    line = problem.line or doc.object_line
    if doc.lint_source.file != doc.source or doc.lint_source.line != doc.object_line:
        # chart render: the parser's line is in the render; shift it into the template's numbering
        line = doc.lint_source.line + max(0, line - doc.object_line)
    ref = ObjectRef(doc.api_version or "", doc.kind or "", doc.name or "", doc.namespace or "")
    return Invalid(message, ref, Source(doc.lint_source.file, line))
