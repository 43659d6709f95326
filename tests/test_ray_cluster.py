"""`mt translate DIR --ray=ray://...` against a real Ray cluster on loopback: a head
started as operators do (`ray start --head --block`, token authentication on) and a
second node joining it, each its own process group; mt runs as its own process, as a
user would run it. The outputs are the local run's, byte for byte; killing the second
node in the middle of a run costs nothing but time; wrong token, no token, a closed port
and an unknown host each get their own one-line error, at once.

Everything the nodes write lives in one short folder under /tmp (Ray's socket paths
must stay under 107 bytes), with HOME pointed there too (Ray keeps its token file in
~/.ray). Only the processes this module started are stopped, by their ids; never
`ray stop`, which would stop every Ray on the machine. Skipped without ray installed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback_ray import Node, free_port, start_cluster, wait_started
from test_batch import FAST, all_files, make_archive
from test_models import put_in_cache

from mt.cli import cli
from mt.errors import MtError

pytest.importorskip("ray")

TOKEN = secrets.token_hex(16)
HUB_ID = "mt-test/tiny-nllb"
# A run must not wait for Ray client's own 30 s timeout to say what is wrong.
ERROR_TIMEOUT_S = 25


@dataclass
class Cluster:
    address: str  # ray://127.0.0.1:PORT
    gcs_port: int
    head: Node
    worker: Node
    home: Path  # HOME for mt: no ~/.ray/auth_token there
    hub: Path  # the head's Hugging Face cache (the worker's is empty)


@pytest.fixture(scope="module")
def cluster(trained_nllb) -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="mtray", dir="/tmp"))
    home, hub, empty_hub = root / "home", root / "hub", root / "hub-worker"
    for folder in (home, hub, empty_hub):
        folder.mkdir()
    put_in_cache(hub, HUB_ID, trained_nllb)
    env = {**os.environ, "HOME": str(home), "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": TOKEN,
           "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "RAY_USAGE_STATS_ENABLED": "0",
           "GRPC_ENABLE_FORK_SUPPORT": "0"}  # see loopback_ray.start_cluster
    head, worker = start_cluster(root, 2, env, [{"HF_HUB_CACHE": str(hub)}, {"HF_HUB_CACHE": str(empty_hub)}])
    try:
        wait_started(head, worker)
        yield Cluster(head.address, head.gcs_port, head, worker, home, hub)
    finally:
        worker.stop()
        head.stop()
        shutil.rmtree(root, ignore_errors=True)


def mt_env(cluster: Cluster, **extra: str) -> dict[str, str]:
    """A user's shell: HOME without a token file, no RAY_AUTH_MODE (mt switches it on)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    return {**env, "HOME": str(cluster.home), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", **extra}


