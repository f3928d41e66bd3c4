#!/usr/bin/env python3
"""Build the signed Helm plugin archive: dist/vnp-<version>.tgz and its provenance file .tgz.prov.

    python3 tools/package_plugin.py --key 'Your Name <you@example.org>' [--keyring ~/.gnupg/secring.gpg]
    python3 tools/package_plugin.py --no-sign   # unsigned: Helm 4 installs it only with --verify=false
    make plugin-package KEY='Your Name <you@example.org>'

The archive is the only plugin source Helm 4 can verify (a git URL cannot be: it needs --verify=false). Users then run
`helm plugin install ./vnp-<version>.tgz --keyring pubring.gpg` (the .prov file beside the archive, locally or on the
same HTTP path).

Why not `helm plugin package .` on the checkout: it packs every file of the directory (.venv, .tools, caches) and
writes symbolic links with an empty target, which Helm's own installer then refuses ("unknown type" for
helm_vnp/config/vnp.schema.json). So the plugin's files (tracked and new, not ignored: `git ls-files`) are staged in
a temporary directory first, links replaced by the files they point to, and that directory is packaged with
`helm plugin package` of Helm 4 (Helm 3 has no such command).

Signing: Helm reads the legacy GnuPG keyring format, not GnuPG 2.1's keybox. Export the secret key once:
    gpg --export-secret-keys 'Your Name' > ~/.gnupg/secring.gpg
and publish the public key (`gpg --export 'Your Name' > pubring.gpg`) for users' --keyring.

Exit codes: 0 built, 2 a usage problem or a failed step (the message says which).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
# what the installed plugin needs: its manifests, launchers and install hook, the package and what pip needs to
# install it (pyproject.toml, README.md as its readme), the schema editors reference, and the docs
PLUGIN_PATHS = ("plugin.yaml", "pyproject.toml", "README.md", "MANIFEST.in", "bin", "vnp-postrender", "helm_vnp",
                "schema", "docs")
SKIP_SUFFIXES = (".pyc", ".png")  # docs/img: pictures are for the web page, not the plugin


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"package_plugin: error: {message}\n")
    raise SystemExit(2)


def plugin_version(root: Path = ROOT) -> str:
    match = re.search(r"^version:\s*([^\s#]+)", (root / "plugin.yaml").read_text(), flags=re.M)
    if not match:
        fail(f"{root / 'plugin.yaml'}: no version line")
    return match.group(1).strip("'\"")


def find_helm4(given: str | None) -> str:
    candidates = [given] if given else [str(ROOT / ".tools" / "bin" / "helm4"), "helm4", "helm"]
    for candidate in candidates:
        path = candidate if os.sep in candidate else shutil.which(candidate)
        if not path or not os.access(path, os.X_OK):
            continue
        proc = subprocess.run([path, "version", "--short"], capture_output=True, text=True, timeout=60)
        if proc.returncode == 0 and proc.stdout.startswith("v4."):
            return path
        if given:
            fail(f"--helm {given} is not Helm 4 (it says {proc.stdout.strip() or proc.stderr.strip()!r}); "
                 "`helm plugin package` is a Helm 4 command")
    if given:
        fail(f"--helm {given}: no such executable")
    fail("no Helm 4 found (.tools/bin/helm4, helm4 or helm on PATH; `make tools` fetches one); or give --helm PATH")


def plugin_files(root: Path = ROOT) -> list[str]:
    proc = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "--", *PLUGIN_PATHS], cwd=root,
                          capture_output=True)
    if proc.returncode != 0:
        fail(f"git ls-files failed in {root} (a git checkout is needed): {proc.stderr.decode(errors='replace')}")
    return sorted(rel for rel in proc.stdout.decode().split("\0")
                  if rel and "__pycache__" not in rel and not rel.endswith(SKIP_SUFFIXES))


def stage(root: Path, dest: Path) -> Path:
    """Copy the plugin's files into dest/helm-vnp, symlinks dereferenced, exec bits kept."""
    target = dest / "helm-vnp"
    for rel in plugin_files(root):
        src = root / rel
        if not src.exists():  # deleted in the worktree, or a dangling link
            if src.is_symlink():
                fail(f"{src} is a link to nothing ({os.readlink(src)})")
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target / rel, follow_symlinks=True)
    for needed in ("plugin.yaml", "bin/vnp", "bin/install-hook", "vnp-postrender/plugin.yaml",
                   "helm_vnp/config/vnp.schema.json"):
        if not (target / needed).is_file():
            fail(f"{needed} is missing from the staged plugin")
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build the (signed) Helm plugin archive vnp-<version>.tgz.")
    ap.add_argument("--key", help="name of the GnuPG key to sign with (as `gpg --list-secret-keys` shows it)")
    ap.add_argument("--keyring", type=Path, default=Path.home() / ".gnupg" / "secring.gpg",
                    help="the secret keyring in legacy format (default: ~/.gnupg/secring.gpg)")
    ap.add_argument("--passphrase-file", help="a file holding the key's passphrase ('-': stdin)")
    ap.add_argument("--no-sign", action="store_true", help="no provenance file (Helm 4 then needs --verify=false)")
    ap.add_argument("--destination", "-d", type=Path, default=ROOT / "dist", help="where to write (default: dist/)")
    ap.add_argument("--helm", help="the Helm 4 binary (default: .tools/bin/helm4, helm4 or helm on PATH)")
    args = ap.parse_args(argv)

    if not args.no_sign:
        if not args.key:
            fail("--key NAME is needed to sign (or --no-sign for an archive Helm 4 installs only with --verify=false)")
        if not args.keyring.is_file():
            fail(f"--keyring {args.keyring}: no such file (export it: gpg --export-secret-keys "
                 f"{args.key!r} > {args.keyring})")
    helm = find_helm4(args.helm)
    version = plugin_version()
    args.destination.mkdir(parents=True, exist_ok=True)
    archive = args.destination / f"vnp-{version}.tgz"
    for stale in (archive, archive.with_name(archive.name + ".prov")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="helm-vnp-package-") as tmp:
        staged = stage(ROOT, Path(tmp))
        command = [helm, "plugin", "package", str(staged), "--destination", str(args.destination)]
        if args.no_sign:
            command.append("--sign=false")
        else:
            command += ["--sign", "--key", args.key, "--keyring", str(args.keyring)]
            if args.passphrase_file:
                command += ["--passphrase-file", args.passphrase_file]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        fail(f"helm plugin package failed: {proc.stderr.strip() or proc.stdout.strip()}")
    if not archive.is_file():
        fail(f"helm plugin package did not write {archive}: {proc.stdout.strip()}")
    sys.stdout.write(f"{archive}\n")
    if not args.no_sign:
        sys.stdout.write(f"{archive}.prov\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
