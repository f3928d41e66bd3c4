"""Start and stop the test control plane (testinfra/cluster): ``python tools/cluster.py up|down [--dir DIR]``.

``up`` builds the binary when missing (tools/build_go.py: a cold build takes minutes), starts it in
the background in DIR (default ``.tools/cluster``), waits until DIR/kubeconfig is written (the API
server is ready and the controllers run) and prints how to use it.  ``down`` stops it (SIGTERM: the
API server shuts down cleanly, then etcd) and waits until it is gone.  Exit 2 when go is missing.
Importable: ``start(dir)`` / ``stop(running)`` (the tests' fixture uses them).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_go  # noqa: E402

DEFAULT_DIR = build_go.ROOT / ".tools" / "cluster"


@dataclass
class Running:
    dir: Path
    pid: int
    kubeconfig: Path
    server: str
    proc: subprocess.Popen | None = None  # when started by this process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _server(kubeconfig: Path) -> str:
    for line in kubeconfig.read_text().splitlines():
        if line.strip().startswith("server:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError(f"{kubeconfig}: no server")


def start(state: Path, timeout: float = 300, detach: bool = False, log=sys.stderr) -> Running:
    """Start the control plane in STATE; returns once STATE/kubeconfig is written.  Raises RuntimeError."""
    binary = build_go.build("cluster", log=log)
    state.mkdir(parents=True, exist_ok=True)
    kubeconfig = state / "kubeconfig"
    kubeconfig.unlink(missing_ok=True)
    with open(state / "cluster.log", "ab") as out:
        proc = subprocess.Popen([str(binary), "-dir", str(state)], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=detach)
    (state / "pid").write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + timeout
    while not kubeconfig.exists():
        if proc.poll() is not None:
            tail = (state / "cluster.log").read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError(f"the control plane exited ({proc.returncode}) before it was ready; "
                               f"{state / 'cluster.log'} ends:\n" + "\n".join(tail))
        if time.monotonic() > deadline:
            stop(Running(state, proc.pid, kubeconfig, "", proc))
            raise RuntimeError(f"the control plane was not ready within {timeout:.0f}s (see {state / 'cluster.log'})")
        time.sleep(0.2)
    return Running(state, proc.pid, kubeconfig, _server(kubeconfig), proc)


def stop(running: Running, timeout: float = 60) -> None:
    """SIGTERM, wait for a clean exit; SIGKILL after TIMEOUT."""
    if _alive(running.pid):
        os.kill(running.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(running.pid) and time.monotonic() < deadline:
            if running.proc is not None and running.proc.poll() is not None:
                break
            time.sleep(0.2)
        if _alive(running.pid):
            os.kill(running.pid, signal.SIGKILL)
    if running.proc is not None:
        running.proc.wait()
    (running.dir / "pid").unlink(missing_ok=True)


def recorded(state: Path) -> Running | None:
    """The instance a previous `up` left running in STATE, if it still runs."""
    try:
        pid = int((state / "pid").read_text())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    kubeconfig = state / "kubeconfig"
    return Running(state, pid, kubeconfig, _server(kubeconfig) if kubeconfig.exists() else "")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="tools/cluster.py", description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=["up", "down"])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = ap.parse_args(argv)
    state = args.dir.resolve()
    if args.action == "down":
        running = recorded(state)
        if running is None:
            print(f"no control plane is running in {state}", file=sys.stderr)
            return 0
        stop(running)
        print(f"stopped the control plane (pid {running.pid})", file=sys.stderr)
        return 0
    if build_go.go() is None:
        print("go is not installed: the test control plane cannot be built", file=sys.stderr)
        return 2
    running = recorded(state)
    if running is None:
        try:
            running = start(state, detach=True)
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 1
        what = "started"
    else:
        what = "already running"
    print(f"Kubernetes v1.37.2 control plane {what} (pid {running.pid}) at {running.server}\n"
          f"  export KUBECONFIG={running.kubeconfig}\n"
          f"  helm vnp install NAME CHART -f values.yaml     # pods are admitted, then stay Pending: no nodes\n"
          f"  make cluster-down                               # stop it (state and log: {state})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
