"""The wrappers (`helm vnp template|install|upgrade`) in the environments they meet (issue 13, item 15),
on the real Helm 4 and Helm 3: a HELM_BIN that prints bytes that are not UTF-8, a TMPDIR mounted noexec,
values files that can be read only once (`-f /dev/stdin`, `-f <(sops -d ...)`), and a --set the wrapper
cannot parse that holds a chart's secret.  Each is correct output, or a message and exit 2; never a
traceback, never a value of the user's echoed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.helmkit import DEMO_CHART, DEMO_VALUES, helm_binary

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
pytestmark = pytest.mark.skipif(not (BIN / "helm-vnp").exists(), reason="the package is not installed in .venv")
SECRET = "S3cr3t-Pa55word"


def clean(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text[-1500:]
    return text


def homes(tmp: Path, major: int, **extra) -> dict:
    """An environment for `helm-vnp` running helm MAJOR in homes of its own."""
    env = {"PATH": "/usr/bin:/bin", "VNP_NO_CACHE": "1", "HOME": str(tmp), "HELM_BIN": str(helm_binary(major))}
    env.update({f"HELM_{h}_HOME": str(tmp / f"h{major}" / h.lower()) for h in ("DATA", "CONFIG", "CACHE")})
    return {**env, **extra}


def wrapper(args: list, env: dict, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([str(BIN / "helm-vnp"), *map(str, args)], capture_output=True, env=env, timeout=300, **kw)


def kinds(stdout: bytes) -> list[str]:
    return sorted(line.split(":", 1)[1].strip() for line in stdout.decode().splitlines() if line.startswith("kind:"))


@pytest.fixture(params=[4, 3], ids=["helm4", "helm3"])
def major(request) -> int:
    helm_binary(request.param)  # skips without the binary
    return request.param


# -- a HELM_BIN that prints bytes that are not UTF-8 ------------------------------------------------------------

def test_helm_bin_printing_latin1_still_works(tmp_path, major):
    """A helm wrapper script whose version line is not UTF-8: vnp reads its output as bytes."""
    fake = tmp_path / "helm"
    fake.write_bytes(b'#!/bin/sh\nif [ "$1" = version ]; then printf "v%d.0.0+caf\\351\\n"; exit 0; fi\n'
                     b'exec %s "$@"\n' % (major, str(helm_binary(major)).encode()))
    fake.chmod(0o755)
    proc = wrapper(["template", "shop", DEMO_CHART, "-f", DEMO_VALUES], homes(tmp_path, major, HELM_BIN=str(fake)))
    clean(proc.stderr)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "NetworkPolicy" in kinds(proc.stdout)


@pytest.mark.parametrize("prints", [b"\\377\\376 garbage", b"v\\377.1"], ids=["help", "version"])
def test_helm_bin_printing_garbage_is_a_message(tmp_path, prints):
    fake = tmp_path / "helm"
    fake.write_bytes(b'#!/bin/sh\nprintf "%s\\n"\n' % prints)
    fake.chmod(0o755)
    proc = wrapper(["template", "shop", DEMO_CHART], homes(tmp_path, 4, HELM_BIN=str(fake)))
    text = clean(proc.stderr)
    assert proc.returncode == 2 and proc.stdout == b"", text
    assert str(fake) in text


# -- TMPDIR mounted noexec ----------------------------------------------------------------------------------------

@pytest.fixture
def noexec_tmp(tmp_path):
    """A tmpfs mounted noexec (needs root and a kernel that lets us mount)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a noexec tmpfs")
    where = tmp_path / "noexec"
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", str(where)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        probe = where / "probe"
        probe.write_text("#!/bin/sh\nexit 0\n")
        probe.chmod(0o755)
        try:
            subprocess.run([str(probe)], check=True)
            pytest.skip("the noexec mount still executes files")
        except PermissionError:
            pass
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_tmpdir_mounted_noexec(tmp_path, major, noexec_tmp):
    """Helm 3 was handed a post-renderer script in TMPDIR to execute: `permission denied` on a noexec
    TMPDIR.  Now nothing there is executed (Helm 3 runs /bin/sh SCRIPT), under either Helm."""
    proc = wrapper(["template", "shop", DEMO_CHART, "-f", DEMO_VALUES], homes(tmp_path, major, TMPDIR=str(noexec_tmp)))
    clean(proc.stderr)
    assert proc.returncode == 0, proc.stderr.decode()
    assert kinds(proc.stdout).count("NetworkPolicy") == 1
    assert list(noexec_tmp.iterdir()) == [noexec_tmp / "probe"]  # and nothing left behind


# -- no value of the user's in a message ------------------------------------------------------------------------

