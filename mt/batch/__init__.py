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

Modules: inputs (finding releases, their output names, what is finished), run (the
batch itself: progress, memory, writing, the summary). The executors live with the
engines (mt.engines.executors, mt.engines.ray_actors).

Test hooks (used by tests/test_batch.py): the crash point "batch-tm-written" of
mt.crashpoints (MT_TEST_CRASH_AT=batch-tm-written:N kills the driver with SIGKILL right
after its N-th committed memory write; N:INT is a Ctrl-C instead), and
MT_TEST_KILL_ACTOR_ONCE, MT_TEST_ACTOR_TRACE and MT_TEST_ACTOR_DELAY (see
mt.engines.ray_actors).
"""

from __future__ import annotations

from mt.batch.inputs import Job, discover, is_batch, job_format, output_paths
from mt.batch.run import (
           Row,
           Settings,
           Summary,
           exit_code,
           make_executor,
           render_summary,
           run_batch,
)
from mt.engines.executors import EngineSpec, Executor, InProcessExecutor

__all__ = ["EngineSpec", "Executor", "InProcessExecutor", "Job", "Row", "Settings", "Summary", "discover",
           "exit_code", "is_batch", "job_format", "make_executor", "output_paths", "render_summary", "run_batch"]
