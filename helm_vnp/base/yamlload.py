"""Parse one document safely, only when somebody needs its body.

YAML tags never construct objects: every node becomes a dict, list, str,
int, float, bool or None.  Plain scalars and mapping keys are resolved as
Kubernetes resolves them (``helm_vnp.base.goyaml``: ``hostNetwork: on`` is
``True``, ``yes:`` is the key "true").  Two things real charts contain that
stock safe loaders refuse are accepted: the YAML 1.1 ``=`` value scalar
(kube-prometheus-stack's CRDs) and unknown tags.  Alias bombs are refused
before anything expands them.  Errors are ``VnpError``s naming file and line.
"""
from __future__ import annotations

import re

from helm_vnp.base.errors import Problem, VnpError

# Expanded size (nodes, counting every alias use) beyond which a document is refused.
MAX_EXPANDED_NODES = 1_000_000

_yaml = None


def _loader():
    global _yaml
    if _yaml is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import ConstructorError, SafeConstructor
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver
        from ruamel.yaml.tag import Tag

        from helm_vnp.base import goyaml

        class Resolver(VersionedResolver):
            """Plain scalars resolved by go-yaml v2's rules; everything else as YAML says."""

            def resolve(self, kind, value, implicit):
                if kind is ScalarNode and implicit[0]:
                    return Tag(suffix=goyaml.resolve(value)[0])
                return super().resolve(kind, value, implicit)

        class Constructor(SafeConstructor):
            """Safe constructor that maps every tag to its plain node type, reads scalars as go-yaml v2
            does and turns mapping keys into the strings sigs.k8s.io/yaml makes of them."""

            def construct_yaml_bool(self, node):
                text = self.construct_scalar(node)
                if text in goyaml.TRUE or text in goyaml.FALSE:
                    return text in goyaml.TRUE
                raise ConstructorError(None, None, "cannot decode this value as a boolean", node.start_mark)

            def construct_yaml_int(self, node):
                text = self.construct_scalar(node)
                tag, value = goyaml.resolve(text)
                if tag != goyaml.INT:
                    raise ConstructorError(None, None, "cannot decode this value as an integer", node.start_mark)
                return value

            def construct_yaml_float(self, node):
                text = self.construct_scalar(node)
                tag, value = goyaml.resolve(text)
                if tag not in (goyaml.INT, goyaml.FLOAT):
                    raise ConstructorError(None, None, "cannot decode this value as a number", node.start_mark)
                return float(value)

            def construct_mapping(self, node, deep=False):
                mapping = super().construct_mapping(node, deep=deep)
                return {goyaml.json_key(k): v for k, v in mapping.items()}

        def plain(constructor, node):
            from ruamel.yaml.nodes import MappingNode, SequenceNode
            if isinstance(node, MappingNode):
                return SafeConstructor.construct_yaml_map(constructor, node)
            if isinstance(node, SequenceNode):
                return SafeConstructor.construct_yaml_seq(constructor, node)
            return constructor.construct_scalar(node)

        Constructor.add_constructor("tag:yaml.org,2002:value", lambda c, n: c.construct_scalar(n))
        Constructor.add_constructor(goyaml.BOOL, Constructor.construct_yaml_bool)
        Constructor.add_constructor(goyaml.INT, Constructor.construct_yaml_int)
        Constructor.add_constructor(goyaml.FLOAT, Constructor.construct_yaml_float)
        Constructor.add_constructor(None, plain)
        for tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:set",
                    "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"):
            Constructor.add_constructor(tag, plain)
        try:
            y = YAML(typ="safe", pure=False)
            y.Resolver = Resolver
            y.Constructor = Constructor
            y.compose("a: 1")
        except Exception:  # no C extension: the pure parser gives the same nodes
            y = YAML(typ="safe", pure=True)
            y.Resolver = Resolver
            y.Constructor = Constructor
        _yaml = y
    return _yaml


