"""Model references: hub ids (optionally @revision) or local folders; the Hugging Face
cache; prefetching for offline use.

Translating never downloads: a hub id is read from the cache only, so a run behaves
the same with or without a network and HF_HUB_OFFLINE=1 needs nothing special.
`mt models download` is the one step that fetches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mt.errors import ModelError

DEFAULT_MODEL = "facebook/nllb-200-distilled-600M"


@dataclass(frozen=True)
class KnownModel:
    family: str
    revision: str | None  # pinned commit; None where we could not verify one
    licence: str
    note: str = ""


# Commits are pinned so that a hub id always means the same weights (and the same
# translation-memory key). The NLLB commit is the snapshot the hub serves for main.
KNOWN_MODELS: dict[str, KnownModel] = {
    "facebook/nllb-200-distilled-600M": KnownModel(
        "nllb", "f8d333a098d19b4fd9a8b18f94170487ad3f821d", "CC-BY-NC-4.0", "default; 600M, 200 languages"),
    "facebook/nllb-200-distilled-1.3B": KnownModel("nllb", None, "CC-BY-NC-4.0", "better, 2x slower"),
    "facebook/m2m100_418M": KnownModel("m2m100", None, "MIT", "100 languages"),
    "google/madlad400-3b-mt": KnownModel("madlad", None, "Apache-2.0", "3B; GPU advised"),
    "Helsinki-NLP/opus-mt-trk-en": KnownModel("marian", None, "Apache-2.0", "Turkic (kk) -> en only"),
}

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_REVISION = re.compile(r"^[\w.-]+(/[\w.-]+)*$")  # branch, tag or commit; refs/pr/1 too
# Files a seq2seq model needs; everything else in a repo (onnx, flax, tf, rust) is skipped.
_IGNORE = ["*.onnx", "onnx/*", "*.h5", "*.msgpack", "*.ot", "*.tflite", "flax_model*", "tf_model*",
           "rust_model*", "*.gguf", "openvino/*", "ctranslate2/*"]


@dataclass(frozen=True)
class ModelRef:
    """What the user named. Exactly one of `path` and `repo_id` is set."""

    spec: str
    repo_id: str | None = None
    revision: str | None = None
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else str(self.repo_id)

    @property
    def pinned(self) -> bool:
        return bool(self.revision and _COMMIT.match(self.revision))


def _looks_like_path(spec: str) -> bool:
    """Hub ids have at most one slash and never start with . / ~"""
    return spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec


def parse_model(spec: str) -> ModelRef:
    """'org/name', 'org/name@rev' or a folder. A known hub id without @rev gets its
    pinned revision."""
    spec = spec.strip()
    if not spec:
        raise ModelError("empty model name", hint="pass a hub id such as facebook/nllb-200-distilled-600M "
                                                  "or a local folder")
    path = Path(spec).expanduser()
    if path.exists() or _looks_like_path(spec):
        return ModelRef(spec, path=path)
    repo_id, at, revision = spec.partition("@")
    if not _REPO_ID.match(repo_id) or (at and not _REVISION.match(revision)):
        raise ModelError(f"'{spec}' is neither a folder nor a hub id",
                         hint="use org/name, org/name@revision, or a path to a model folder")
    pinned = KNOWN_MODELS[repo_id].revision if not revision and repo_id in KNOWN_MODELS else revision
    return ModelRef(spec, repo_id=repo_id, revision=pinned or None)


def cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _missing(ref: ModelRef) -> ModelError:
    at = f" (revision {ref.revision[:12]})" if ref.revision else ""
    return ModelError(f"model {ref.repo_id}{at} is not in the Hugging Face cache ({cache_dir()})",
                      hint=f"run `mt models download {ref.spec}` on a connected machine, "
                           "or pass --model PATH to a local model folder")


def resolve(ref: ModelRef | str) -> Path:
    """The folder holding the model's files: the local folder itself, or the cached
    snapshot of a hub id (never downloads)."""
    if isinstance(ref, str):
        ref = parse_model(ref)
    if ref.path is not None:
        if ref.path.exists() and not ref.path.is_dir():
            raise ModelError(f"{ref.path} is a file, not a model folder",
                             hint="pass --model the folder that holds config.json and the weights")
        if not ref.path.is_dir():
            raise ModelError(f"model folder {ref.path} does not exist",
                             hint="pass --model a folder with config.json, or a hub id such as "
                                  f"{DEFAULT_MODEL} (fetch it with `mt models download`)")
        if not (ref.path / "config.json").is_file():
            raise ModelError(f"{ref.path} has no config.json, so it is not a transformers model folder",
                             hint="pass the folder that save_pretrained wrote, or a converted CTranslate2 folder")
        return ref.path
    assert ref.repo_id is not None  # a ModelRef without a path names a hub id
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(ref.repo_id, revision=ref.revision, cache_dir=cache_dir(),
                                        local_files_only=True))
    except (LocalEntryNotFoundError, FileNotFoundError, OSError):
        raise _missing(ref) from None
    if not (folder / "config.json").is_file():
        raise _missing(ref)
    return folder


def revision_of(ref: ModelRef, folder: Path) -> str:
    """Commit of a cached snapshot, or a content fingerprint of a local folder."""
    if ref.repo_id is not None:
        return folder.name if _COMMIT.match(folder.name) else (ref.revision or "main")
    return "local-" + fingerprint(folder)


def fingerprint(folder: Path, chunk: int = 1 << 20) -> str:
    """Short hash of a model folder's contents. Small files are hashed whole; large
    weight files by size and their first and last MiB, so a 2 GB model costs
    milliseconds while retraining or replacing weights still changes the hash."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode())
        with path.open("rb") as handle:
            if size <= 2 * chunk:
                digest.update(handle.read())
            else:
                digest.update(handle.read(chunk))
                handle.seek(-chunk, os.SEEK_END)
                digest.update(handle.read(chunk))
    return digest.hexdigest()[:16]


