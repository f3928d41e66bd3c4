"""helm_vnp.base.record against the standard dataclasses: every supported feature, declared once and built
with both, must behave the same (issue 18 replaced dataclasses for start-up time, not for other semantics)."""
from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import subprocess
import sys
import typing
from typing import ClassVar

import pytest

from helm_vnp.base import record as rec

STD = (dataclasses.dataclass, dataclasses.field, dataclasses.replace, dataclasses.fields, dataclasses.MISSING,
       dataclasses.FrozenInstanceError)
OURS = (rec.record, rec.field, rec.replace, rec.fields, rec.MISSING, rec.FrozenInstanceError)


class Other:
    """Not a record: == against it is NotImplemented."""


def declare(dataclass, field):
    """The declarations, built with one implementation; each entry: (class, a list of __init__ argument tuples)."""
    @dataclass
    class Plain:
        a: int
        b: str = "x"
        c: list = field(default_factory=list)
        d: tuple = ()
        k: ClassVar[int] = 3  # a string under postponed annotations: not a field
        kt: typing.ClassVar[int] = 4  # dataclasses looks the bare name up in the module: not a field either

    @dataclass(frozen=True)
    class Frozen:
        name: str
        labels: dict = field(default_factory=dict, hash=False)  # compared, not hashed
        note: str = field(default="", compare=False)  # neither compared nor hashed
        secret: str = field(default="s", repr=False)
        weight: int = field(default=1, compare=False, hash=True)  # hashed, not compared

    @dataclass
    class OwnHash:
        a: int

        def __hash__(self):
            return 7

    @dataclass(frozen=True)
    class FrozenOwnHash:
        a: int

        def __hash__(self):
            return 8

    @dataclass
    class OwnMethods:
        a: int
        b: int = 2

        def __repr__(self):
            return "mine"

        def __eq__(self, other):
            return isinstance(other, OwnMethods) and self.a == other.a

    @dataclass
    class Base:
        a: int
        b: str = "base"

    @dataclass
    class Child(Base):
        b: str = "child"  # redefined: keeps its place, takes the new default
        c: list = field(default_factory=list)

    @dataclass
    class Shadow(Base):
        a: ClassVar[int] = 5  # a base's field made a ClassVar: no longer a field

    @dataclass(frozen=True)
    class FrozenBase:
        a: int

    @dataclass(frozen=True)
    class FrozenChild(FrozenBase):
        b: int = 0

    @dataclass
    class Posted:
        a: int
        twice: int = 0

        def __post_init__(self):
            self.twice = self.a * 2

    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int
        b: str = "x"
        order: tuple = field(default=(), compare=False, repr=False)

        @property
        def both(self):
            return (self.a, self.b)

    @dataclass
    class Empty:
        pass

    @dataclass
    class Selfish:
        self: int
        other: int = 0

    @dataclass
    class Tree:
        value: int
        children: list = field(default_factory=list)

    return {
        "Plain": (Plain, [(1,), (1, "y"), (1, "x", [2]), (2, "x", [], (1,))]),
        "Frozen": (Frozen, [("n",), ("n", {"a": "1"}), ("n", {}, "other note"), ("n", {}, "", "t"),
                            ("m", {}, "", "s", 2)]),
        "OwnHash": (OwnHash, [(1,), (2,)]),
        "FrozenOwnHash": (FrozenOwnHash, [(1,), (2,)]),
        "OwnMethods": (OwnMethods, [(1,), (1, 3), (2,)]),
        "Base": (Base, [(1,), (1, "child")]),
        "Child": (Child, [(1,), (1, "base"), (1, "child", [1])]),
        "Shadow": (Shadow, [(), ("s",)]),
        "FrozenBase": (FrozenBase, [(1,)]),
        "FrozenChild": (FrozenChild, [(1,), (1, 2)]),
        "Posted": (Posted, [(1,), (3, 5)]),
        "Slotted": (Slotted, [(1,), (1, "y"), (1, "x", (1, 2))]),
        "Empty": (Empty, [()]),
        "Selfish": (Selfish, [(1,), (1, 2)]),
        "Tree": (Tree, [(1,)]),
    }


def _std():
    return declare(dataclasses.dataclass, dataclasses.field)


def _ours():
    return declare(rec.record, rec.field)


NAMES = list(_std())


def _outcome(call):
    """What a call gives: its value's repr, or the exception's base class name and message."""
    try:
        return ("value", repr(call()))
    except Exception as e:  # noqa: BLE001 - the kind of error is what is compared
        kind = "FrozenInstanceError" if e.__class__.__name__ == "FrozenInstanceError" else e.__class__.__name__
        return ("error", kind, str(e))


