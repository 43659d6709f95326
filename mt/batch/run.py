"""One batch: releases read, translated through mt.pipeline.translate_release with the
model calls on an executor, written whole, and summed up in a table."""

from __future__ import annotations

import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mt.batch.inputs import Job, job_format, state
from mt.crashpoints import crash_point
from mt.engines.executors import (
    EngineSpec,
    Executor,
    InProcessExecutor,
    ProcessPoolExecutorBackend,
    RemoteEngine,
)
from mt.engines.ray_actors import RayExecutor
from mt.errors import InputError, OutputError
from mt.io import recover_interrupted_writes, write_files_atomically
from mt.output import output_files
from mt.pipeline import apply_decisions, translate_release
from mt.progress import Bar
from mt.release import drafts_locked, prepare
from mt.tm import TranslationMemory
from mt.types import FuzzyMatch, GlossaryEntry, MemoryHit, Prepared, Translation


def make_executor(spec: EngineSpec, jobs: int | None, ray_address: str | None) -> Executor:
    if ray_address:
        return RayExecutor(spec, ray_address, jobs)
    if jobs and jobs > 1:
        return ProcessPoolExecutorBackend(spec, jobs)
    return InProcessExecutor(spec)


# -- progress ------------------------------------------------------------------------

class BatchProgress:
    """One bar over sentences x languages for the whole batch (mt.progress.Bar, only on
    a terminal), releases done in its description. Thread-safe."""

    def __init__(self, total: int, releases: int, enabled: bool) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._releases = releases
        self._bar = Bar(total, f"translating, releases 0/{releases}") if enabled else None

    def advance(self, n: int) -> None:
        if self._bar is not None and n > 0:
            with self._lock:
                self._bar.update(n)

    def release_done(self) -> None:
        with self._lock:
            self._done += 1
            if self._bar is not None:
                self._bar.set_description(f"translating, releases {self._done}/{self._releases}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _ReleaseBar:
    """The pipeline's progress sink for one release, feeding the batch bar."""

    def __init__(self, batch: BatchProgress) -> None:
        self.batch = batch
        self.count = 0

    def __call__(self, total: int, desc: str) -> _ReleaseBar:
        return self

    def update(self, n: int = 1) -> None:
        self.count += n
        self.batch.advance(n)

    def close(self) -> None:
        pass


# -- the batch -----------------------------------------------------------------------

@dataclass
class Row:
    """One line of the summary."""

    file: str
    status: str  # done | skipped | failed | not done
    sentences: int = 0
    qa_errors: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass
class Settings:
    targets: list[str]
    fmt: str | None  # --format; None: each release's own (see job_format)
    entries: list[GlossaryEntry]
    memory_key: str
    open_memory: Callable[[], TranslationMemory | None]  # one per release (SQLite per thread)
    meta: dict[str, Any]
    force: bool = False
    progress: bool = False
    signature: str = ""  # engine and model, recorded on new memory units
    accept_changes: bool = False  # .docx tracked changes read as accepted (else the release fails)


@dataclass
class Summary:
    rows: list[Row] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def qa_errors(self) -> int:
        return sum(r.qa_errors for r in self.rows)




class _Memory:
    """The memory as translate_release uses it, plus a crash point after each write."""

    def __init__(self, inner: TranslationMemory) -> None:
        self._inner = inner

    def lookup_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[MemoryHit | None]:
        return self._inner.lookup_many(sources, src, tgt, key)

    def fuzzy_many(self, sources: Sequence[str], src: str, tgt: str, limit: int = 3, cutoff: float = 75.0,
                   origins: Sequence[str] = ("machine", "human")) -> list[list[FuzzyMatch]]:
        return self._inner.fuzzy_many(sources, src, tgt, limit, cutoff, origins)

    def put_many(self, sources: Sequence[str], targets: Sequence[str], src: str, tgt: str, key: str,
                 creator: str = "", records: Sequence[Translation] | None = None) -> None:
        self._inner.put_many(sources, targets, src, tgt, key, creator, records)
        with _WRITES_SEEN:  # release threads count in one sequence
            crash_point("batch-tm-written")


_WRITES_SEEN = threading.Lock()
_WRITES = threading.Lock()
_STOPPED = threading.Event()


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold Ctrl-C back while a release's files are moved into place (the main thread
    is the one Python delivers it to); it takes effect right after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _translate_one(job: Job, prepared: Prepared, settings: Settings, executor: Executor,
                   bar: BatchProgress) -> Row:
    start = time.perf_counter()
    opened = settings.open_memory()
    memory = _Memory(opened) if opened is not None else None
    release_bar = _ReleaseBar(bar)
    try:
        result = translate_release(prepared, settings.targets, lambda: RemoteEngine(executor),
                                   settings.entries, memory, settings.memory_key, progress=release_bar,
                                   signature=settings.signature)
        with drafts_locked(job.stem):  # a translator saving in `mt review` waits, and is kept
            result = apply_decisions(result, opened, settings.entries)
            files = output_files(result, job.stem, job_format(job, settings.fmt), {"input": job.path, **settings.meta})
            with _WRITES, _no_interrupt():  # after Ctrl-C no new release is written; one being written is finished
                if _STOPPED.is_set():
                    raise KeyboardInterrupt
                write_files_atomically(files)
    finally:
        if opened is not None:
            opened.close()
    bar.advance(len(result.segments) * len(settings.targets) - release_bar.count)
    bar.release_done()
    errors = sum(f.severity == "error" for f in result.findings)
    return Row(job.path, "done", len(result.segments), errors, time.perf_counter() - start)


