"""The nlp modules import one another without a circle, and never from inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import dyadlens.nlp

NLP = Path(dyadlens.nlp.__file__).parent
PREFIX = "dyadlens.nlp."


def _nlp_imports(node: ast.AST) -> set[str]:
    return {
        n.module.removeprefix(PREFIX)
        for n in ast.walk(node)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith(PREFIX)
    }


def _trees() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in NLP.glob("*.py")}


def test_no_nlp_module_imports_another_inside_a_function() -> None:
    inside = [
        f"{name}.{f.name} imports {sorted(_nlp_imports(f))}"
        for name, tree in _trees().items()
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and _nlp_imports(f)
    ]
    assert not inside


def test_the_nlp_import_graph_has_no_circle() -> None:
    graph = {name: _nlp_imports(tree) for name, tree in _trees().items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for imported in graph.get(name, ()):
            visit(imported, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
