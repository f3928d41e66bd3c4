"""Records: the part of the standard ``dataclasses`` that helm_vnp uses, made cheap to import and to apply.

Why it exists (issue 18, start-up): ``import dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``,
``tokenize``, ``linecache``...), about 10 ms, and ``@dataclass`` runs several ``exec`` per class; with some 40
classes on the path of ``helm-vnp lint --rendered`` that was a good part of its start-up.  This module imports
only ``sys`` and ``_thread`` (both already loaded by the interpreter) and generates each class's methods with
ONE ``exec`` (``__init__``, ``__eq__``, ``__hash__``; ``__repr__`` and the frozen ``__setattr__``/``__delattr__``
are closures).

What it supports, with the semantics of ``dataclasses`` (Python 3.11), and nothing else:

- ``@record``, ``@record(frozen=True)``, ``@record(frozen=True, slots=True)``; any other option is refused
  (``TypeError`` at decoration), so nobody silently gets other semantics than they asked for;
- fields from the class's own annotations in order, after the fields of record bases (a subclass may
  redefine one); ``ClassVar`` annotations (also as strings under ``from __future__ import annotations``,
  resolved in the class's module as ``dataclasses`` does, even its quirk: ``"typing.ClassVar[int]"`` is a
  ClassVar only where ``ClassVar`` itself is imported too) are not fields; ``InitVar``/``KW_ONLY`` are refused;
- ``field(default=, default_factory=, repr=, hash=, compare=)``; a mutable default (an unhashable one) is
  refused as ``dataclasses`` refuses it; a field without default after one with a default is refused;
- ``__init__`` (defaults; a factory called once per instance; ``__post_init__()`` called if defined),
  ``__repr__`` (``...`` on recursion), ``__eq__`` (same class only, field tuples, else ``NotImplemented``),
  ``__hash__`` (frozen: hash of the fields with ``hash=True``, or with ``compare`` where ``hash`` is None;
  not frozen: ``None``; a ``__hash__`` written in the class body is kept), ``__match_args__``; a method
  written in the class body (``__init__``, ``__repr__``, ``__eq__``) is kept, as ``dataclasses`` keeps it;
- frozen: assigning or deleting a field raises ``FrozenInstanceError`` (an ``AttributeError``);
  frozen and non-frozen records do not inherit from each other;
- slots: the class is rebuilt with ``__slots__`` of its fields (no ``__dict__``, no ``__weakref__``); unlike
  Python 3.11's, its frozen ``__setattr__`` names the rebuilt class (a subclass can set its own attributes);
- ``fields(record or instance)``, ``replace(instance, **changes)``.

Not a stdlib dataclass: ``dataclasses.is_dataclass``/``fields``/``asdict`` do not see records (the class
carries ``__record_fields__``, not ``__dataclass_fields__``); a class without a docstring keeps ``__doc__``
None (``dataclasses`` writes a signature there, which needs ``inspect``).
"""
from __future__ import annotations

import sys
from _thread import get_ident

__all__ = ["MISSING", "Field", "FrozenInstanceError", "field", "fields", "record", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


class _Factory:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


MISSING = _Missing()  # no default / no factory
_FACTORY = _Factory()  # the __init__ default of a field with a default factory (its signature shows <factory>)


class _Slotted:
    __slots__ = ("a",)


_MEMBER_DESCRIPTOR = type(_Slotted.a)  # types.MemberDescriptorType, without importing types


class FrozenInstanceError(AttributeError):
    """Assigning to or deleting a field of a frozen record."""


class Field:
    """One field of a record: its name and type (the annotation, a string under postponed annotations), its
    default or default factory, and whether it shows in repr, takes part in ==, and in hash (None: as compare)."""

    __slots__ = ("name", "type", "default", "default_factory", "repr", "hash", "compare")

    def __init__(self, default, default_factory, repr, hash, compare):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.hash = hash
        self.compare = compare

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r},repr={self.repr!r},hash={self.hash!r},"
                f"compare={self.compare!r})")


def field(*, default=MISSING, default_factory=MISSING, repr=True, hash=None, compare=True, **unsupported) -> Field:
    """A field's options, as ``dataclasses.field`` takes them (only these five)."""
    if unsupported:
        raise TypeError(f"field(): unsupported option(s) {', '.join(sorted(unsupported))} (helm_vnp.base.record "
                        "supports default, default_factory, repr, hash, compare)")
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, repr, hash, compare)


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, **unsupported):
    """Class decorator: ``@record``, ``@record(frozen=True)``, ``@record(frozen=True, slots=True)``."""
    if unsupported:
        raise TypeError(f"record(): unsupported option(s) {', '.join(sorted(unsupported))} (helm_vnp.base.record "
                        "supports frozen and slots)")

    def wrap(cls):
        return _process(cls, bool(frozen), bool(slots))

    return wrap if cls is None else wrap(cls)


