"""Provide a headless Chromium for the tests of ``graph --format html``: ``python tools/fetch_chromium.py``.

Prints the path of a working Chromium on stdout (progress on stderr); exit 2 when none can be had (the
tests that need it then skip, saying why; ``make test`` goes on).  In order:

1. ``$CHROMIUM`` (a path), then ``chromium``/``chromium-browser``/``google-chrome`` on PATH, then the one
   fetched before into ``.tools/chromium`` (``$VNP_CHROMIUM_DIR`` elsewhere) - each only when it really
   runs a page (Ubuntu's ``chromium-browser`` is a shim for a snap that may not run in a container).
2. Otherwise, on Debian and derivatives: Debian's ``chromium`` package and the libraries this machine
   lacks, as ``apt-get`` would install them (``apt-get -s install --no-install-recommends chromium``), are
   downloaded with ``apt-get download`` and unpacked with ``dpkg -x`` into ``.tools/chromium/root``; a
   wrapper ``.tools/chromium/chromium`` runs it with ``LD_LIBRARY_PATH`` set.  No root needed, nothing
   installed on the system (as root, ``apt-get update`` runs first when the package lists are missing).

Importable: ``find()`` returns a working binary or None, without fetching (the tests use it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = '<html><body><script>document.body.setAttribute("data-probe","ran")</script></body></html>'


def home() -> Path:
    return Path(os.environ.get("VNP_CHROMIUM_DIR") or ROOT / ".tools" / "chromium")


def works(binary: str) -> bool:
    """True when ``binary`` loads a local page headless and runs its script."""
    with tempfile.TemporaryDirectory(prefix="vnp-chromium-probe-") as tmp:
        page = Path(tmp) / "probe.html"
        page.write_text(PROBE)
        try:
            proc = subprocess.run([binary, *flags(tmp), "--dump-dom", page.as_uri()], capture_output=True,
                                  text=True, timeout=90)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return 'data-probe="ran"' in proc.stdout


def flags(profile: str) -> list[str]:
    """The command-line flags for a headless run in a container (no sandbox: often no user namespaces)."""
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            f"--user-data-dir={profile}"]


def candidates() -> list[str]:
    out = []
    if os.environ.get("CHROMIUM"):
        out.append(os.environ["CHROMIUM"])
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            out.append(found)
    wrapper = home() / "chromium"
    if wrapper.exists():
        out.append(str(wrapper))
    return out


def find() -> str | None:
    for c in candidates():
        if works(c):
            return c
    return None


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def _missing_packages(log) -> list[str]:
    """The packages ``apt-get install chromium`` would install here (chromium and what this machine lacks)."""
    def simulate():
        return _run(["apt-get", "-s", "-q", "install", "--no-install-recommends", "chromium"],
                    env={**os.environ, "LC_ALL": "C"})
    proc = simulate()
    if proc.returncode != 0 and os.geteuid() == 0:
        print("apt-get update (the package lists do not know chromium yet)", file=log, flush=True)
        _run(["apt-get", "update", "-q"])
        proc = simulate()
    if proc.returncode != 0:
        reason = (proc.stderr.strip() or proc.stdout.strip())[-400:]
        raise RuntimeError(f"apt-get cannot resolve the chromium package: {reason}")
    return [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("Inst ")]


def fetch(log=sys.stderr) -> str:
    """Download and unpack Debian's chromium into ``home()``; returns the wrapper.  Raises RuntimeError."""
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        raise RuntimeError("no chromium on PATH and no apt-get/dpkg to fetch Debian's chromium package")
    packages = _missing_packages(log)
    if "chromium" not in packages:
        raise RuntimeError("apt-get would not install chromium here (is it a snap shim, or held?)")
    dest = home()
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".chromium-", dir=dest.parent))
    try:
        debs, root = work / "debs", work / "root"
        debs.mkdir()
        print(f"downloading {len(packages)} packages (chromium and the libraries this machine lacks)",
              file=log, flush=True)
        proc = _run(["apt-get", "download", "-q", *packages], cwd=debs)
        if proc.returncode != 0:
            raise RuntimeError("apt-get download failed: " + proc.stderr.strip()[-400:])
        for deb in sorted(debs.glob("*.deb")):
            proc = _run(["dpkg", "-x", str(deb), str(root)])
            if proc.returncode != 0:
                raise RuntimeError(f"dpkg -x {deb.name} failed: {proc.stderr.strip()[-300:]}")
        shutil.rmtree(debs)
        binary = root / "usr" / "lib" / "chromium" / "chromium"
        if not binary.exists():
            raise RuntimeError("the chromium package holds no usr/lib/chromium/chromium")
        libdirs = sorted({str(p.parent.relative_to(work)) for p in root.rglob("*.so*") if p.is_file()})
        path = ":".join(f'"$here/{d}"' for d in libdirs)
        wrapper = work / "chromium"
        wrapper.write_text("#!/bin/sh\n# Debian's chromium unpacked by tools/fetch_chromium.py\n"
                           'here="$(cd "$(dirname "$0")" && pwd)"\n'
                           f'LD_LIBRARY_PATH={path}${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}\n'
                           'export LD_LIBRARY_PATH\n'
                           'exec "$here/root/usr/lib/chromium/chromium" "$@"\n')
        wrapper.chmod(0o755)
        if not works(str(wrapper)):
            raise RuntimeError("the unpacked chromium does not run a page (a library missing?)")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(work, dest)
        return str(dest / "chromium")
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    found = find()
    if found is None:
        try:
            found = fetch()
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            print(f"no headless chromium: {e} (the tests of graph --format html skip)", file=sys.stderr)
            return 2
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
