"""`--ray`: Ray actors that each load the model once and translate sentence batches
with their own threads. Ray is imported only when an executor is made (it is the
optional `ray` extra)."""

from __future__ import annotations

import logging
import os
import queue
import signal
from pathlib import Path
from types import ModuleType
from typing import Any

from mt.engines.base import Engine
from mt.engines.executors import EngineSpec, Executor, Reply, answer, unpack
from mt.errors import ModelError, MtError
from mt.types import EngineResult

RAY_HINT = "pip install 'mt[ray]'"
# Environment the workers need to see as the driver does (offline hub, caches, test hooks).
FORWARDED_ENV = ("HF_HUB_OFFLINE", "HF_HOME", "HF_HUB_CACHE", "TRANSFORMERS_OFFLINE", "TRANSFORMERS_VERBOSITY",
                 "MT_MODEL", "MT_TEST_KILL_ACTOR_ONCE")


class Translator:
    """A Ray actor: loads the model once, translates sentence batches with its own threads.

    Test hook (tests/test_batch_ray.py): MT_TEST_KILL_ACTOR_ONCE=FLAGFILE: the first call
    that finds no FLAGFILE creates it and SIGKILLs its own process (a worker crash in the
    middle of a release)."""

    def __init__(self, spec: EngineSpec, env: dict[str, str]) -> None:
        os.environ.update(env)
        self._error = ""
        self._engine: Engine | None = None
        try:
            self._engine = spec.load()
        except MtError as exc:  # kept so the driver can print it as one line
            self._error = str(exc)

    def pid(self) -> int:
        return os.getpid()

    def translate_many(self, sentences: list[str], src: str, tgts: list[str]) -> Reply:
        flag = os.environ.get("MT_TEST_KILL_ACTOR_ONCE")
        if flag and not os.path.exists(flag):
            Path(flag).write_text(str(os.getpid()), encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
        return answer(self._engine, self._error, sentences, src, tgts)


def import_ray() -> ModuleType:
    """ray, or a one-line error saying how to install it."""
    try:
        import ray  # optional extra: only `--ray` needs it
    except ImportError:
        raise MtError("--ray needs Ray, which is not installed", hint=RAY_HINT) from None
    return ray


def check_ray_address(address: str) -> str:
    """'local' (a Ray on this machine), 'auto' (the cluster this machine belongs to),
    ray://HOST:PORT (Ray client) or HOST:PORT."""
    if address in ("local", "auto") or "://" in address:
        return address
    host, _, port = address.rpartition(":")
    if host and port.isdigit():
        return address
    raise MtError(f"'{address}' is not a Ray address",
                  hint="use --ray (a local Ray), --ray=auto, --ray=ray://HOST:10001 or --ray=HOST:6379; "
                       "put --ray after the files")


class RayExecutor(Executor):
    """Ray actors, each loading the model once with `threads` CPU threads. A call whose
    actor dies is retried by Ray on the restarted actor (max_restarts/max_task_retries);
    an actor that stays dead is dropped and the call goes to another."""

    RETRIES = 3

    def __init__(self, spec: EngineSpec, address: str, actors: int | None) -> None:
        super().__init__()
        self._ray = import_ray()
        self.address = check_ray_address(address)
        self.threads = spec.options.threads or 1
        self.spec = spec.with_threads(self.threads)
        self._wanted = actors
        self._owns = False
        self._idle: queue.Queue[Any] = queue.Queue()
        self._alive = 0
        # Threads the driver needs to keep every actor busy (set before the actors exist).
        self.workers = actors or max(1, (os.cpu_count() or 1) // self.threads)

    def connect(self) -> None:
        ray = self._ray
        if not ray.is_initialized():
            self._init()
        # One actor per `threads` CPUs of the cluster; never more than fit, since an actor
        # waiting for CPUs that never come would hold its calls forever.
        fit = max(1, int(ray.cluster_resources().get("CPU", 1)) // self.threads)
        self.workers = min(self._wanted or fit, fit)

    def _init(self) -> None:
        """Start a local Ray or join a cluster (a Ray the caller started is used as it is)."""
        ray = self._ray
        kwargs: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
        if self.address == "local":
            kwargs["include_dashboard"] = False
        try:
            ray.init(address=self.address, **kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise MtError(f"cannot reach Ray at {self.address}: {str(exc).splitlines()[0]}",
                          hint="start it with `ray start --head`, or check the address") from None
        self._owns = True

    def _start(self) -> None:
        ray = self._ray
        env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        actor = ray.remote(num_cpus=self.threads, max_restarts=self.RETRIES,
                           max_task_retries=self.RETRIES)(Translator)
        for _ in range(self.workers):
            self._idle.put(actor.remote(self.spec, env))
        self._alive = self.workers

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        ray = self._ray
        while True:
            handle = self._idle.get()
            try:
                reply = ray.get(handle.translate_many.remote(sentences, src, tgts))
            except ray.exceptions.RayActorError:
                with self._lock:
                    self._alive -= 1
                    if self._alive <= 0:
                        raise ModelError("every Ray translation actor died",
                                         hint="check the workers' logs (ray logs); run again to resume") from None
                continue  # the dead actor is not put back; another one takes the call
            self._idle.put(handle)
            return unpack(reply)

    def ready(self) -> None:
        """Wait until every actor has loaded its model (benchmarks time that apart)."""
        handles = list(self._idle.queue)
        self._ray.get([h.pid.remote() for h in handles])

    def close(self) -> None:
        if not self._ray.is_initialized():
            return
        if self._owns:
            self._ray.shutdown()
            return
        # A Ray we did not start (a cluster, or the caller's): free the actors' CPUs now.
        while not self._idle.empty():
            self._ray.kill(self._idle.get_nowait())
