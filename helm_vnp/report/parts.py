"""What several report formats share: a finding's location, the summary line, repository paths."""
from __future__ import annotations

from helm_vnp.base.names import GENERATED_SOURCE


def location(finding) -> str:
    """``file:line`` (or ``file``, or "") of a finding."""
    src = finding.source
    if src.file and src.line:
        return f"{src.file}:{src.line}"
    return src.file


def summary_line(report) -> str:
    """``3 errors, 1 warning, 0 info in 125 objects (release kps, namespace monitoring)``."""
    c = report.counts()["bySeverity"]

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"
    objects = n(report.objects, "object")
    return (f"{n(c['error'], 'error')}, {n(c['warning'], 'warning')}, {n(c['info'], 'info')} in {objects} "
            f"(release {report.release}, namespace {report.namespace})")


# sources that are no file in the repository: a code-scanning location must not point at them
PSEUDO_FILES = ("<stdin>", "--set", "--set-string", "--set-json", GENERATED_SOURCE)


def repo_path(file: str) -> str | None:
    """A finding's file as code scanning wants it: relative to the working directory (the checkout)
    when inside it, else absolute; None for pseudo sources (stdin, --set flags, vnp's own objects)."""
    import os

    if not file or file in PSEUDO_FILES or file.startswith("<"):
        return None
    if not os.path.isabs(file):
        return os.path.normpath(file).replace(os.sep, "/")
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel.replace(os.sep, "/")
