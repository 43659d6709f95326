"""Test-only crash points, so kill -9 tests can stop a run at an exact place.

MT_TEST_CRASH_AT=NAME or NAME:N kills this process with SIGKILL the N-th time (default
the first) `crash_point(NAME)` is reached. Unset (always, outside tests/test_crash.py)
it costs one dict lookup. The points:

- "write-temps": every new file of a write is complete in its temporary file, nothing moved;
- "write-moved": after one file of a write was moved into place (N counts the moves);
- "tm-put": inside a translation-memory write (put_many, import_units), rows inserted,
  not committed;
- "batch-tm-written": in a batch (mt.batch), after a chunk's memory write was committed.

NAME:N:INT sends SIGINT (a Ctrl-C) instead of SIGKILL.
"""

from __future__ import annotations

import os
import signal

_seen: dict[str, int] = {}


def crash_point(name: str) -> None:
    spec = os.environ.get("MT_TEST_CRASH_AT")
    if not spec:
        return
    wanted, _, rest = spec.partition(":")
    if wanted != name:
        return
    count, _, how = rest.partition(":")
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] == int(count or 1):
        os.kill(os.getpid(), signal.SIGINT if how == "INT" else signal.SIGKILL)
