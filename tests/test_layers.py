"""The package's shape, checked: no import cycle between mt's modules, and imports at
module top except for the heavy optional libraries a module loads only when used. The
layer order itself is the import-linter contract in pyproject.toml (`lint-imports`,
run by `make test`)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mt"
# Libraries a module may import inside a function: heavy, optional, or slow to import,
# and needed only on the path that uses them.
LAZY_OK = {"torch", "transformers", "ctranslate2", "ray", "docx", "matplotlib", "uvicorn", "selenium",
           "sacrebleu", "pymorphy3", "babel", "num2words", "huggingface_hub", "multiprocessing",
           "concurrent", "markdown_it", "starlette", "jinja2", "crfsuite", "pycrfsuite", "sklearn_crfsuite",
           "seqeval", "tqdm"}  # tqdm: only where a progress bar is shown (25 ms of every start)
# mt modules the CLI loads only for the command that needs them: the review page's web
# stack (starlette, jinja2, uvicorn) would otherwise load for every `mt` command.
LAZY_INTERNAL = {"mt.review.app", "mt.review.server"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("mt")


def test_no_import_cycle(graph):
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("mt") and graph.find_shortest_chain(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "\n".join(cycles)


def _optional(tree: ast.AST) -> set[int]:
    """Ids of imports guarded by `except ImportError`: an optional extra's module."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any("ImportError" in ast.unparse(h.type or ast.Name("")) for h in node.handlers):
            guarded.update(id(x) for part in node.body for x in ast.walk(part))
    return guarded


def _late_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import inside a function or class body, except those an
    `except ImportError` guards."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    optional = _optional(tree)
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for inner in ast.walk(node):
            if id(inner) in optional:
                continue
            if isinstance(inner, ast.Import):
                found.update((inner.lineno, alias.name) for alias in inner.names)
            elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                found.add((inner.lineno, inner.module))
    return sorted(found)


def test_internal_imports_are_at_module_top():
    late = [f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
            for path in sorted(PACKAGE.rglob("*.py")) for line, module in _late_imports(path)
            if module.split(".")[0] not in LAZY_OK and module not in LAZY_INTERNAL]
    assert not late, "imports inside functions (move them to the top, or say why they wait):\n" + "\n".join(late)


def test_the_checker_sees_a_late_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from mt import pipeline\n    return pipeline\n\n\n"
                      "def g():\n    try:\n        import mt.x\n    except ImportError:\n        pass\n",
                      encoding="utf-8")
    assert _late_imports(module) == [(4, "mt")]  # the one in g is an optional module's