def fields(class_or_instance) -> tuple[Field, ...]:
    """The fields of a record class or instance, in ``__init__`` order."""
    found = getattr(class_or_instance, "__record_fields__", None)
    if found is None:
        raise TypeError("must be called with a record type or instance")
    return tuple(found.values())


def replace(obj, /, **changes):
    """A new instance of ``obj``'s class with ``changes`` applied to ``obj``'s fields (``dataclasses.replace``)."""
    found = getattr(obj, "__record_fields__", None)
    if found is None or isinstance(obj, type):
        raise TypeError("replace() should be called on record instances")
    for name in found:
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def _head(text: str) -> tuple[str | None, str | None]:
    """``dataclasses``' reading of a string annotation, ``^(?:\\s*(\\w+)\\s*\\.)?\\s*(\\w+)``, without ``re``:
    (module or None, name) of ``"typing.ClassVar[int]"`` / ``"ClassVar[int]"``; (None, None) if no name."""
    def word(i: int) -> int:
        while i < len(text) and (text[i].isalnum() or text[i] == "_"):
            i += 1
        return i

    def space(i: int) -> int:
        while i < len(text) and text[i].isspace():
            i += 1
        return i

    start = space(0)
    end = word(start)
    if end > start:
        dot = space(end)
        if dot < len(text) and text[dot] == ".":
            second = space(dot + 1)
            second_end = word(second)
            if second_end > second:
                return text[start:end], text[second:second_end]
        return None, text[start:end]
    return None, None


def _is(annotation, cls, module, target, strict: bool = False) -> bool:
    """Is ``annotation`` ``module.target`` (or ``target[...]``), as ``dataclasses`` decides?  ``strict``: also
    where ``dataclasses`` does not see it (``"mod.Target[...]"`` without ``Target`` imported), to refuse it."""
    if module is None:
        return False
    marker = getattr(module, target)

    def hit(value) -> bool:
        return value is marker or type(value) is marker or getattr(value, "__origin__", None) is marker

    if not isinstance(annotation, str):
        return hit(annotation)
    prefix, name = _head(annotation)
    if name is None:
        return False
    namespace = getattr(sys.modules.get(cls.__module__), "__dict__", {})
    if prefix is not None and namespace.get(prefix) is not module:
        return False
    # as dataclasses does, the name is looked up in the class's module even after a prefix
    # ("typing.ClassVar[int]" is a ClassVar only where ClassVar is imported too)
    return hit(namespace.get(name)) or (strict and prefix is not None and hit(getattr(module, name, None)))


def _process(cls, frozen: bool, slots: bool):
    fields_ = {}
    any_frozen_base = has_record_bases = False
    for base in cls.__mro__[-1:0:-1]:
        if "__dataclass_fields__" in base.__dict__:
            raise TypeError(f"{cls.__name__}: a record cannot inherit from a stdlib dataclass ({base.__name__})")
        base_fields = getattr(base, "__record_fields__", None)
        if base_fields is not None:
            has_record_bases = True
            fields_.update(base_fields)
            any_frozen_base = any_frozen_base or base.__record_frozen__

    typing = sys.modules.get("typing")
    dataclasses = sys.modules.get("dataclasses")  # InitVar and KW_ONLY exist only if someone imported it
    annotations = cls.__dict__.get("__annotations__", {})
    for name, annotation in annotations.items():
        if _is(annotation, cls, dataclasses, "KW_ONLY", True) or _is(annotation, cls, dataclasses, "InitVar", True):
            raise TypeError(f"{cls.__name__}.{name}: InitVar and KW_ONLY are not supported by helm_vnp.base.record")
        default = getattr(cls, name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = Field(MISSING if isinstance(default, _MEMBER_DESCRIPTOR) else default, MISSING, True, None, True)
        f.name, f.type = name, annotation
        if isinstance(default, Field):  # the class attribute becomes the plain default, or goes
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        if _is(annotation, cls, typing, "ClassVar"):
            if f.default_factory is not MISSING:
                raise TypeError(f"field {name} cannot have a default factory")
            fields_.pop(name, None)
            continue
        if f.default is not MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        fields_[name] = f
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    if has_record_bases and any_frozen_base != frozen:
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one" if any_frozen_base
                        else "cannot inherit frozen dataclass from a non-frozen one")
    seen_default = False
    for f in fields_.values():
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")

    own = cls.__dict__
    class_hash = own.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in own))
    if frozen:
        for name in ("__setattr__", "__delattr__"):
            if name in own:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    if slots:
        cls = _slotted(cls, fields_, frozen)
    cls.__record_fields__ = fields_
    cls.__record_frozen__ = frozen
    _methods(cls, list(fields_.values()), frozen, own, explicit_hash, hasattr(cls, "__post_init__"))
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(fields_)
    return cls