def model_fingerprint(spec: str) -> str:
    """Identifies the weights a spec means, without loading them: hub id + commit
    (the cached snapshot's when no revision was given), or folder content hash."""
    ref = parse_model(spec)
    try:
        folder = resolve(ref)
    except ModelError:
        return f"{ref.name}@{ref.revision or 'unresolved'}"
    return f"{ref.name}@{revision_of(ref, folder)}"


def download(spec: str) -> Path:
    """Prefetch a hub model into the Hugging Face cache; returns the snapshot folder."""
    ref = parse_model(spec)
    if ref.path is not None:
        raise ModelError(f"{spec} is a local path, not a hub id; there is nothing to download",
                         hint="pass a hub id such as facebook/nllb-200-distilled-600M")
    assert ref.repo_id is not None  # a ModelRef without a path names a hub id
    if offline():
        raise ModelError(f"cannot download {ref.repo_id}: HF_HUB_OFFLINE is set",
                         hint="unset HF_HUB_OFFLINE on a connected machine, then copy the cache folder")
    from huggingface_hub import HfApi, constants, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    unreachable = _unreachable(constants.ENDPOINT)
    if unreachable:
        raise ModelError(f"cannot download {ref.repo_id}: {unreachable}",
                         hint="run `mt models download` on a connected machine and copy its Hugging Face "
                              "cache here (HF_HUB_CACHE), or set HF_ENDPOINT to a mirror you can reach")
    try:
        with _quiet_hub():
            files = HfApi().list_repo_files(ref.repo_id, revision=ref.revision)
        ignore = list(_IGNORE)
        if any(f.endswith(".safetensors") for f in files):
            ignore.append("*.bin")  # the same weights twice
            folder = snapshot_download(ref.repo_id, revision=ref.revision, cache_dir=cache_dir(),
                                       ignore_patterns=ignore)
    except RepositoryNotFoundError:
        raise ModelError(f"no model {ref.repo_id} on the hub (or it needs a login)",
                         hint="check the id; for gated models run `hf auth login` first") from None
    except RevisionNotFoundError:
        raise ModelError(f"model {ref.repo_id} has no revision {ref.revision}", hint="check the @revision") from None
    except Exception as exc:  # network failures surface as several libraries' exceptions
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot download {ref.repo_id}: {first}",
                         hint="check the network connection (HF_ENDPOINT for a mirror)") from None
    return Path(folder)


def _unreachable(endpoint: str, timeout: float = 5.0) -> str | None:
    """Why the hub at `endpoint` cannot be reached (name lookup, then a TCP connection),
    or None. Checked before huggingface_hub starts, whose retries would print a
    warning each and take half a minute to fail without a network."""

    parts = urlsplit(endpoint)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except socket.gaierror:
        return f"no network: cannot resolve {host}"
    except OSError as exc:
        return f"cannot reach {host}:{port} ({exc.strerror or type(exc).__name__})"
    return None


@contextmanager
def _quiet_hub():
    """huggingface_hub's retry warnings off: failures become one ModelError line."""

    logger = logging.getLogger("huggingface_hub")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class CachedModel:
    repo_id: str
    revision: str
    refs: tuple[str, ...]
    model_type: str
    size_bytes: int
    path: Path


# model_type values of encoder-decoder translation models (a small, stable set; we
# keep it here instead of importing transformers' mappings for a listing).
SEQ2SEQ_TYPES = {"m2m_100", "marian", "t5", "mt5", "mbart", "bart", "fsmt", "nllb_moe", "umt5", "pegasus",
                 "led", "prophetnet", "bigbird_pegasus", "plbart", "longt5", "switch_transformers"}


def _model_type(snapshot: Path) -> str:
    try:
        return json.loads((snapshot / "config.json").read_text(encoding="utf-8")).get("model_type", "")
    except (OSError, ValueError):
        return ""


def list_cached() -> list[CachedModel]:
    """Seq2seq models in the Hugging Face cache, one row per cached revision."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        info = scan_cache_dir(folder)
    except CacheNotFound:
        return []
    rows = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        for rev in repo.revisions:
            model_type = _model_type(Path(rev.snapshot_path))
            if model_type in SEQ2SEQ_TYPES:
                rows.append(CachedModel(repo.repo_id, rev.commit_hash, tuple(sorted(rev.refs)), model_type,
                                        rev.size_on_disk, Path(rev.snapshot_path)))
    return sorted(rows, key=lambda r: (r.repo_id, r.revision))