@pytest.mark.parametrize("flags", [
    ["--set", f"db.password={SECRET},policies.networkPolicy"],  # the issue's case: plain Helm does not echo it
    ["--set", f"db.password=p4ss,{SECRET}"],  # a comma in a password: its tail reads as a key
    ["--set", f"db.password={SECRET}", "--set", "policies.networkPolicy.enabled"],
    ["--set-string", f"db[0]{SECRET}=1"],
    ["--set-json", f'db={{"password": "{SECRET}"'],
    ["--set-literal", f"policies.networkPolicy.labels.team={SECRET}"],
    ["--set-file", f"db.password=/nowhere,policies.networkPolicy.labels.team=/{SECRET}"],
    ["-f", "{bad}"],
], ids=["set-then-bare-key", "comma-in-password", "two-sets", "set-string-index", "set-json", "set-literal",
        "set-file", "values-file"])
def test_no_value_is_echoed(tmp_path, major, flags):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"db:\n  password: {SECRET}\n  user: {{name: \"{SECRET}\n  \tx: [\n"
                   "policies:\n  networkPolicy: {}\n")
    argv = ["template", "shop", DEMO_CHART, *[f.replace("{bad}", str(bad)) for f in flags]]
    proc = wrapper(argv, homes(tmp_path, major))
    text = clean(proc.stderr)
    assert proc.returncode == 2, text  # vnp refuses before Helm runs (Helm's own message would quote some)
    assert SECRET not in text and SECRET.encode() not in proc.stdout, text
    assert text.startswith("error: ") and "--set" in text or "-f" in flags, text


# -- values files that can be read only once ---------------------------------------------------------------------

PIPED = DEMO_VALUES.read_text().replace("web:\n  replicas: 3\n", "web:\n  replicas: 5\n")


def both_read_the_pipe(stdout: bytes) -> None:
    """vnp read the piped values (its NetworkPolicy carries their label) and so did Helm (5 replicas)."""
    text = stdout.decode()
    assert text.count("\nkind: NetworkPolicy\n") == 1 and "team: shop" in text, text[-2000:]
    assert "\n  replicas: 5\n" in text, text[-2000:]


@pytest.mark.parametrize("how", ["-f /dev/stdin", "-f -", "--values=/dev/stdin", "-f <(cat)"])
def test_values_from_a_pipe_reach_vnp_and_helm(tmp_path, major, how):
    """Plain Helm reads `-f /dev/stdin` or `-f <(sops -d f)`; vnp read the pipe first and Helm got
    nothing (or no such file: the descriptor was not passed on).  Now vnp reads it once and hands Helm
    and the post-renderer the same bytes, from a private copy removed afterwards."""
    env = homes(tmp_path, major, TMPDIR=str(tmp_path))
    script = f'exec {BIN}/helm-vnp template shop {DEMO_CHART} {how} --set web.port=8081'
    proc = subprocess.run(["bash", "-c", script], input=PIPED.encode(), capture_output=True, env=env, timeout=300)
    clean(proc.stderr)
    assert proc.returncode == 0, proc.stderr.decode()
    both_read_the_pipe(proc.stdout)
    assert not list(tmp_path.glob("helm-vnp-*")), "the copies are removed"


def test_lint_reads_a_piped_values_file_once(tmp_path):
    """lint reads the config and runs `helm template`: both get the pipe's bytes (the chart requires a
    value only the piped file gives)."""
    chart = tmp_path / "needs"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: needs\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: {{ required \"x!\" .Values.x | quote }}\n")
    env = homes(tmp_path, 4)
    script = f'exec {BIN}/helm-vnp lint {chart} -f <(cat) --format json'
    piped = b"x: from-the-pipe\npolicies:\n  networkPolicy:\n    enabled: true\n"
    proc = subprocess.run(["bash", "-c", script], input=piped, capture_output=True, env=env, timeout=300)
    clean(proc.stderr)
    assert proc.returncode == 0, proc.stderr.decode()
    summary = json.loads(proc.stdout)["summary"]
    assert summary["objects"] == 1 and summary["generated"] >= 1, summary


def test_endless_values_file_stops_at_the_limit(tmp_path, major):
    """`-f /dev/zero` grew past 4 GB; reading now stops one byte past the limit, with a message naming
    the file and the limit."""
    import time

    start = time.monotonic()
    proc = wrapper(["template", "shop", DEMO_CHART, "-f", "/dev/zero"], homes(tmp_path, major, VNP_MAX_VALUES_MB="8"))
    text = clean(proc.stderr)
    assert proc.returncode == 2 and proc.stdout == b"", text
    assert "/dev/zero" in text and "8 MiB" in text and "VNP_MAX_VALUES_MB" in text, text
    assert time.monotonic() - start < 60
