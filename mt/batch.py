"""Many releases at once: `mt translate DIR/`, many files, `--jobs N`, `--ray [ADDRESS]`.

The driver (this process) finds the releases, skips the finished ones, reads and segments
the rest, and runs mt.pipeline.translate_release for each, so glossary matching,
enforcement, QA and the translation memory work exactly as for one release. Only the
model calls go to an executor: the engine in this process (`--jobs 1`), a pool of
processes that each load the model once (`--jobs N`), or Ray actors that each load the
model once (`--ray`). The driver alone opens the SQLite memory and writes every output
(mt.io.write_files_atomically), so a local run and a Ray run give the same files for the
same model and options, and SQLite is never shared over a network.

Resuming: every chunk of sentences goes into the memory as soon as it is translated
(mt.pipeline), and a release's files are written together or not at all, so after a
kill -9 the same command skips the releases whose outputs exist, and a release that was
half done is served from the memory as far as it had got.

Test hooks (used by tests/test_batch.py): the crash point "batch-tm-written" of
mt.crashpoints (MT_TEST_CRASH_AT=batch-tm-written:N kills the driver with SIGKILL right
after its N-th committed memory write; N:INT is a Ctrl-C instead), and
MT_TEST_KILL_ACTOR_ONCE=FLAGFILE: the first Ray actor call that finds no
FLAGFILE create it and SIGKILL its own process (a worker crash in the middle of a release).
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mt.crashpoints import crash_point
from mt.engines.base import Engine, EngineOptions
from mt.errors import InputError, ModelError, MtError, OutputError

# Release formats are read by mt.formats; a folder scan takes every suffix they claim.
# Files mt itself writes beside a release: never taken as inputs when a folder is scanned.
OUTPUT_MARKERS = (".de.", ".en.", ".ru.", ".qa.", ".align.")
RAY_HINT = "pip install 'mt[ray]'"
# Environment the workers need to see as the driver does (offline hub, caches, test hooks).
FORWARDED_ENV = ("HF_HUB_OFFLINE", "HF_HOME", "HF_HUB_CACHE", "TRANSFORMERS_OFFLINE", "TRANSFORMERS_VERBOSITY",
                 "MT_MODEL", "MT_TEST_KILL_ACTOR_ONCE")


# --------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Job:
    """One release: its input file and the stem its outputs are written to."""

    path: str
    stem: Path


def is_batch(files: Sequence[str], jobs: int | None, ray_address: str | None) -> bool:
    """A folder, several files, --jobs or --ray: translate as a batch (resumable, summary)."""
    return len(files) > 1 or any(Path(f).is_dir() for f in files if f != "-") or bool(jobs) or bool(ray_address)


def input_suffixes() -> set[str]:
    from mt import formats

    return {suffix for name in formats.names("release") for suffix in formats.get(name).SUFFIXES}


def _looks_like_output(path: Path) -> bool:
    name = path.name
    return any(marker in name for marker in OUTPUT_MARKERS) and not name.endswith((".kk.txt", ".kk.md"))


def discover(args: Sequence[str], out_dir: str | None) -> list[Job]:
    """Releases named by `args` (files, or folders searched recursively for release
    formats, *.txt/*.md, that are not mt's own outputs or hidden), each with its output
    stem. Under --out, a folder's sub-folders are kept so equal names do not collide."""
    from mt.output import output_stem

    suffixes = input_suffixes()
    jobs: list[Job] = []
    for arg in args:
        if arg == "-":
            raise InputError("stdin cannot be part of a batch", hint="give files or a folder")
        root = Path(arg)
        if not root.is_dir():
            jobs.append(Job(arg, output_stem(arg, out_dir)))
            continue
        found = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                       and not any(part.startswith(".") for part in p.relative_to(root).parts)
                       and not _looks_like_output(p))
        for path in found:
            sub = str(Path(out_dir) / path.parent.relative_to(root)) if out_dir else None
            jobs.append(Job(str(path), output_stem(str(path), sub)))
    if not jobs:
        raise InputError("no releases found (*.txt or *.md)", file=args[0] if args else None,
                         hint="give release files or a folder that holds them")
    seen: dict[Path, str] = {}
    for job in jobs:
        if job.stem in seen:
            raise InputError(f"writes to the same outputs as {seen[job.stem]}", file=job.path,
                             hint="rename one of them or translate them with different --out folders")
        seen[job.stem] = job.path
    return jobs


# --------------------------------------------------------------------------- executors

class Executor:
    """Runs engine.translate_many somewhere; thread-safe; started on first use so a
    batch served entirely by the memory never loads the model."""

    workers = 1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def translate_many(self, sentences: list[str], src: str, tgts: list[str]) -> tuple[dict[str, list[str]], list]:
        """(translations per target, the engine's notes for this call)."""
        with self._lock:
            if not self._started:
                self._start()
                self._started = True
        return self._call(sentences, src, tgts)

    def connect(self) -> None:
        """Called in the main thread before the first release (Ray wants that)."""

    def _start(self) -> None:
        pass

    def _call(self, sentences: list[str], src: str, tgts: list[str]) -> tuple[dict[str, list[str]], list]:
        raise NotImplementedError

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class EngineSpec:
    """What a worker needs to load the same engine as the driver would."""

    model: str
    engine: str
    options: EngineOptions


def _load(spec: EngineSpec) -> Engine:
    from mt.engines import load_engine

    return load_engine(spec.model, spec.engine, spec.options)


def _notes_since(engine: Engine, seen: int) -> list:
    notes = getattr(engine, "notes", [])
    return list(notes[seen:])


class InProcessExecutor(Executor):
    """The engine in this process (`--jobs 1`): what `mt translate FILE` does."""

    def __init__(self, spec: EngineSpec) -> None:
        super().__init__()
        self.spec = spec
        self._engine: Engine | None = None

    def _start(self) -> None:
        self._engine = _load(self.spec)

    def _call(self, sentences, src, tgts):
        seen = len(getattr(self._engine, "notes", []))
        out = self._engine.translate_many(sentences, src, tgts)
        return out, _notes_since(self._engine, seen)


_WORKER_ENGINE: Engine | None = None


def _pool_init(spec: EngineSpec) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = _load(spec)


def _pool_call(sentences: list[str], src: str, tgts: list[str]):
    seen = len(getattr(_WORKER_ENGINE, "notes", []))
    try:
        out = _WORKER_ENGINE.translate_many(sentences, src, tgts)
    except MtError as exc:  # one line for the driver; MtError's keyword fields do not pickle
        return "error", str(exc)
    return out, _notes_since(_WORKER_ENGINE, seen)


class ProcessPoolExecutorBackend(Executor):
    """`--jobs N`: N processes, each loading the model once, each with its own threads."""

    def __init__(self, spec: EngineSpec, jobs: int) -> None:
        super().__init__()
        threads = spec.options.threads or max(1, (os.cpu_count() or 1) // jobs)
        self.spec = EngineSpec(spec.model, spec.engine, _with_threads(spec.options, threads))
        self.workers = jobs
        self._pool = None

    def _start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: the driver runs threads, and fork with threads (and torch) is unsafe.
        self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_pool_init, initargs=(self.spec,))

    def _call(self, sentences, src, tgts):
        from concurrent.futures.process import BrokenProcessPool

        try:
            result = self._pool.submit(_pool_call, sentences, src, tgts).result()
        except BrokenProcessPool:
            raise ModelError("a translation worker process died (out of memory, or the model failed to load)",
                             hint="run again to resume; try fewer --jobs or run with --jobs 1 to see the error") from None
        if result[0] == "error":
            raise ModelError(result[1])
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _with_threads(options: EngineOptions, threads: int) -> EngineOptions:
    from dataclasses import replace

    return replace(options, threads=threads)


class _Translator:
    """A Ray actor: loads the model once, translates sentence batches with its own threads."""

    def __init__(self, spec: EngineSpec, env: dict[str, str]) -> None:
        os.environ.update(env)
        self._error = ""
        try:
            self._engine = _load(spec)
        except MtError as exc:  # kept so the driver can print it as one line
            self._engine, self._error = None, str(exc)

    def pid(self) -> int:
        return os.getpid()

    def translate_many(self, sentences: list[str], src: str, tgts: list[str]):
        flag = os.environ.get("MT_TEST_KILL_ACTOR_ONCE")
        if flag and not os.path.exists(flag):
            Path(flag).write_text(str(os.getpid()), encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
        if self._engine is None:
            return "error", self._error
        seen = len(getattr(self._engine, "notes", []))
        try:
            out = self._engine.translate_many(sentences, src, tgts)
        except MtError as exc:
            return "error", str(exc)
        return out, _notes_since(self._engine, seen)


def import_ray():
    """ray, or a one-line error saying how to install it."""
    try:
        import ray
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
        self.spec = EngineSpec(spec.model, spec.engine, _with_threads(spec.options, self.threads))
        self._wanted = actors
        self._owns = False
        self._idle: queue.Queue = queue.Queue()
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
        import logging

        ray = self._ray
        kwargs = {"logging_level": logging.ERROR, "log_to_driver": False}
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
        count = self.workers
        env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        actor = ray.remote(num_cpus=self.threads, max_restarts=self.RETRIES,
                           max_task_retries=self.RETRIES)(_Translator)
        for _ in range(count):
            self._idle.put(actor.remote(self.spec, env))
        self._alive = count

    def _call(self, sentences, src, tgts):
        ray = self._ray
        while True:
            handle = self._idle.get()
            try:
                result = ray.get(handle.translate_many.remote(sentences, src, tgts))
            except ray.exceptions.RayActorError:
                with self._lock:
                    self._alive -= 1
                    if self._alive <= 0:
                        raise ModelError("every Ray translation actor died",
                                         hint="check the workers' logs (ray logs); run again to resume") from None
                continue  # the dead actor is not put back; another one takes the call
            self._idle.put(handle)
            if result[0] == "error":
                raise ModelError(result[1])
            return result

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


class RemoteEngine(Engine):
    """What translate_release sees: an engine whose model calls go to an executor.
    One per release, so its `notes` (over-long sentences) are that release's."""

    name = "remote"

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self.notes: list = []

    def translate_many(self, sentences, src, tgts):
        out, notes = self._executor.translate_many(list(sentences), src, list(tgts))
        self.notes.extend(notes)
        return out

    @property
    def signature(self) -> str:
        return "remote"


def make_executor(spec: EngineSpec, jobs: int | None, ray_address: str | None) -> Executor:
    if ray_address:
        return RayExecutor(spec, ray_address, jobs)
    if jobs and jobs > 1:
        return ProcessPoolExecutorBackend(spec, jobs)
    return InProcessExecutor(spec)


# --------------------------------------------------------------------------- progress

class BatchProgress:
    """One bar over sentences x languages for the whole batch (tqdm, only on a
    terminal), releases done in its postfix. Thread-safe."""

    def __init__(self, total: int, releases: int, enabled: bool) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._releases = releases
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="sent", desc="translating", file=sys.stderr, leave=False)
            self._bar.set_postfix_str(f"releases 0/{releases}")

    def advance(self, n: int) -> None:
        if self._bar is not None and n > 0:
            with self._lock:
                self._bar.update(n)

    def release_done(self) -> None:
        with self._lock:
            self._done += 1
            if self._bar is not None:
                self._bar.set_postfix_str(f"releases {self._done}/{self._releases}")

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


# --------------------------------------------------------------------------- the batch

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
    entries: list
    memory_key: str
    open_memory: Callable[[], object]  # -> TranslationMemory | None; one per release (SQLite per thread)
    meta: dict
    force: bool = False
    progress: bool = False
    signature: str = ""  # engine and model, recorded on new memory units


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


def job_format(job: Job, requested: str | None) -> str:
    """The output format of a release: --format, else its own where mt writes it
    (md, docx, html), else txt; as `mt translate FILE` chooses it."""
    from mt import formats
    from mt.output import format_for

    return format_for(formats.for_path(job.path, ("release",), default="txt").NAME, requested)


def output_paths(job: Job, targets: Sequence[str], fmt: str | None) -> list[Path]:
    from mt.output import FORMATS

    ext = FORMATS[job_format(job, fmt)][0]
    names = [f"{job.stem.name}.{lang}.{ext}" for lang in targets] + \
            [f"{job.stem.name}.{tail}" for tail in ("align.jsonl", "qa.json", "qa.md")]
    return [job.stem.with_name(n) for n in names]


def _state(job: Job, settings: Settings) -> str:
    """'todo', 'finished' (every output there) or 'partial' (some outputs there)."""
    if settings.force:
        return "todo"
    present = [p.exists() for p in output_paths(job, settings.targets, settings.fmt)]
    return "finished" if all(present) else "partial" if any(present) else "todo"


class _Memory:
    """The memory as translate_release uses it, plus a crash point after each write."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def put_many(self, *args, **kwargs):
        result = self._inner.put_many(*args, **kwargs)
        with _WRITES_SEEN:  # release threads count in one sequence
            crash_point("batch-tm-written")
        return result


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


def _translate_one(job: Job, prepared, settings: Settings, executor: Executor, bar: BatchProgress) -> Row:
    from mt import pipeline
    from mt.io import write_files_atomically
    from mt.output import output_files

    start = time.perf_counter()
    opened = settings.open_memory()
    memory = _Memory(opened) if opened is not None else None
    release_bar = _ReleaseBar(bar)
    try:
        result = pipeline.translate_release(prepared, settings.targets, lambda: RemoteEngine(executor),
                                            settings.entries, memory, settings.memory_key, progress=release_bar,
                                            signature=settings.signature)
    finally:
        if opened is not None:
            opened.close()
    files = output_files(result, job.stem, job_format(job, settings.fmt), {"input": job.path, **settings.meta})
    with _WRITES, _no_interrupt():  # after Ctrl-C no new release is written; one being written is finished
        if _STOPPED.is_set():
            raise KeyboardInterrupt
        write_files_atomically(files)
    bar.advance(len(result.segments) * len(settings.targets) - release_bar.count)
    bar.release_done()
    errors = sum(f.severity == "error" for f in result.findings)
    return Row(job.path, "done", len(result.segments), errors, time.perf_counter() - start)


def run_batch(jobs: Sequence[Job], settings: Settings, executor: Executor) -> Summary:
    """Translate `jobs`; finished releases are skipped, a release that cannot be read or
    written is reported and the rest go on. An engine or model error stops the batch
    (it would fail every release). Ctrl-C stops it; what is written is whole."""
    from mt import pipeline
    from mt.io import recover_interrupted_writes

    began = time.perf_counter()
    summary = Summary()
    rows: dict[str, Row] = {}
    todo: list[tuple[Job, object]] = []
    for folder in sorted({job.stem.parent for job in jobs}):
        recover_interrupted_writes(folder)  # a release killed while its files moved: undone, so todo
    for job in jobs:
        state = _state(job, settings)
        if state == "finished":
            rows[job.path] = Row(job.path, "skipped", message="outputs exist")
            continue
        if state == "partial":
            rows[job.path] = Row(job.path, "failed", message=str(OutputError(
                "some outputs exist", file=str(job.stem) + ".*", hint="use --force to overwrite them")))
            continue
        try:
            todo.append((job, pipeline.prepare(job.path)))
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


def _sequential(todo, settings, executor, bar, rows) -> None:
    # In the main thread, so Ctrl-C interrupts the model at once.
    for job, prepared in todo:
        rows[job.path] = _guarded(job, prepared, settings, executor, bar)


def _guarded(job, prepared, settings, executor, bar) -> Row:
    start = time.perf_counter()
    try:
        return _translate_one(job, prepared, settings, executor, bar)
    except (InputError, OutputError) as exc:  # this release's own fault; the rest go on
        return Row(job.path, "failed", len(prepared.segments), 0, time.perf_counter() - start, str(exc))


def _threaded(todo, settings, executor, bar, rows) -> None:
    """A few releases in flight per worker: while one waits for the model, another is
    matched, checked or written. Daemon threads, so Ctrl-C does not wait for them."""
    work: queue.Queue = queue.Queue()
    for item in todo:
        work.put(item)
    results: queue.Queue = queue.Queue()
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
            rows[job.path] = row
    finally:
        stop.set()


# --------------------------------------------------------------------------- summary

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
