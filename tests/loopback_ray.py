"""A Ray cluster on loopback, node by node as operators start one: `ray start --head
--block` and `ray start --address HEAD --block`, each a process in a session of its own,
every port chosen free. For tests/test_ray_cluster.py and eval/bench_ray.py.

Only the processes started here are ever stopped, by their ids (never `ray stop`, which
stops every Ray on the machine). Ray's workers run in sessions of their own, so a node's
processes are found as the descendants of its `ray start` in /proc, collected before
any of them is killed. Linux only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = children_of(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@dataclass
class Node:
    """A `ray start --block` process in its own session, and what it started."""

    proc: subprocess.Popen
    log: Path
    address: str = ""  # the head's: ray://127.0.0.1:PORT
    gcs_port: int = 0  # the head's

    def processes(self) -> set[int]:
        # Ray's workers run in sessions of their own: the process group alone misses them.
        return {self.proc.pid} | descendants(self.proc.pid)

    def node_id(self) -> str:
        for pid in self.processes():
            try:
                args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if args and args[0].endswith(b"/raylet"):
                return next(a for a in args if a.startswith(b"--node_id=")).decode().partition("=")[2]
        raise AssertionError("no raylet under this node")

    def kill(self) -> None:
        """SIGKILL this node's processes, by their ids (collected before the first dies)."""
        for pid in sorted(self.processes()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM first (ray start --block stops its children), then SIGKILL what is left."""
        pids = self.processes()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)


def start_node(args: list[str], env: dict[str, str], log: Path) -> Node:
    handle = log.open("wb")
    proc = subprocess.Popen([str(RAY), "start", "--block", "--disable-usage-stats", *args], env=env,
                            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    handle.close()
    return Node(proc, log)


def wait_started(*nodes: Node) -> None:
    """Until each node's `ray start` says it runs (a worker's waits for the head's GCS)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    for node in nodes:
        while b"Ray runtime started" not in node.log.read_bytes():
            if node.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"ray start did not start:\n{node.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)


def node_ports() -> list[str]:
    """Every port a node opens, chosen free (several nodes on one machine, other Rays beside)."""
    names = ("node-manager-port", "object-manager-port", "metrics-export-port", "dashboard-agent-grpc-port",
             "dashboard-agent-listen-port", "runtime-env-agent-port")
    return [arg for name in names for arg in (f"--{name}", str(free_port()))]


def start_cluster(root: Path, nodes: int, env: dict[str, str], node_env: list[dict[str, str]] | None = None,
                  cpus: int = 1) -> list[Node]:
    """A head and `nodes - 1` workers, started together (a worker's `ray start` waits for
    the head's GCS), `cpus` CPUs and 80 MiB of object store each, Ray's files under `root`
    (keep it short: Ray's socket paths must stay under 107 bytes). Call wait_started on
    them before use, and stop() on each in the end.

    Set GRPC_ENABLE_FORK_SUPPORT=0 in `env`: the head's Ray client proxy forks a server per
    client while its gRPC threads run, and with gRPC's fork handlers skipped that server
    now and then dies at birth (seen with Ray 2.60 on a loaded 2-core machine)."""
    gcs, client = free_port(), free_port()
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", str(cpus), "--object-store-memory", str(80 * 2**20)]
    extra = node_env or [{}] * nodes
    head = start_node(["--head", "--port", str(gcs), "--ray-client-server-port", str(client),
                       "--include-dashboard", "false", "--temp-dir", str(root / "ray"), *common, *node_ports()],
                      {**env, **extra[0]}, root / "head.log")
    head.address, head.gcs_port = f"ray://127.0.0.1:{client}", gcs
    workers = [start_node(["--address", f"127.0.0.1:{gcs}", *common, *node_ports()], {**env, **extra[i]},
                          root / f"worker{i}.log") for i in range(1, nodes)]
    return [head, *workers]
