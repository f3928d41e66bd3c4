"""A document as Kubernetes decodes it, read quickly from the YAML parser's events.

The line readers of this package are fast because they trust a document's
lines; this is what checks them.  libyaml (ruamel's C parser, the scanner
go-yaml v2 was ported from) gives the document's events: multi-line quoted
scalars, flow collections, every line break YAML knows, all placed as go-yaml
places them.  From them ``decode`` builds plain dicts, lists and scalars the
way sigs.k8s.io/yaml does: plain scalars resolved by go-yaml v2's rules
(``helm_vnp.base.goyaml``), mapping keys turned into JSON strings, and a
duplicate key's *last* value kept (what reaches the API server).

Anchors, aliases and explicit tags change what a document means beyond its
events; for those ``decode`` answers ``NEEDS_LOADER`` and the caller uses the
full loader (``helm_vnp.base.yamlload``), which handles them.  Merge keys
(``<<: {...}``) are applied here, in go-yaml v2's order.
About six times cheaper than that loader, so it can run on every workload.
"""
from __future__ import annotations

from helm_vnp.base import goyaml
from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.yamlload import MAX_EXPANDED_NODES

NEEDS_LOADER = object()  # anchors, aliases or tags: use the full loader


class _Loader(Exception):
    """Raised inside ``decode`` when the document needs the full loader."""


def _parser(text: str, pure: bool = False):
    """libyaml's event parser (ruamel's C extension); ``pure``: ruamel's Python parser, which accepts
    what go-yaml v2 accepts and libyaml 0.2 does not (``{a:b}``, ``[2001:db8::/32]`` in flow context)."""
    if not pure:
        try:
            from _ruamel_yaml import CParser
            return CParser(text)
        except ImportError:  # no C extension (PyPy, a source install): the pure parser gives the same events
            pass
    import io

    from ruamel.yaml import YAML
    events = iter(YAML(typ="safe", pure=True).parse(io.StringIO(text)))
    return type("PureParser", (), {"get_event": staticmethod(lambda: next(events, None))})()


def decode(text: str, file: str = "", line: int = 1, aliases: bool = False):
    """The first document of ``text`` as plain data, or NEEDS_LOADER.  Raises VnpError when
    the text is not YAML (the message names file and line, never the text).  ``aliases``: read anchors
    and aliases too (an alias shares its anchor's object), where a caller only reads the result.
    A document of ``helm_vnp.base.blockyaml``'s subset is read there (the same data, without ruamel)."""
    from helm_vnp.base.blockyaml import DECLINED
    from helm_vnp.base.blockyaml import decode as read_block
    data = read_block(text)
    return decode_events(text, file, line, aliases) if data is DECLINED else data


def decode_events(text: str, file: str = "", line: int = 1, aliases: bool = False):
    """``decode`` from the parser's events alone (what ``blockyaml`` must agree with)."""
    for pure in (False, True):  # libyaml first (fast); what it refuses, the pure parser reads again
        try:
            return _build(_parser(text, pure), aliases)
        except _Loader:
            return NEEDS_LOADER
        except RecursionError:
            raise VnpError(Problem("document nests too deeply to be a Kubernetes object", file=file, line=line))
        except Exception as exc:  # the parser's errors: report them located, as the loader does
            error = type(exc).__name__
    from helm_vnp.base.yamlload import compose
    compose(text, file, line)  # raises the loader's located message for the same fault
    raise VnpError(Problem(f"invalid YAML: {error}", file=file, line=line))


