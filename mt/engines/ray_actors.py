"""`--ray`: Ray actors that each load the model once and translate sentence batches
with their own threads. Ray is imported only when an executor is made (it is the
optional `ray` extra); reaching a cluster (address, token, quick checks) is
mt.engines.ray_connect.

Actors are not restarted by Ray: an actor that dies (its process, or its whole node) is
dropped, its sentence batch goes to another actor, and a replacement is started only
where the cluster has a free CPU for it, and used once it has loaded the model. (Ray's
own restart would wait forever for CPUs a dead node took with it.) A batch is only ever
answered once, and only the driver writes the memory and the files, so a dead node
costs time, never a duplicate or a half-written release.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import threading
import time
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

from mt.engines.base import Engine
from mt.engines.executors import EngineSpec, Executor, Reply, answer, unpack
from mt.engines.ray_connect import RayAddress, find_token, parse_address, probe, use_token
from mt.errors import ModelError, MtError
from mt.types import EngineResult

RAY_HINT = "pip install 'mt[ray]'"
# Environment every actor sees as the driver does: offline switches and test hooks.
FORWARDED_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TRANSFORMERS_VERBOSITY",
                 "MT_TEST_KILL_ACTOR_ONCE", "MT_TEST_ACTOR_TRACE", "MT_TEST_ACTOR_DELAY")
# Only for a Ray on this machine: where the driver keeps models. A cluster's nodes
# keep theirs where their own environment says (the model must be on each node).
LOCAL_ONLY_ENV = ("HF_HOME", "HF_HUB_CACHE", "MT_MODEL")
PLACEMENT_WAIT_S = 120.0  # how long a batch waits for a replacement actor when none is left


class Translator:
    """A Ray actor: loads the model once, translates sentence batches with its own threads.

    Test hooks (tests/test_batch_ray.py, tests/test_ray_cluster.py):
    MT_TEST_KILL_ACTOR_ONCE=FLAGFILE: the call that creates FLAGFILE (the first)
    SIGKILLs its own process (a worker crash in the middle of a release);
    MT_TEST_ACTOR_TRACE=DIR: each call appends "start"/"end" to DIR/<pid>.calls;
    MT_TEST_ACTOR_DELAY=SECONDS: each call sleeps that long first (a slow model)."""

    def __init__(self, spec: EngineSpec, env: dict[str, str]) -> None:
        os.environ.update(env)
        self._error = ""
        self._engine: Engine | None = None
        try:
            self._engine = spec.load()
        except MtError as exc:  # kept so the driver can print it as one line, naming this node
            self._error = str(exc)

    def pid(self) -> int:
        return os.getpid()

    def where(self) -> tuple[str, str]:
        """(this node as an operator finds it, the model's load error or "")."""
        import ray  # in the actor's process

        node = ray.get_runtime_context().get_node_id()
        label = f"{ray.util.get_node_ip_address()} ({socket.gethostname()}, node id {node[:12]})"
        return label, self._error

    def translate_many(self, sentences: list[str], src: str, tgts: list[str]) -> Reply:
        flag = os.environ.get("MT_TEST_KILL_ACTOR_ONCE")
        if flag:
            try:  # created atomically: of two actors called at once, one dies
                handle = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.write(handle, str(os.getpid()).encode())
                os.close(handle)
                os.kill(os.getpid(), signal.SIGKILL)
        self._trace("start")
        time.sleep(float(os.environ.get("MT_TEST_ACTOR_DELAY") or 0))
        reply = answer(self._engine, self._error, sentences, src, tgts)
        self._trace("end")
        return reply

    @staticmethod
    def _trace(event: str) -> None:
        folder = os.environ.get("MT_TEST_ACTOR_TRACE")
        if folder:
            with open(Path(folder) / f"{os.getpid()}.calls", "a", encoding="utf-8") as handle:
                handle.write(event + "\n")


def import_ray() -> ModuleType:
    """ray, or a one-line error saying how to install it."""
    try:
        import ray  # optional extra: only `--ray` needs it
    except ImportError:
        raise MtError("--ray needs Ray, which is not installed", hint=RAY_HINT) from None
    return ray


def check_ray_address(address: str) -> str:
    """The address if it is one (see mt.engines.ray_connect.parse_address), else a one-line error."""
    return parse_address(address).text


def node_model(model: str) -> str:
    """The model as the nodes must find it: a folder here becomes an absolute path (an
    actor's working folder is Ray's, not the driver's); a hub id stays as it is."""
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


class RayExecutor(Executor):
    """Ray actors, each loading the model once with `threads` CPU threads. A call whose
    actor dies goes to another actor (see the module's docstring)."""

    def __init__(self, spec: EngineSpec, address: str, actors: int | None) -> None:
        super().__init__()
        self._ray = import_ray()
        self.target: RayAddress = parse_address(address)
        self.address = self.target.text
        self.threads = spec.options.threads or 1
        self.spec = EngineSpec(node_model(spec.model), spec.engine, spec.options).with_threads(self.threads)
        self._wanted = actors
        self._owns = False
        self._idle: queue.Queue[Any] = queue.Queue()
        self._pool = threading.Lock()  # _alive, _pending, _replacements
        self._alive = 0
        self._pending: list[tuple[Any, Any]] = []  # replacements still loading: (actor, its where() ref)
        self._replacements = 0
        self._actor_class: Any = None
        self._env: dict[str, str] = {}
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
        if self.target.kind != "local":
            token = find_token()
            probe(self.target, token)  # seconds, not Ray client's 30 s, for the faults we can see
            use_token(token)
        kwargs: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
        if self.target.kind == "local":
            kwargs["include_dashboard"] = False
        auth_error = getattr(ray.exceptions, "AuthenticationError", ())
        try:
            try:
                self._ray_init(kwargs)
            except ConnectionAbortedError:
                # The head's client proxy could not start this client's server (it happens
                # now and then under load); a second try usually gets one.
                ray.shutdown()
                self._ray_init(kwargs)
        except auth_error as exc:
            raise MtError(f"Ray at {self.address} refused to authenticate: {str(exc).split('.')[0]}",
                          hint="give mt the head's token: RAY_AUTH_TOKEN=\"$(ray get-auth-token)\" "
                               "(run that on the head), or RAY_AUTH_TOKEN_PATH=FILE") from None
        except (ConnectionError, RuntimeError, ValueError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise MtError(f"cannot reach Ray at {self.address}: {first}",
                          hint="start it with `ray start --head`, or check the address") from None
        self._owns = True

    def _ray_init(self, kwargs: dict[str, Any]) -> None:
        with warnings.catch_warnings():  # Ray's client warns on stderr; our errors say it in one line
            warnings.simplefilter("ignore")
            self._ray.init(address=self.address, **kwargs)

    # -- actors ----------------------------------------------------------------------

    def _start(self) -> None:
        ray = self._ray
        self._env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        if self.target.kind == "local":
            self._env |= {k: os.environ[k] for k in LOCAL_ONLY_ENV if k in os.environ}
        # No restarts by Ray: see the module's docstring.
        self._actor_class = ray.remote(num_cpus=self.threads, max_restarts=0, max_task_retries=0)(Translator)
        actors = [self._actor_class.remote(self.spec, self._env) for _ in range(self.workers)]
        try:
            places = ray.get([a.where.remote() for a in actors])
        except ray.exceptions.RayActorError:
            raise ModelError("a Ray translation actor died while loading the model",
                             hint="check the nodes' memory and logs (ray logs); run again to resume") from None
        self._check_model(places)
        for actor in actors:
            self._idle.put(actor)
        self._alive = len(actors)

    def _check_model(self, places: list[tuple[str, str]]) -> None:
        """The model must load on every node an actor landed on; name the ones where it did not."""
        failed = {node: error for node, error in places if error}
        if failed:
            node, error = next(iter(failed.items()))
            more = f" (and {len(failed) - 1} more node(s))" if len(failed) > 1 else ""
            raise ModelError(f"the model did not load on Ray node {node}{more}: {error}",
                             hint="the model must be on every node: the same folder path, or the hub id "
                                  "in each node's Hugging Face cache (mt models download there)")

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        ray = self._ray
        while True:
            if not ray.is_initialized():  # closed: Ray would start a new local one for this call
                raise ModelError("Ray was shut down while releases were still being translated",
                                 hint="run again to resume")
            actor = self._take()
            try:
                reply = ray.get(actor.translate_many.remote(sentences, src, tgts))
            except ray.exceptions.RayActorError:  # died, or its node did: the batch goes to another
                self._lost(actor)
                continue
            self._idle.put(actor)
            return unpack(reply)

    def _take(self) -> Any:
        """An idle actor; waits while all are busy, fails when none is left."""
        waited_alone = 0.0
        while True:
            self._promote_replacements()
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                pass
            self._replace()
            with self._pool:
                alive, pending = self._alive, len(self._pending)
            if alive == 0:
                waited_alone += 0.5
                if not pending or waited_alone > PLACEMENT_WAIT_S:
                    raise ModelError("every Ray translation actor died",
                                     hint="check the nodes (ray status) and their logs; run again to resume")

    def _lost(self, actor: Any) -> None:
        """Drop a dead actor, freeing its CPUs (its node may live on), and try to replace it."""
        try:
            self._ray.kill(actor)
        except Exception:  # noqa: BLE001 - already gone with its node
            pass
        with self._pool:
            self._alive -= 1
        self._replace()

    def _replace(self) -> None:
        """Start one replacement actor when fewer than wanted are alive or loading and the
        cluster has a free CPU for it (the CPUs of a dead node are gone; a dead process's
        come back in a moment). A few per actor at most: actors that keep dying are not
        started again and again."""
        with self._pool:
            if self._alive + len(self._pending) >= self.workers or self._replacements >= 3 * self.workers:
                return
            if self._ray.available_resources().get("CPU", 0) < self.threads:
                return
            self._replacements += 1
            actor = self._actor_class.remote(self.spec, self._env)
            self._pending.append((actor, actor.where.remote()))

    def _promote_replacements(self) -> None:
        """Replacements that have loaded the model join the idle actors; failed ones are dropped."""
        with self._pool:
            if not self._pending:
                return
            pending, self._pending = self._pending, []
        ray = self._ray
        ready, _ = ray.wait([ref for _, ref in pending], num_returns=len(pending), timeout=0)
        keep = []
        for actor, ref in pending:
            if ref not in ready:
                keep.append((actor, ref))
                continue
            try:
                _, error = ray.get(ref)
            except ray.exceptions.RayActorError:
                continue
            if error:  # landed on a node without the model: not used
                ray.kill(actor)
                continue
            with self._pool:
                self._alive += 1
            self._idle.put(actor)
        with self._pool:
            self._pending.extend(keep)

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
        with self._pool:
            pending, self._pending = self._pending, []
        for actor in [*(a for a, _ in pending), *iter_queue(self._idle)]:
            self._ray.kill(actor)


def iter_queue(items: queue.Queue[Any]) -> list[Any]:
    out = []
    while not items.empty():
        out.append(items.get_nowait())
    return out
