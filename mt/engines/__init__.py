"""Engine registry: name -> "module:Class". Modules are imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from mt.engines.base import Engine, EngineOptions
from mt.errors import ModelError
from mt.models import DEFAULT_MODEL

ENGINES: dict[str, str] = {
    "hf": "mt.engines.hf:HFEngine",
    "ct2": "mt.engines.ct2:CT2Engine",
}


def _is_ct2_folder(model: str) -> bool:
    path = Path(model)
    return path.is_dir() and (path / "model.bin").is_file()


def resolve_engine(engine: str, model: str) -> str:
    """The engine name for `model`: "auto" is ct2 for a CTranslate2 folder, else hf."""
    if engine != "auto":
        return engine
    return "ct2" if _is_ct2_folder(model) else "hf"


# An engine class: built from a model (hub id, folder) and options.
EngineFactory = Callable[[str, EngineOptions], Engine]


def engine_class(name: str) -> EngineFactory:
    if name not in ENGINES:
        raise ModelError(f"unknown engine '{name}'", hint=f"choose one of: {', '.join(ENGINES)}")
    module_name, cls_name = ENGINES[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelError(f"engine '{name}' is not installed ({exc.name} missing)",
                         hint="run `make install` or `pip install 'mt[ct2]'`") from None
    factory: EngineFactory = getattr(module, cls_name)
    return factory


def load_engine(model: str = DEFAULT_MODEL, engine: str = "auto",
                options: EngineOptions | None = None) -> Engine:
    """Build an engine for `model` (hub id with optional @revision, or a local folder)."""
    return engine_class(resolve_engine(engine, model))(model, options or EngineOptions())


__all__ = ["DEFAULT_MODEL", "ENGINES", "Engine", "EngineOptions", "engine_class", "load_engine", "resolve_engine"]