def _build(parser, aliases: bool = False):
    """Turn the events into data.  One explicit stack (no recursion per level).  A ``<<`` merge key is
    applied as go-yaml v2 applies it: the merged keys overwrite those set before it, keys after it
    overwrite them, and of a list of mappings the earlier ones win.  Anchors and aliases end the reading
    with ``_Loader`` unless ``aliases``: then an alias is its anchor's value (one object, counted at its
    full size against the loader's alias-bomb limit; a recursive or undefined one goes to the loader)."""
    root = None
    stack: list = []  # [container, pending key or _NO_KEY, merging into (a parent dict) or None, anchor, size]
    anchors: dict = {}  # name -> (value, size); size None while the anchored collection is open
    started = False

    def put(value, size: int, is_collection: bool, plain_text=None):
        nonlocal root
        if not stack:
            root = value
            return None
        top = stack[-1]
        top[4] += size
        if top[4] > MAX_EXPANDED_NODES:
            raise _Loader  # the loader refuses the alias bomb with its own message
        container = top[0]
        if isinstance(container, list):
            if top[2] is not None and not isinstance(value, dict):
                raise _Loader  # a merge of something that is not a mapping: the loader reports it
            container.append(value)
        elif top[1] is _NO_KEY:
            if is_collection:
                raise _Loader  # a collection as a mapping key: Kubernetes cannot decode it either
            top[1] = _MERGE if plain_text == "<<" else goyaml.json_key(value)
        elif top[1] is _MERGE:
            top[1] = _NO_KEY
            if isinstance(value, dict):
                return container  # merged at its end (a mapping written here) or now (an alias)
            if isinstance(value, list) and not plain_text:
                return container
            raise _Loader  # ``<<: scalar``: go-yaml refuses it; the loader says so
        else:
            container[top[1]] = value
            top[1] = _NO_KEY
        return None

    def merge(into, done) -> None:
        for part in reversed(done) if isinstance(done, list) else (done,):
            if not isinstance(part, dict):
                raise _Loader
            into.update(part)

    while True:
        ev = parser.get_event()
        if ev is None:
            break
        name = type(ev).__name__
        if name == "ScalarEvent":
            if ev.anchor is not None and not aliases:
                raise _Loader
            value = _scalar(ev)
            if ev.anchor is not None:
                anchors[ev.anchor] = (value, 1)
            put(value, 1, False, None if ev.style else ev.value)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            if ev.anchor is not None and not aliases:
                raise _Loader
            # go-yaml v2 reads a collection the same whatever its tag (``!!map``, ``!custom``); ``!!seq`` on a
            # mapping and the like are errors there: the loader reports them
            if (ev.tag or "").startswith(_STANDARD) and ev.tag != (_MAP if name[0] == "M" else _SEQ):
                raise _Loader
            new: dict | list = {} if name == "MappingStartEvent" else []
            if stack and stack[-1][2] is not None and isinstance(stack[-1][0], list) and isinstance(new, list):
                raise _Loader
            merging = put(new, 0, True)
            if ev.anchor is not None:
                anchors[ev.anchor] = (new, None)
            stack.append([new, _NO_KEY, merging, ev.anchor, 1])
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            done, _, merging, anchor, size = stack.pop()
            if anchor is not None:
                anchors[anchor] = (done, size)
            if stack:
                stack[-1][4] += size
                if stack[-1][4] > MAX_EXPANDED_NODES:
                    raise _Loader
            if merging is not None:
                merge(merging, done)
        elif name == "AliasEvent":
            if not aliases or ev.anchor not in anchors or anchors[ev.anchor][1] is None:
                raise _Loader  # undefined or recursive: the loader reports it
            value, size = anchors[ev.anchor]
            into = put(value, size, isinstance(value, (dict, list)))
            if into is not None:
                merge(into, value)
        elif name == "DocumentStartEvent":
            if started:
                break  # sigs.k8s.io/yaml reads the first document only
            started = True
    return root


_MERGE = object()
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_STANDARD = "tag:yaml.org,2002:"
# standard tags go-yaml v2 gives a meaning on a scalar (a type to check, base64, a date, a merge) or that name a
# collection: the loader decides those; any other ``!!name`` is not resolved, the scalar stays its text
_SPECIAL = frozenset({"str", "bool", "int", "float", "null", "binary", "timestamp", "merge", "map", "seq", "omap",
                      "pairs", "set", "value", "yaml"})


def _scalar(ev):
    """A scalar event's value: plain ones resolved by go-yaml v2's rules, quoted and block ones strings,
    ``!!str`` a string, ``!!bool``/``!!int``/``!!float``/``!!null`` the plain reading when it has that
    type (else the loader reports the mismatch); a tag go-yaml v2 does not know (``!foo``, ``!!foo``) the
    text, as it gives it; the other standard tags (``_SPECIAL``) go to the loader."""
    tag = ev.tag
    if tag is None or tag == "!":
        return ev.value if ev.style or tag == "!" else goyaml.resolve(ev.value)[1]
    if tag == goyaml.STR:
        return ev.value
    if tag in (goyaml.BOOL, goyaml.INT, goyaml.FLOAT, goyaml.NULL):
        found, value = goyaml.resolve(ev.value)
        if found == tag or (tag == goyaml.FLOAT and found == goyaml.INT):
            return float(value) if tag == goyaml.FLOAT else value
    if not tag.startswith(_STANDARD) or tag[len(_STANDARD):] not in _SPECIAL:
        return ev.value  # go-yaml v2 does not resolve a tag it does not know (``!foo``, ``!!foo``): the text
    raise _Loader
_NO_KEY = object()
