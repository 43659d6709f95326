"""The releases of a batch: files and folders searched for release formats, each with
the stem its outputs are written to, and whether those outputs are already there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mt import formats
from mt.errors import InputError
from mt.output import FORMATS, format_for
from mt.release import draft_path, output_stem, side_files

# Files mt itself writes beside a release: never taken as inputs when a folder is scanned.
OUTPUT_MARKERS = (".de.", ".en.", ".ru.", ".qa.", ".align.")


@dataclass(frozen=True)
class Job:
    """One release: its input file and the stem its outputs are written to."""

    path: str
    stem: Path


def is_batch(files: Sequence[str], jobs: int | None, ray_address: str | None) -> bool:
    """A folder, several files, --jobs or --ray: translate as a batch (resumable, summary)."""
    return len(files) > 1 or any(Path(f).is_dir() for f in files if f != "-") or bool(jobs) or bool(ray_address)


def input_suffixes() -> set[str]:
    """Every suffix a release format claims (a folder scan takes them all)."""
    return {suffix for name in formats.names("release") for suffix in formats.get(name).SUFFIXES}


def _looks_like_output(path: Path) -> bool:
    name = path.name
    return any(marker in name for marker in OUTPUT_MARKERS) and not name.endswith((".kk.txt", ".kk.md"))


def discover(args: Sequence[str], out_dir: str | None) -> list[Job]:
    """Releases named by `args` (files, or folders searched recursively for release
    formats, *.txt/*.md, that are not mt's own outputs or hidden), each with its output
    stem. Under --out, a folder's sub-folders are kept so equal names do not collide."""
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


def job_format(job: Job, requested: str | None) -> str:
    """The output format of a release: --format, else its own where mt writes it
    (md, docx, html), else txt; as `mt translate FILE` chooses it."""
    module = formats.for_path(job.path, ("release",), default="txt")
    assert module is not None  # a default is given
    return format_for(module.NAME, requested)


def output_paths(job: Job, targets: Sequence[str], fmt: str | None) -> list[Path]:
    ext = FORMATS[job_format(job, fmt)][0]
    return [draft_path(job.stem, lang, ext) for lang in targets] + side_files(job.stem)


def state(job: Job, targets: Sequence[str], fmt: str | None, force: bool) -> str:
    """'todo', 'finished' (every output there) or 'partial' (some outputs there)."""
    if force:
        return "todo"
    present = [p.exists() for p in output_paths(job, targets, fmt)]
    return "finished" if all(present) else "partial" if any(present) else "todo"