def quietly(fn, *args):
    """``fn(*args)`` with the YAML library's warnings silenced: they quote the input's lines (a
    Secret's, a password in a values file) straight to stderr."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def _forget() -> None:
    """Drop the cached loader after a failure: a parse that stopped half-way may leave state
    (anchors, half-constructed objects) that must not reach the next document."""
    global _yaml
    _yaml = None


def compose(text: str, file: str = "", line: int = 1):
    """The node tree of one document (None for an empty one), with positions."""
    y = _loader()
    try:
        return quietly(_compose, y, text, file, line)
    except BaseException:
        _forget()
        raise


def _compose(y, text: str, file: str, line: int):
    try:
        return y.compose(text)
    except RecursionError:
        raise VnpError(Problem("document nests too deeply to be a Kubernetes object", file=file, line=line))
    except Exception as exc:  # ruamel's errors all carry marks; report them as input errors
        raise VnpError(_problem(exc, file, line)) from None


def load(text: str, file: str = "", line: int = 1):
    """The document as plain Python data.  Block-style documents of the subset that
    ``helm_vnp.base.blockyaml`` reads (most rendered ones) are read there, without ruamel."""
    from helm_vnp.base.blockyaml import DECLINED, decode
    data = decode(text)
    return load_full(text, file, line) if data is DECLINED else data


def load_full(text: str, file: str = "", line: int = 1):
    """``load`` by ruamel alone (what ``blockyaml`` must agree with)."""
    node = compose(text, file, line)
    if node is None:
        return None
    _check_expansion(node, file, line)
    y = _loader()
    try:
        data = quietly(y.constructor.construct_document, node)
    except BaseException as exc:
        _forget()
        if not isinstance(exc, Exception):
            raise
        if isinstance(exc, RecursionError):
            raise VnpError(Problem("document nests too deeply to be a Kubernetes object", file=file, line=line))
        raise VnpError(_problem(exc, file, line)) from None
    return data


def _check_expansion(root, file: str, line: int, only_aliased: bool = False) -> None:
    """Refuse documents whose aliases would expand past MAX_EXPANDED_NODES (billion laughs); and,
    unless ``only_aliased`` (a values file: Helm reads any size), documents that large without aliases."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    line += root.start_mark.line  # the object's first line, not the document marker's
    size: dict[int, int] = {}
    stack = [(root, False)]
    aliased = False
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size and not done:
            aliased = True  # a node met twice: an alias
            continue
        if isinstance(node, MappingNode):
            children = [c for pair in node.value for c in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            size[key] = 1
            continue
        if not done:
            size[key] = -1  # in progress (a recursive alias shows as -1)
            stack.append((node, True))
            fresh = [(c, False) for c in children if id(c) not in size]
            aliased = aliased or len(fresh) != len(children)
            stack.extend(fresh)
            continue
        total = 1
        for c in children:
            s = size.get(id(c), 1)
            if s < 0:
                raise VnpError(Problem("recursive alias: the document refers to itself", file=file, line=line))
            total += s
            if total > MAX_EXPANDED_NODES and (aliased or not only_aliased):
                raise VnpError(Problem(
                    (f"aliases expand this document past {MAX_EXPANDED_NODES:,} nodes (an alias bomb?); refused"
                     if aliased else f"the document has more than {MAX_EXPANDED_NODES:,} nodes; refused"),
                    file=file, line=line))
        size[key] = total


# ruamel quotes the values of a duplicate key: a Secret's data must never reach a message
_DUPLICATE_VALUES = re.compile(r' with value ".*?" \(original value: ".*"\)', re.S)


_ALIAS_NAME = re.compile(r"(undefined alias|alias) '[^']*'")


def _redact(text: str) -> str:
    """No value in a message: the values of a duplicate key, the name of an undefined alias (an
    unquoted templated secret that starts with ``*`` reads as one) are left out."""
    return _ALIAS_NAME.sub(r"\1", _DUPLICATE_VALUES.sub(" (values not shown)", text))


def _problem(exc: Exception, file: str, line: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = _redact(str(getattr(exc, "problem", None) or str(exc).splitlines()[0]))
    context = getattr(exc, "context", None)
    msg = f"invalid YAML: {what}" + (f" ({context})" if context and context not in str(what) else "")
    started = getattr(exc, "context_mark", None)
    if mark is not None and started is not None and started.line < mark.line \
            and context and ("quoted scalar" in context or "flow" in context):
        # an unclosed quote or bracket is noticed lines later: point at where it opens
        msg += f", noticed at line {line + mark.line}"
        mark = started
    where = line + mark.line if mark is not None else line
    return Problem(msg, file=file, line=where)


def refuse_alias_bombs(text: str, file: str = "") -> None:
    """Raise VnpError if any document of ``text`` expands past MAX_EXPANDED_NODES through aliases.

    For loaders (like the values-file reader) that would expand aliases themselves.
    Syntax errors are left for the caller's own parser to report.
    """
    if "*" not in text:
        return
    y = _loader()
    try:
        nodes = list(y.compose_all(text))
    except RecursionError:
        raise VnpError(Problem("the YAML nests too deeply", file=file, line=1))
    except Exception:
        return
    for node in nodes:
        if node is not None:
            _check_expansion(node, file, (node.start_mark.line + 1) if node.start_mark else 1)


# for readers elsewhere that compose with the same rules (the values-file reader)
loader = _loader
check_expansion = _check_expansion
forget = _forget
