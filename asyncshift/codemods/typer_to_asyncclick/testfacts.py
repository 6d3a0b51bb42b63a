"""The first pass's facts about a run's tests (``project``): what stands for Typer's CliRunner across modules.

A test module may run the CLI through names another module makes: ``runner = CliRunner()`` in a
``tests/utils.py``, a fixture returning ``def f(*args): return runner.invoke(app, args)`` (imported, or a
``conftest``'s, handed to tests by name), a ``typer.prompt`` patched in a ``conftest``. Such a module
imports no typer, yet its calls are awaited now, so it is converted too.
"""

from __future__ import annotations

import ast


def _name(node: ast.AST) -> str:
    """``pytest.fixture`` for a dotted name (its text: a call's or subscript's too, never matched)."""
    return ast.unparse(node)


def read(facts, tree: ast.Module, text: str) -> None:
    """Fill ``facts.test_params``, ``facts.invokers`` and ``facts.patches_prompt`` for one module."""
    facts.test_params = {a.arg for test in _tests(tree.body) for a in test.args.args}
    if "CliRunner" in text and ".invoke(" in text:
        facts.invokers = _invoking_fixtures(tree.body)
    if "typer.prompt" in text:
        facts.patches_prompt = any(_patches_prompt(node) for node in ast.walk(tree))


def uses_runs(project, facts) -> bool:
    """Whether the module runs the CLI through another module's runner or fixture (it is converted too)."""
    return bool(runners_imported(project, facts) or invokers_used(project, facts))


def runners_imported(project, facts) -> set[str]:
    """Local names for another module's ``runner = CliRunner()`` (Typer's): ``from tests.utils import runner``."""
    found = set()
    for local, (source, attr) in facts.bindings.items():
        other = project.modules.get(project.module(source) or "") if attr is not None else None
        if other is not None and other is not facts and other.calls_by_var.get(attr) in _runner_calls(other):
            found.add(local)
    return found


def invokers_used(project, facts) -> set[str]:
    """Local names standing for another module's fixture that returns a function running CliRunner.invoke:
    imported from it, or a test's parameter named like one a ``conftest`` defines. Called in a test, it
    gives a coroutine now (the fixture's function became async where it is defined)."""
    found = set()
    for local in facts.bindings:
        ref = project.resolve(facts.name, local)
        if ref is not None and ref[0] != facts.name and ref[1] in project.modules[ref[0]].invokers:
            found.add(local)
    if facts.test_params:
        shared = {n for f in project.modules.values() if f.name.rpartition(".")[2] == "conftest" for n in f.invokers}
        found |= (facts.test_params & shared) - facts.functions - set(facts.bindings)
    return found


def _runner_calls(facts) -> set[str]:
    """How the module calls Typer's (or Click's) CliRunner: ``CliRunner``, ``testing.CliRunner``..."""
    found = set()
    for local, (source, attr) in facts.bindings.items():
        if source in ("typer.testing", "click.testing") and attr == "CliRunner":
            found.add(local)
        elif source in ("typer.testing", "click.testing") and attr is None:
            found.add(f"{local}.CliRunner")
    return found | {f"{local}.testing.CliRunner" for local in facts.typer_modules}


def _tests(body: list[ast.stmt]):
    """The test functions of a module, and of its test classes."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from _tests(node.body)


def _invoking_fixtures(body: list[ast.stmt]) -> set[str]:
    """Fixtures returning a function they define that calls ``.invoke(...)`` (a runner's, in a module with one)."""
    found = set()
    for node in body:
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any((_name(getattr(d, "func", d)) or "").rpartition(".")[2] == "fixture" for d in node.decorator_list):
            continue
        returned = {n.value.id for n in ast.walk(node) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)}
        for inner in ast.walk(node):
            if inner is not node and isinstance(inner, ast.FunctionDef) and inner.name in returned:
                calls = (n for n in ast.walk(inner) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute))
                if any(call.func.attr == "invoke" for call in calls):
                    found.add(node.name)
    return found


def _patches_prompt(node: ast.AST) -> bool:
    """``monkeypatch.setattr("typer.prompt", stand_in)``, ``patch("typer.prompt")`` and the like."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return False
    name = (_name(node.func) or "").rpartition(".")[2]
    return name in ("patch", "setattr") and node.args[0].value == "typer.prompt"