def mt(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mt", "translate", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def translate_args(archive: Path, model: str, out: Path, tm: Path, address: str) -> list[str]:
    return [str(archive), "--model", model, "--no-glossary", "--tm", str(tm), "--out", str(out), *FAST,
            f"--ray={address}"]


@pytest.fixture(scope="module")
def archive_and_local(trained_nllb, tmp_path_factory):
    """Three releases (one of three chunks) and what the local batch writes for them."""
    root = tmp_path_factory.mktemp("cluster")
    archive = make_archive(root / "archive", long_sentences=40)
    result = CliRunner().invoke(cli, ["translate", str(archive), "--model", str(trained_nllb), "--no-glossary",
                                      "--tm", str(root / "local.sqlite"), "--out", str(root / "local"), *FAST])
    assert result.exit_code == 0, result.output
    return archive, all_files(root / "local"), memory_units(root / "local.sqlite")


def memory_units(path: Path) -> list[tuple]:
    """The memory's units without their timestamps, sorted."""
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT key, src_lang, tgt_lang, source, target, origin, record FROM units"))


def summary_statuses(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("file "))
    return sorted(line.split()[1] for line in lines[top + 1:top + 4])


def test_two_nodes_with_token_auth_write_what_the_local_run_writes(cluster, archive_and_local, trained_nllb,
                                                                   tmp_path):
    archive, local, local_units = archive_and_local
    out, tm = tmp_path / "out", tmp_path / "tm.sqlite"
    result = mt(translate_args(archive, str(trained_nllb), out, tm, cluster.address),
                mt_env(cluster, RAY_AUTH_TOKEN=TOKEN))
    assert result.returncode == 0, result.stderr
    assert all_files(out) == local and len(local) == 18
    assert memory_units(tm) == local_units
    # Nothing but the summary on stderr: no Python warning, no Ray log line, no token.
    assert summary_statuses(result.stderr) == ["done"] * 3
    assert len(result.stderr.splitlines()) == 5, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert not [name for name, data in all_files(out).items() if TOKEN.encode() in data]
    assert TOKEN.encode() not in tm.read_bytes()


def test_the_token_file_is_read_too(cluster, tmp_path, monkeypatch):
    """`ray get-auth-token > FILE` (with its newline) and RAY_AUTH_TOKEN_PATH=FILE: the head takes it."""
    from mt.engines.ray_connect import find_token, parse_address, probe

    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    for name in ("RAY_AUTH_TOKEN", "RAY_AUTH_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAY_AUTH_TOKEN_PATH", str(token_file))
    token = find_token()
    assert token is not None and token.source == f"RAY_AUTH_TOKEN_PATH ({token_file})"
    assert TOKEN not in repr(token)
    probe(parse_address(cluster.address), token)  # raises when the head refuses it
    token_file.write_text(secrets.token_hex(16))
    with pytest.raises(MtError, match="refused the authentication token from RAY_AUTH_TOKEN_PATH"):
        probe(parse_address(cluster.address), find_token())


@pytest.mark.parametrize(("case", "expected"), [
    ("wrong token", "refused the authentication token from RAY_AUTH_TOKEN"),
    ("no token", "wants an authentication token and none was found"),
    ("closed port", "connection refused, nothing listens on 127.0.0.1:"),
    ("wrong host", "unknown host 'mt-no-such-host.invalid'"),
    ("GCS port for ray://", "is not a Ray client server"),
])
def test_each_connection_fault_is_its_own_line_at_once(cluster, case, expected, tmp_path):
    address = {"closed port": f"ray://127.0.0.1:{free_port()}",  # nothing listens there now
               "wrong host": "ray://mt-no-such-host.invalid:10001",
               "GCS port for ray://": f"ray://127.0.0.1:{cluster.gcs_port}"}.get(case, cluster.address)
    token = {"wrong token": secrets.token_hex(16), "no token": None}.get(case, TOKEN)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "a.kk.txt").write_text("Облыс жаңалықтары\n\nЕртең күн жылы болады.\n", "utf-8")
    env = mt_env(cluster, **({"RAY_AUTH_TOKEN": token} if token else {}))
    # The timeout is the guard: Ray's client would retry for 30 s before saying anything.
    result = mt(translate_args(tmp_path / "archive", "/nonexistent-model", tmp_path / "out", tmp_path / "tm.sqlite",
                               address), env, timeout=ERROR_TIMEOUT_S)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mt: error: "), result.stderr
    assert expected in result.stderr
    assert "RAY_AUTH_TOKEN" in result.stderr or case in ("closed port", "wrong host", "GCS port for ray://")
    assert token is None or token not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_node_without_the_model_is_named(cluster, archive_and_local, tmp_path):
    """The model as a hub id: in the head's cache, not in the worker's. mt names the worker."""
    archive, _, _ = archive_and_local
    env = mt_env(cluster, RAY_AUTH_TOKEN=TOKEN, HF_HUB_CACHE=str(cluster.hub))
    result = mt(translate_args(archive, HUB_ID, tmp_path / "out", tmp_path / "tm.sqlite", cluster.address), env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "the model did not load on Ray node" in result.stderr
    worker, head = cluster.worker.node_id(), cluster.head.node_id()
    assert f"node id {worker[:12]}" in result.stderr and head[:12] not in result.stderr
    assert HUB_ID in result.stderr and "model must be on every node" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_worker_node_killed_mid_run_costs_nothing_but_time(cluster, archive_and_local, trained_nllb,
                                                              tmp_path):
    """Last in this module: the cluster has one node left afterwards."""
    archive, local, local_units = archive_and_local
    trace, out, tm = tmp_path / "trace", tmp_path / "out", tmp_path / "tm.sqlite"
    trace.mkdir()
    env = mt_env(cluster, RAY_AUTH_TOKEN=TOKEN, MT_TEST_ACTOR_TRACE=str(trace), MT_TEST_ACTOR_DELAY="0.5")
    args = [sys.executable, "-m", "mt", "translate",
            *translate_args(archive, str(trained_nllb), out, tm, cluster.address)]
    run = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        worker_pids = wait_for_a_call_on(cluster.worker, trace, run)
        cluster.worker.kill()  # the node, its raylet and its actor, in the middle of a model call
        stdout, stderr = run.communicate(timeout=240)
    finally:
        if run.poll() is None:
            run.kill()
    assert worker_pids & {int(p.stem) for p in trace.glob("*.calls")}
    assert run.returncode == 0, stderr
    assert summary_statuses(stderr) == ["done"] * 3
    # Every release written once and whole, and the memory has each unit once, whole:
    # exactly what the local run wrote and stored.
    assert all_files(out) == local
    assert memory_units(tm) == local_units
    assert not [p for p in out.rglob("*") if p.name.endswith((".tmp", ".bak"))]


def wait_for_a_call_on(node: Node, trace: Path, run: subprocess.Popen) -> set[int]:
    """Wait until an actor on `node` is inside a model call; its node's process ids."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert run.poll() is None, run.communicate()[1]
        pids = node.processes()
        for calls in trace.glob("*.calls"):
            if int(calls.stem) in pids and calls.read_text().splitlines()[-1:] == ["start"]:
                return pids
        time.sleep(0.05)
    raise AssertionError("no model call on the worker node")


@pytest.mark.parametrize(("text", "kind", "host", "port"), [
    ("ray://head.example:10001", "client", "head.example", 10001),
    ("ray://head.example", "client", "head.example", 10001),
    ("ray://[::1]:20001", "client", "::1", 20001),
    ("10.0.0.5:6379", "gcs", "10.0.0.5", 6379),
    ("auto", "auto", "", 0),
])
def test_addresses(text, kind, host, port):
    from mt.engines.ray_connect import parse_address

    address = parse_address(text)
    assert (address.kind, address.host, address.port) == (kind, host, port)


@pytest.mark.parametrize("text", ["ray://head:port", "http://head:10001", "head", "ray://head:70000", "ray://:10001"])
def test_not_addresses(text):
    from mt.engines.ray_connect import parse_address

    with pytest.raises(MtError, match="is not a Ray address"):
        parse_address(text)