def behaviour(cls, arg_sets, api) -> dict:
    """Everything observable about a class and a few instances of it, in plain values."""
    _dataclass, _field, replace, fields, missing, frozen_error = api
    out = {"signature": str(inspect.signature(cls)),
           "init annotations": cls.__init__.__annotations__,
           "fields": [(f.name, f.type, "MISSING" if f.default is missing else repr(f.default),
                       "MISSING" if f.default_factory is missing else f.default_factory,
                       f.repr, f.compare, f.hash) for f in fields(cls)],
           "hash is None": cls.__hash__ is None,
           "match_args": getattr(cls, "__match_args__", None),
           "class attributes": {n: repr(cls.__dict__.get(n, "<absent>")) for n in ("a", "b", "c", "d", "k", "kt",
                                                                                      "labels", "note", "order")},
           "slots": cls.__dict__.get("__slots__"), "has dict": hasattr(cls(*arg_sets[0]), "__dict__"),
           "subclasses FrozenInstanceError": issubclass(frozen_error, AttributeError)}
    made = [cls(*args) for args in arg_sets]
    again = [cls(*args) for args in arg_sets]

    class Sub(cls):
        pass

    for i, (x, y) in enumerate(zip(made, again)):
        row = out[f"instance {i}"] = {}
        row["repr"] = repr(x)
        row["eq same args"] = (x == y, x != y)
        row["eq others"] = [x == z for z in made]
        row["eq other type"] = (x == Other(), x.__eq__(Other()) is NotImplemented, x == (1,), x != "x")
        row["eq subclass"] = (x == Sub(*arg_sets[i]), Sub(*arg_sets[i]) == x)
        row["hash"] = _outcome(lambda: hash(x))
        row["hash equal"] = _outcome(lambda: hash(x) == hash(y))
        fresh = [n for n in ("c", "labels", "children") if hasattr(x, n) and not arg_sets[i][1:]]
        row["factory gives fresh objects"] = [getattr(x, n) is not getattr(y, n) for n in fresh]
        name = fields(cls)[0].name if fields(cls) else "a"
        victim = cls(*arg_sets[i])
        row["set field"] = _outcome(lambda: setattr(victim, name, 5))
        row["after set"] = _outcome(lambda: repr(victim))
        row["del field"] = _outcome(lambda: delattr(victim, name))
        row["after del"] = _outcome(lambda: repr(victim))
        if "__slots__" not in cls.__dict__:  # Python 3.11's slotted frozen dataclass fails here (its __setattr__
            # names the class before slots rebuilt it); a record lets the subclass set its own attribute
            row["set other attribute"] = _outcome(lambda: setattr(Sub(*arg_sets[i]), "extra", 1))
            row["set other attribute on the class"] = _outcome(lambda: setattr(cls(*arg_sets[i]), "extra", 1))
            row["del other attribute on the class"] = _outcome(lambda: delattr(cls(*arg_sets[i]), "extra"))
        if fields(cls):
            row["replace"] = repr(replace(y, **{name: 9}))
            row["replace unknown"] = _outcome(lambda: replace(y, nope=1))
            row["replace is new"] = replace(y) is not y and replace(y) == y
    out["too many args"] = _outcome(lambda: cls(*range(len(fields(cls)) + 1)))
    out["replace a class"] = _outcome(lambda: replace(cls))[:2]  # (the message names records or dataclasses)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_records_behave_as_dataclasses(name):
    std_cls, args = _std()[name]
    ours_cls, _ = _ours()[name]
    assert hasattr(ours_cls, "__record_fields__") and not hasattr(ours_cls, "__dataclass_fields__")
    got, want = behaviour(ours_cls, args, OURS), behaviour(std_cls, args, STD)
    for key in want:
        assert got[key] == want[key], key
    assert got == want


def test_recursive_repr_stops_as_dataclasses_does():
    trees = []
    for api in (_std(), _ours()):
        tree_cls = api["Tree"][0]
        t = tree_cls(1)
        t.children.append(t)
        trees.append(repr(t))
    assert trees[0] == trees[1] == "declare.<locals>.Tree(value=1, children=[...])"


def test_post_init_runs_and_match_works():
    posted = _ours()["Posted"][0](4)
    assert posted.twice == 8
    base = _ours()["Base"][0]
    match base(1, "z"):
        case base(2, _):
            raise AssertionError("matched the wrong first field")
        case base(1, b):
            assert b == "z"
        case _:
            raise AssertionError("no match through __match_args__")


def test_slotted_frozen_copies_and_pickles_and_keeps_zero_argument_super():
    slotted = _ours()["Slotted"][0]
    x = slotted(1, "y", (3,))
    assert copy.copy(x) == x and copy.deepcopy(x) == x and copy.copy(x).order == (3,)
    assert x.both == (1, "y")
    assert not hasattr(x, "__dict__") and not hasattr(x, "__weakref__")
    assert pickle.loads(pickle.dumps(Picklable(1, "q"))) == Picklable(1, "q")


