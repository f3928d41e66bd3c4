"""The values flags of one command line, as one value: what the config is read from.

``-f`` files, ``--set``, ``--set-string``, ``--set-json``, ``--vnp-values`` (files vnp reads and
Helm never sees) and the bytes ``-f -`` stands for travel together, from the command line that
gave them to the config loader, the linter and the Helm client.  What is computed from them is
computed here once: the files the config is read from (in precedence order), the flags handed
on to helm and to the post-renderer, and which files cannot be read.
"""
from __future__ import annotations

import os

from helm_vnp.base.errors import Problem


def env_values() -> list[str]:
    """$VNP_VALUES: values files (``:``-separated) under every -f, the base of the config wherever it is read."""
    return [v for v in os.environ.get("VNP_VALUES", "").split(os.pathsep) if v]


def is_local(path: str) -> bool:
    """A values file on disk: not ``-`` (standard input) and not a URL (Helm fetches those itself)."""
    return path != "-" and "://" not in path


class ValuesInput:
    """The values flags: ``files`` (-f, in order; ``-`` is standard input), ``sets``, ``set_strings``,
    ``set_jsons``, ``vnp_files`` (--vnp-values), ``stdin`` (the bytes ``-`` reads, once read) and
    ``env`` (whether $VNP_VALUES is the base under them: everywhere but ``validate`` and ``generate``)
    and ``once`` (the bytes of the files that can be read only once, see ``read_once``).

    A plain class, not a dataclass: the post-renderer builds one on every install, and importing
    ``dataclasses`` would add to its start-up.
    """

    __slots__ = ("files", "sets", "set_strings", "set_jsons", "vnp_files", "stdin", "env", "once")

    def __init__(self, files=(), sets=(), set_strings=(), set_jsons=(), vnp_files=(),
                 stdin: bytes | None = None, env: bool = True):
        self.files: list[str] = list(files)
        self.sets: list[str] = list(sets)
        self.set_strings: list[str] = list(set_strings)
        self.set_jsons: list[str] = list(set_jsons)
        self.vnp_files: list[str] = list(vnp_files)
        self.stdin = stdin
        self.env = env
        self.once: dict = {}  # path -> bytes (or the OSError reading them raised)

    def __eq__(self, other) -> bool:
        return isinstance(other, ValuesInput) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __repr__(self) -> str:
        return "ValuesInput(" + ", ".join(f"{a}={getattr(self, a)!r}" for a in self.__slots__) + ")"

    @property
    def reads_stdin(self) -> bool:
        """Whether ``-f -`` is given (the command must read standard input into ``stdin``)."""
        return "-" in self.files

    def read_once(self) -> None:
        """Read into ``once`` every config file that can be read only once: a pipe (``-f <(sops -d f)``,
        ``-f /dev/stdin`` from a pipe), a character device, a socket.  vnp, Helm and the post-renderer
        each need the bytes and only the first reader would get them: they are read here, once (and
        bounded, see ``sources.read_limited``), and every reader is given these bytes."""
        import stat

        from helm_vnp.config.sources import read_limited

        for v in self.config_files():
            if not is_local(v) or v in self.once:
                continue
            try:
                mode = os.stat(v).st_mode
            except OSError:
                continue  # missing, or not allowed: said where the file is read
            if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
                continue
            try:
                with open(v, "rb") as fh:
                    self.once[v] = read_limited(fh)
            except OSError as exc:  # reported where the file is read (read_file_bytes raises it again)
                self.once[v] = exc

    def given(self) -> dict:
        """The bytes of the values files read already, by the name they were given: ``-`` (standard
        input) and those in ``once``; what a command hands Helm as files of its own."""
        read = {k: v for k, v in self.once.items() if isinstance(v, bytes)}
        if self.reads_stdin:
            read["-"] = self.stdin if self.stdin is not None else b""
        return read

    def config_files(self) -> list[str]:
        """What the config is read from, lowest precedence first: $VNP_VALUES (the base, unless ``env``
        is off), --vnp-values, then -f (as the post-renderer reads them)."""
        return (env_values() if self.env else []) + self.vnp_files + self.files

    def set_flags(self) -> list[tuple[str, str]]:
        """The --set* flags as (flag, argument) in the order Helm applies them."""
        from helm_vnp.config.sources import set_flags

        return set_flags(self.sets, self.set_strings, self.set_jsons)

    def helm_flags(self) -> list[str]:
        """The flags helm is given: ``--values F`` for each -f file (``-`` as is), then ``--set=…``,
        ``--set-string=…``, ``--set-json=…``; never --vnp-values (helm does not see those)."""
        args = []
        for v in self.files:
            args += ["--values", v]
        return args + self._set_args()

    def postrender_flags(self, saved: dict | None = None) -> list[str]:
        """The flags the post-renderer is given: ``-f F`` for each --vnp-values and -f file (absolute:
        helm runs it elsewhere; one in ``saved`` -- ``-`` and the files read once -- as the file its
        bytes were saved to; URLs as they are), then the --set* flags.  Not $VNP_VALUES: the
        post-renderer reads the environment itself."""
        from pathlib import Path

        saved = saved or {}
        args = []
        for v in self.vnp_files + self.files:
            args += ["-f", saved[v] if v in saved else str(Path(v).resolve()) if is_local(v) else v]
        return args + self._set_args()

    def unreadable(self) -> list[Problem]:
        """A located problem for each config file (``config_files``) that cannot be read; ``-`` and
        URLs pass (standard input, and what Helm fetches)."""
        problems = []
        for v in self.config_files():
            if isinstance(self.once.get(v), OSError):
                problems.append(Problem(f"cannot read the values file: {self.once[v].strerror or self.once[v]}",
                                        file=v, path="--values"))
                continue
            if not is_local(v) or v in self.once or (os.path.isfile(v) and os.access(v, os.R_OK)):
                continue
            message = ("values file not found" if not os.path.exists(v)
                       else "is a directory, not a values file" if os.path.isdir(v)
                       else "cannot read the values file")
            problems.append(Problem(message, file=v, path="--values"))
        return problems

    def _set_args(self) -> list[str]:
        return ([f"--set={s}" for s in self.sets] + [f"--set-string={s}" for s in self.set_strings]
                + [f"--set-json={s}" for s in self.set_jsons])
