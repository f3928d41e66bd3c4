"""Which release each object of a rendered input belongs to, so that a file holding several releases is never
examined as one (its objects relabelled with one name, connections reported that do not exist).

An object's release is its ``vnp.helm-plugin.io/release`` label, else its ``app.kubernetes.io/instance`` label
(the convention charts follow).  A stream of one release (or of none that can be told) is examined whole; a
stream of several is examined one release at a time (``--release``), and refused when some of its objects
belong to none of them, since vnp cannot tell whose they are.
"""
from __future__ import annotations

from helm_vnp.base.errors import Problem, VnpError
from helm_vnp.base.names import INSTANCE_LABEL, RELEASE_LABEL
from helm_vnp.stream import Document


def owner(doc: Document) -> str | None:
    """The release ``doc`` carries the label of, or None."""
    raw = doc.raw
    if doc.is_empty or not doc.kind or (RELEASE_LABEL.encode() not in raw and INSTANCE_LABEL.encode() not in raw):
        return None
    labels = doc.labels
    for key in (RELEASE_LABEL, INSTANCE_LABEL):
        value = labels.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _listed(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _named(docs: list[Document]) -> str:
    shown = [f"{d.kind} {d.name or '<unnamed>'}" for d in docs[:3]]
    return ", ".join(shown) + (f" and {len(docs) - 3} more" if len(docs) > 3 else "")


def one_release(docs: list[Document], release: str | None) -> list[Document]:
    """``docs`` when they hold one release's objects; else those of ``release``.  Raises VnpError (exit 2)
    for several releases and no ``release``, a ``release`` that is not among them, or objects of none."""
    owners = {id(d): owner(d) for d in docs}
    names = sorted({o for o in owners.values() if o is not None})
    if len(names) <= 1:
        return docs
    if release is None or release not in names:
        first = {n: next(d for d in docs if owners[id(d)] == n) for n in names}
        shown = names[:2]
        raise VnpError(Problem(
            f"the rendered input holds objects of several releases ({_listed(names)}; e.g. "
            + " and ".join(f"{first[n].kind} {first[n].name or '<unnamed>'} of {n!r}" for n in shown)
            + ")" + ("" if release is None else f", none of them {release!r}")
            + ": vnp examines one release at a time",
            file=first[shown[1]].source, line=first[shown[1]].object_line,
            hint="render each release to its own file, or pick one with --release NAME"))
    stray = [d for d in docs if owners[id(d)] is None and not d.is_empty and d.kind]
    if stray:
        raise VnpError(Problem(
            f"the rendered input holds objects of releases {_listed(names)}, and {len(stray)} that carry neither "
            f"release's label ({_named(stray)}): vnp cannot tell which release they belong to",
            file=stray[0].source, line=stray[0].object_line,
            hint="render each release to its own file"))
    return [d for d in docs if owners[id(d)] == release or d.is_empty]
