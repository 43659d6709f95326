"""Where a batch's model calls run: the engine in this process (`--jobs 1`), a pool of
processes that each load the model once (`--jobs N`), or Ray actors (mt.engines.ray_actors).
An executor is thread-safe and starts on first use, so a batch the memory serves
entirely never loads the model. RemoteEngine is what mt.pipeline sees: an Engine whose
translate_many goes to an executor; results (with their notes) come back as they are."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from mt import engines
from mt.engines.base import Engine, EngineOptions
from mt.errors import ModelError, MtError
from mt.types import EngineResult

# What a worker sends back: results per target, or ("error", one line) for the driver.
Reply = dict[str, list[EngineResult]] | tuple[str, str]


@dataclass(frozen=True)
class EngineSpec:
    """What a worker needs to load the same engine as the driver would."""

    model: str
    engine: str
    options: EngineOptions

    def load(self) -> Engine:
        return engines.load_engine(self.model, self.engine, self.options)  # looked up late: tests patch it

    def with_threads(self, threads: int) -> EngineSpec:
        return replace(self, options=replace(self.options, threads=threads))


class Executor:
    """Runs engine.translate_many somewhere."""

    workers = 1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False
        self._failed: BaseException | None = None

    def translate_many(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        with self._lock:
            if self._failed is not None:  # other threads of the batch: the same error, no second start
                raise self._failed
            if not self._started:
                try:
                    self._start()
                except BaseException as exc:
                    self._failed = exc
                    raise
                self._started = True
        return self._call(sentences, src, tgts)

    def connect(self) -> None:
        """Called in the main thread before the first release (Ray wants that)."""

    def _start(self) -> None:
        pass

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def answer(engine: Engine | None, error: str, sentences: list[str], src: str, tgts: list[str]) -> Reply:
    """A worker's reply: the engine's results, or its error as one line (MtError's
    keyword fields do not pickle)."""
    if engine is None:
        return "error", error
    try:
        return engine.translate_many(sentences, src, tgts)
    except MtError as exc:
        return "error", str(exc)


def unpack(reply: Reply) -> dict[str, list[EngineResult]]:
    if isinstance(reply, tuple):
        raise ModelError(reply[1])
    return reply


class InProcessExecutor(Executor):
    """The engine in this process (`--jobs 1`): what `mt translate FILE` does."""

    def __init__(self, spec: EngineSpec) -> None:
        super().__init__()
        self.spec = spec
        self._engine: Engine | None = None

    def _start(self) -> None:
        self._engine = self.spec.load()

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        assert self._engine is not None  # _start ran
        return self._engine.translate_many(sentences, src, tgts)


_WORKER_ENGINE: Engine | None = None


def _pool_init(spec: EngineSpec) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = spec.load()


def _pool_call(sentences: list[str], src: str, tgts: list[str]) -> Reply:
    return answer(_WORKER_ENGINE, "the model did not load", sentences, src, tgts)


class ProcessPoolExecutorBackend(Executor):
    """`--jobs N`: N processes, each loading the model once, each with its own threads."""

    def __init__(self, spec: EngineSpec, jobs: int) -> None:
        super().__init__()
        self.spec = spec.with_threads(spec.options.threads or max(1, (os.cpu_count() or 1) // jobs))
        self.workers = jobs
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> None:
        # spawn: the driver runs threads, and fork with threads (and torch) is unsafe.
        self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_pool_init, initargs=(self.spec,))

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> dict[str, list[EngineResult]]:
        assert self._pool is not None  # _start ran
        future: Future[Reply] = self._pool.submit(_pool_call, sentences, src, tgts)
        try:
            return unpack(future.result())
        except BrokenProcessPool:
            raise ModelError("a translation worker process died (out of memory, or the model failed to load)",
                             hint="run again to resume; try fewer --jobs or run with --jobs 1 to see the error") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


class RemoteEngine(Engine):
    """What translate_release sees: an engine whose model calls go to an executor."""

    name = "remote"

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        return self._executor.translate_many(list(sentences), src, list(tgts))

    @property
    def signature(self) -> str:
        return "remote"