@rec.record(frozen=True, slots=True)
class Picklable:
    """Module level: pickle finds classes by their qualified name."""
    a: int
    b: str = ""

    def __str__(self):
        return super().__str__()  # the zero-argument super() names the rebuilt class


def test_zero_argument_super_in_a_slotted_record():
    assert str(Picklable(1)) == "Picklable(a=1, b='')"


@pytest.mark.parametrize("build, kind, message", [
    ("mutable default", ValueError, "mutable default <class 'list'> for field a is not allowed: use default_factory"),
    ("default order", TypeError, "non-default argument 'b' follows default argument"),
    ("no annotation", TypeError, "'x' is a field but has no type annotation"),
    ("both defaults", ValueError, "cannot specify both default and default_factory"),
    ("classvar factory", TypeError, "field k cannot have a default factory"),
    ("frozen from plain", TypeError, "cannot inherit frozen dataclass from a non-frozen one"),
    ("plain from frozen", TypeError, "cannot inherit non-frozen dataclass from a frozen one"),
    ("own setattr", TypeError, "Cannot overwrite attribute __setattr__ in class Bad"),
])
def test_declarations_refused_as_dataclasses_refuses_them(build, kind, message):
    for dataclass, field in ((dataclasses.dataclass, dataclasses.field), (rec.record, rec.field)):
        with pytest.raises(kind) as caught:
            _bad(build, dataclass, field)
        assert str(caught.value) == message, dataclass


def _bad(build, dataclass, field):
    if build == "mutable default":
        @dataclass
        class Bad:
            a: list = []  # noqa: RUF012
    elif build == "default order":
        @dataclass
        class Bad:
            a: int = 0
            b: int
    elif build == "no annotation":
        @dataclass
        class Bad:
            x = field(default=1)
    elif build == "both defaults":
        field(default=1, default_factory=list)
    elif build == "classvar factory":
        @dataclass
        class Bad:
            k: ClassVar[list] = field(default_factory=list)
    elif build == "frozen from plain":
        @dataclass
        class Base:
            a: int

        @dataclass(frozen=True)
        class Bad(Base):
            pass
    elif build == "plain from frozen":
        @dataclass(frozen=True)
        class Base:
            a: int

        @dataclass
        class Bad(Base):
            pass
    elif build == "own setattr":
        @dataclass(frozen=True)
        class Bad:
            a: int

            def __setattr__(self, name, value):
                pass


@pytest.mark.parametrize("options", [{"eq": False}, {"order": True}, {"init": False}, {"repr": False},
                                     {"unsafe_hash": True}, {"kw_only": True}, {"match_args": False},
                                     {"weakref_slot": True}, {"eq": True}])
def test_unsupported_options_are_refused(options):
    with pytest.raises(TypeError, match="unsupported option"):
        @rec.record(**options)
        class C:
            a: int


@pytest.mark.parametrize("options", [{"init": False}, {"metadata": {"a": 1}}, {"kw_only": True}])
def test_unsupported_field_options_are_refused(options):
    with pytest.raises(TypeError, match="unsupported option"):
        rec.field(**options)


def test_initvar_kw_only_and_stdlib_bases_are_refused():
    with pytest.raises(TypeError, match="InitVar and KW_ONLY"):
        @rec.record
        class WithInitVar:
            a: dataclasses.InitVar[int]
    with pytest.raises(TypeError, match="InitVar and KW_ONLY"):
        @rec.record
        class WithKwOnly:
            a: int
            _: dataclasses.KW_ONLY
            b: int = 0
    with pytest.raises(TypeError, match="stdlib dataclass"):
        @rec.record
        class FromStd(_std()["Base"][0]):
            c: int = 0
    with pytest.raises(TypeError, match="record type or instance"):
        rec.fields(Other)
    with pytest.raises(TypeError, match="record instances"):
        rec.replace(Other())


def test_one_exec_per_class(monkeypatch):
    calls = []

    def counted(*args):
        calls.append(args[0])
        return exec(*args)

    monkeypatch.setattr(rec, "exec", counted, raising=False)
    _ours()
    assert len(calls) == len(NAMES)


def test_importing_record_loads_nothing_heavy():
    probe = "import sys, helm_vnp.base.record; print(' '.join(sorted(sys.modules)))"  # (json would load re)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "helm_vnp.base.record" in loaded
    assert not loaded & {"dataclasses", "inspect", "ast", "dis", "tokenize", "typing", "re", "types"}


def test_helm_vnp_uses_no_stdlib_dataclass():
    import importlib
    import pkgutil

    import helm_vnp
    found = []
    for info in pkgutil.walk_packages(helm_vnp.__path__, "helm_vnp."):
        module = importlib.import_module(info.name)
        found += [f"{info.name}.{k}" for k, v in vars(module).items()
                  if isinstance(v, type) and "__dataclass_fields__" in v.__dict__]
        assert "dataclasses" not in vars(module), info.name
    assert found == []
