"""Build the Go test tools under ``testinfra/`` once: ``python tools/build_go.py [decoder] [cluster]``.

``decoder`` is the Go YAML/JSON decoder the differential tests compare vnp with; ``cluster`` is a
Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager v1.37.2 in one process) for
the tests under tests/cluster.

Each tool is built into ``.tools/go/bin/NAME-HASH`` where HASH covers its go.mod, go.sum and
sources, so a changed source builds anew and an unchanged one never rebuilds (``.tools`` may be
shared between worktrees: the hash keeps them apart).  The module and build caches live under
``.tools/go/`` too.  Prints the binary's path on stdout; progress goes to stderr.  Exit 2 when
``go`` is not installed.  Importable: ``binary(name)`` / ``build(name)`` (the tests use them).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTINFRA = ROOT / "testinfra"
GO_HOME = ROOT / ".tools" / "go"
TOOLS = ("decoder", "cluster")
# what the first build costs (module download and compile on 2 cores), said before it starts
COST = {"decoder": "about a minute", "cluster": "k8s.io/kubernetes: 15-30 minutes on 2 cores, 700 MB of modules"}


# link flags per tool: the control plane reports the version it was built from (as the release binaries do)
_VERSION = "k8s.io/component-base/version"
LDFLAGS = {"cluster": f"-X {_VERSION}.gitVersion=v1.37.2 -X {_VERSION}.gitMajor=1 -X {_VERSION}.gitMinor=37 "
                      f"-X {_VERSION}.gitTreeState=clean"}


def go() -> str | None:
    return shutil.which("go") or next((p for p in ("/usr/local/go/bin/go",) if os.access(p, os.X_OK)), None)


def source_hash(name: str) -> str:
    src = TESTINFRA / name
    h = hashlib.sha256(LDFLAGS[name].encode() + b"\0" if name in LDFLAGS else b"")
    files = sorted(p for p in src.rglob("*") if p.is_file() and (p.suffix == ".go" or p.name in ("go.mod", "go.sum")))
    for p in files:
        h.update(str(p.relative_to(src)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def binary(name: str = "decoder") -> Path:
    """Where the build of the current sources is (it may not exist yet)."""
    return GO_HOME / "bin" / f"{name}-{source_hash(name)}"


def env() -> dict:
    return {**os.environ, "GOMODCACHE": str(GO_HOME / "mod"), "GOCACHE": str(GO_HOME / "cache"),
            "GOPATH": str(GO_HOME / "path"), "GOFLAGS": "-mod=readonly -modcacherw", "GOTOOLCHAIN": "local",
            "GOWORK": "off", "CGO_ENABLED": "0"}


def build(name: str = "decoder", log=sys.stderr) -> Path:
    """Build ``name`` unless this source hash is built already; returns the binary.  Raises RuntimeError."""
    out = binary(name)
    if out.exists():
        return out
    exe = go()
    if exe is None:
        raise RuntimeError("go is not installed (needed to build the test oracle testinfra/%s)" % name)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}")
    print(f"building testinfra/{name} -> {out.relative_to(ROOT)} (a first build downloads modules and compiles: "
          f"{COST.get(name, 'minutes')})", file=log, flush=True)
    proc = subprocess.Popen([exe, "build", "-v", "-trimpath", *(["-ldflags", LDFLAGS[name]] if name in LDFLAGS else []),
                             "-o", str(tmp), "."], cwd=TESTINFRA / name, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    start, count, tail = time.monotonic(), 0, []
    for line in proc.stdout:  # -v names each package as it is compiled: a count every 100 is the progress
        count += 1
        tail = (tail + [line])[-40:]
        if count % 100 == 0:
            print(f"  {name}: {count} packages compiled, {time.monotonic() - start:.0f}s", file=log, flush=True)
    if proc.wait() != 0:
        tmp.unlink(missing_ok=True)
        log.write("".join(tail))
        raise RuntimeError(f"go build of testinfra/{name} failed (exit {proc.returncode})")
    print(f"  {name}: {count} packages, {time.monotonic() - start:.0f}s", file=log, flush=True)
    os.replace(tmp, out)  # atomic: a concurrent build of the same sources writes the same bytes
    print(f"built {out.relative_to(ROOT)}", file=log, flush=True)
    return out


def main(argv: list[str]) -> int:
    names = argv or list(TOOLS)
    if go() is None:
        print("go is not installed: the Go test oracle cannot be built (tests that need it skip)", file=sys.stderr)
        return 2
    for name in names:
        try:
            print(build(name))
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