def run_batch(jobs: Sequence[Job], settings: Settings, executor: Executor) -> Summary:
    """Translate `jobs`; finished releases are skipped, a release that cannot be read or
    written is reported and the rest go on. An engine or model error stops the batch
    (it would fail every release). Ctrl-C stops it; what is written is whole."""
    began = time.perf_counter()
    summary = Summary()
    rows: dict[str, Row] = {}
    todo: list[tuple[Job, Prepared]] = []
    for folder in sorted({job.stem.parent for job in jobs}):
        recover_interrupted_writes(folder)  # a release killed while its files moved: undone, so todo
    for job in jobs:
        found = state(job, settings.targets, settings.fmt, settings.force)
        if found == "finished":
            rows[job.path] = Row(job.path, "skipped", message="outputs exist")
            continue
        if found == "partial":
            rows[job.path] = Row(job.path, "failed", message=str(OutputError(
                "some outputs exist", file=str(job.stem) + ".*", hint="use --force to overwrite them")))
            continue
        try:
            todo.append((job, prepare(job.path, settings.accept_changes)))
        except InputError as exc:
            rows[job.path] = Row(job.path, "failed", message=str(exc))
    total = sum(len(p.segments) for _, p in todo) * len(settings.targets)
    bar = BatchProgress(total, len(todo), settings.progress)
    _STOPPED.clear()
    try:
        if todo:
            executor.connect()
        if executor.workers <= 1:
            _sequential(todo, settings, executor, bar, rows)
        else:
            _threaded(todo, settings, executor, bar, rows)
    except KeyboardInterrupt:
        summary.interrupted = True
        _STOPPED.set()
        if _WRITES.acquire(timeout=30):  # let a release being written finish (it is whole)
            _WRITES.release()
    finally:
        bar.close()
        try:
            executor.close()
        except KeyboardInterrupt:  # a second Ctrl-C while shutting down
            summary.interrupted = True
    summary.rows = [rows.get(job.path) or Row(job.path, "not done") for job in jobs]
    summary.seconds = time.perf_counter() - began
    return summary


Todo = list[tuple[Job, Prepared]]


def _sequential(todo: Todo, settings: Settings, executor: Executor, bar: BatchProgress,
                rows: dict[str, Row]) -> None:
    # In the main thread, so Ctrl-C interrupts the model at once.
    for job, prepared in todo:
        rows[job.path] = _guarded(job, prepared, settings, executor, bar)


def _guarded(job: Job, prepared: Prepared, settings: Settings, executor: Executor, bar: BatchProgress) -> Row:
    start = time.perf_counter()
    try:
        return _translate_one(job, prepared, settings, executor, bar)
    except (InputError, OutputError) as exc:  # this release's own fault; the rest go on
        return Row(job.path, "failed", len(prepared.segments), 0, time.perf_counter() - start, str(exc))


def _threaded(todo: Todo, settings: Settings, executor: Executor, bar: BatchProgress,
              rows: dict[str, Row]) -> None:
    """A few releases in flight per worker: while one waits for the model, another is
    matched, checked or written. Daemon threads, so Ctrl-C does not wait for them."""
    work: queue.Queue[tuple[Job, Prepared]] = queue.Queue()
    for item in todo:
        work.put(item)
    results: queue.Queue[tuple[Job, Row | None, BaseException | None]] = queue.Queue()
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            try:
                job, prepared = work.get_nowait()
            except queue.Empty:
                return
            try:
                results.put((job, _guarded(job, prepared, settings, executor, bar), None))
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                results.put((job, None, exc))

    threads = [threading.Thread(target=worker, daemon=True, name=f"mt-batch-{i}")
               for i in range(min(len(todo), 2 * executor.workers))]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(todo)):
            while True:
                try:
                    job, row, exc = results.get(timeout=0.2)
                    break
                except queue.Empty:
                    continue
            if exc is not None:
                raise exc
            assert row is not None
            rows[job.path] = row
    finally:
        stop.set()


# -- summary -------------------------------------------------------------------------

def render_summary(summary: Summary) -> str:
    """The table printed at the end: file, status, sentences, QA errors, seconds."""
    header = ("file", "status", "sentences", "QA errors", "seconds")
    lines = [(r.file, r.status, str(r.sentences), str(r.qa_errors), f"{r.seconds:.1f}") for r in summary.rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*header), *(fmt.format(*line) for line in lines)]
    out += [f"{r.file}: {r.message}" for r in summary.rows if r.status == "failed"]
    tail = (f"{summary.count('done')} translated, {summary.count('skipped')} skipped (outputs exist), "
            f"{summary.count('failed')} failed, {summary.qa_errors} QA errors, {summary.seconds:.1f} s")
    if summary.interrupted:
        tail += f"; interrupted: {summary.count('not done')} not done (run the same command again to resume)"
    return "\n".join(out + [tail]) + "\n"


def exit_code(summary: Summary, strict: bool) -> int:
    if summary.interrupted:
        return 130
    if summary.count("failed"):
        return 2
    return 1 if strict and summary.qa_errors else 0
