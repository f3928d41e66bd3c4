"""Build helmfile once for the helmfile integration test: ``python tools/fetch_helmfile.py``.

``go install github.com/helmfile/helmfile@VERSION`` from the Go module proxy into ``.tools/go/bin/helmfile-VERSION``
(the module and build caches are those of tools/build_go.py, under ``.tools/go``).  A first build downloads a few
hundred MB of modules and compiles for several minutes on 2 cores; later calls print the path at once.  Prints the
binary's path on stdout, progress on stderr.  Exit 2 when ``go`` is missing or the build fails (the test then skips,
saying why).  Importable: ``binary()``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_go  # noqa: E402

VERSION = "v1.8.0"  # the newest v1 the module proxy lists here


def binary() -> Path:
    return build_go.GO_HOME / "bin" / f"helmfile-{VERSION}"


def build() -> Path:
    target = binary()
    if target.exists():
        return target
    go = build_go.go()
    if go is None:
        raise RuntimeError("go is not installed")
    gobin = build_go.GO_HOME / "path" / f"helmfile-{VERSION}"
    env = {**build_go.env(), "GOBIN": str(gobin), "GOFLAGS": "-modcacherw"}
    sys.stderr.write(f"building helmfile {VERSION} with go install (first time: several minutes)...\n")
    start = time.monotonic()
    done = subprocess.run([go, "install", f"github.com/helmfile/helmfile@{VERSION}"], env=env)
    if done.returncode != 0:
        raise RuntimeError(f"go install github.com/helmfile/helmfile@{VERSION} failed (exit {done.returncode})")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(gobin / "helmfile", target)
    sys.stderr.write(f"built {target} in {time.monotonic() - start:.0f} s\n")
    return target


def main() -> int:
    try:
        print(build())
    except RuntimeError as exc:
        sys.stderr.write(f"fetch_helmfile: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
