"""Build helmfile once for the helmfile integration test: ``python tools/fetch_helmfile.py``.

``go install github.com/helmfile/helmfile@VERSION`` from the Go module proxy into ``.tools/go/bin/helmfile-VERSION``
(the module and build caches are those of tools/build_go.py, under ``.tools/go``).  A first build downloads a few
hundred MB of modules (helmfile pulls in Helm 4, Kubernetes and three cloud SDKs) and compiles for a long time: on
2 shared cores it had not finished after 38 minutes and was stopped (the build cache keeps what was compiled, so
a rerun goes on from there); later calls print the path at once.  Prints the
binary's path on stdout, progress on stderr.  Exit 2 when ``go`` is missing or the build fails (the test then skips,
saying why).  Importable: ``binary()``.
"""
from __future__ import annotations

import json
import os
import shutil
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
    env = build_go.env()
    # not `go install M@V`: helmfile's go.mod has replace directives, which only a build inside the module honours
    sys.stderr.write(f"building helmfile {VERSION} from the Go module proxy (first time: tens of minutes)...\n")
    start = time.monotonic()
    got = subprocess.run([go, "mod", "download", "-json", f"github.com/helmfile/helmfile@{VERSION}"], env=env,
                         capture_output=True, text=True)
    if got.returncode != 0:
        raise RuntimeError(f"go mod download github.com/helmfile/helmfile@{VERSION} failed: {got.stderr.strip()}")
    src = build_go.GO_HOME / "path" / f"helmfile-{VERSION}-src"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(json.loads(got.stdout)["Dir"], src)
    for p in [src, *src.rglob("*")]:
        p.chmod(p.stat().st_mode | 0o200)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    done = subprocess.run([go, "build", "-o", str(tmp), "."], cwd=src, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"go build of helmfile {VERSION} failed (exit {done.returncode})")
    os.replace(tmp, target)
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