def _methods(cls, flds: list[Field], frozen: bool, own, explicit_hash: bool, post_init: bool) -> None:
    """Set the methods the class needs: ``__init__``, ``__eq__`` and ``__hash__`` (the ones on hot paths) from
    source written here and run with one ``exec``; ``__repr__`` and the frozen ``__setattr__``/``__delattr__``
    are closures (compiling them would cost more than they ever run)."""
    names = [f.name for f in flds]
    me = "__record_self__" if "self" in names else "self"
    ns = {"__record_set__": object.__setattr__, "__record_factory__": _FACTORY, "__name__": cls.__module__}
    params, body = [me], []
    for f in flds:
        if f.default_factory is not MISSING:
            ns[f"__record_d_{f.name}__"] = f.default_factory
            params.append(f"{f.name}=__record_factory__")
            value = f"__record_d_{f.name}__() if {f.name} is __record_factory__ else {f.name}"
        elif f.default is not MISSING:
            ns[f"__record_d_{f.name}__"] = f.default
            params.append(f"{f.name}=__record_d_{f.name}__")
            value = f.name
        else:
            params.append(f.name)
            value = f.name
        body.append(f" __record_set__({me},{f.name!r},{value})" if frozen else f" {me}.{f.name}={value}")
    if post_init:
        body.append(f" {me}.__post_init__()")
    made, src = [], []
    if "__init__" not in own:
        made.append("__init__")
        src += [f"def __init__({','.join(params)}):", *(body or [" pass"])]
    if "__eq__" not in own:
        compared = [f.name for f in flds if f.compare]
        made.append("__eq__")
        src += ["def __eq__(self,other):",
                " if other.__class__ is self.__class__:",
                f"  return {_tuple('self', compared)}=={_tuple('other', compared)}",
                " return NotImplemented"]
    if frozen and not explicit_hash:
        hashed = [f.name for f in flds if (f.compare if f.hash is None else f.hash)]
        made.append("__hash__")
        src += ["def __hash__(self):", f" return hash({_tuple('self', hashed)})"]
    if src:
        exec("\n".join(src), ns)  # the source is ours, built from identifiers
    if "__repr__" not in own:
        made.append("__repr__")
        ns["__repr__"] = _repr([f.name for f in flds if f.repr])
    if frozen:
        made += ["__setattr__", "__delattr__"]
        ns["__setattr__"], ns["__delattr__"] = _frozen(cls, frozenset(names))
    for name in made:
        fn = ns[name]
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)
    if "__init__" in made:
        cls.__init__.__annotations__ = {**{f.name: f.type for f in flds}, "return": None}
    if not frozen and not explicit_hash:
        cls.__hash__ = None


def _repr(shown: list[str]):
    """``Class(a=1, b='x')`` of the fields shown; ``...`` for a record met again while showing it."""
    running = set()

    def __repr__(self):
        key = (id(self), get_ident())
        if key in running:
            return "..."
        running.add(key)
        try:
            return self.__class__.__qualname__ + "(" + ", ".join([f"{n}={getattr(self, n)!r}" for n in shown]) + ")"
        finally:
            running.discard(key)

    return __repr__


def _frozen(cls, names: frozenset):
    """A frozen record's ``__setattr__`` and ``__delattr__``: a field cannot change, nor anything on the class
    itself (a subclass may set its own attributes), as ``dataclasses`` decides."""
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _tuple(obj: str, names: list[str]) -> str:
    return "(" + "".join(f"{obj}.{n}," for n in names) + ")"


def _slotted(cls, fields_: dict, frozen: bool):
    """The class rebuilt with ``__slots__`` for its fields (a class's slots can only be set when it is made)."""
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    inherited = set()
    for base in cls.__mro__[1:-1]:
        declared = base.__dict__.get("__slots__", ())
        inherited.update((declared,) if isinstance(declared, str) else declared)
    body = dict(cls.__dict__)
    body["__slots__"] = tuple(n for n in fields_ if n not in inherited)
    for name in (*fields_, "__dict__", "__weakref__"):
        body.pop(name, None)
    new = type(cls)(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    for value in body.values():  # zero-argument super() and __class__ in the body's methods name the new class
        for fn in (value, getattr(value, "__func__", None), getattr(value, "fget", None),
                   getattr(value, "fset", None), getattr(value, "fdel", None)):
            code = getattr(fn, "__code__", None)
            if code is not None and "__class__" in code.co_freevars:
                cell = fn.__closure__[code.co_freevars.index("__class__")]
                if cell.cell_contents is cls:
                    cell.cell_contents = new
    if frozen:  # pickling and copying a frozen slotted instance cannot go through its __setattr__
        if "__getstate__" not in body:
            new.__getstate__ = _getstate
        if "__setstate__" not in body:
            new.__setstate__ = _setstate
    return new


def _getstate(self):
    return [getattr(self, name) for name in self.__record_fields__]


def _setstate(self, state):
    for name, value in zip(self.__record_fields__, state):
        object.__setattr__(self, name, value)
