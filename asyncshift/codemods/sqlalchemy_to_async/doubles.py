"""What the first pass reads of a test's doubles: ``Mock(spec=Repo)``, ``@patch("a.b.Repo")`` decorators, and
what ``monkeypatch.setattr``, ``patch`` and ``patch.object`` put in place of what (``stand_ins``, ``mocks``).

Read by name only (the first pass resolves nothing): the rules that use these facts check the types.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async.exprs import Expr, dotted, from_ast

MOCK_CLASSES = {"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock"}


def mock_spec(node: ast.AST) -> ast.AST | None:
    """The class of ``Mock(spec=Repo)`` / ``Mock(spec_set=Repo)`` / ``create_autospec(Repo)``, else None."""
    if not isinstance(node, ast.Call):
        return None
    name = (dotted(from_ast(node.func)) or "").rpartition(".")[2]
    if name == "create_autospec" and node.args:
        return node.args[0]
    if name in MOCK_CLASSES:
        return next((k.value for k in node.keywords if k.arg in ("spec", "spec_set")), None)
    return None


def _patch_decorator(node: ast.AST) -> str | None:
    """``@patch("a.b.Repo")`` hands the test a mock: its path ("" for another ``patch.object``); None when it
    hands in nothing (``new`` given) or is no patch."""
    name = dotted(from_ast(node.func)) if isinstance(node, ast.Call) else None
    whole = (name or "").rpartition(".")[2] == "patch"
    if not (whole or (name or "").endswith("patch.object")):
        return None
    if len(node.args) != (1 if whole else 2) or any(k.arg == "new" for k in node.keywords):
        return None
    path = node.args[0]
    return path.value if whole and isinstance(path, ast.Constant) and isinstance(path.value, str) else ""


def bind_with_patch(table: dict[str, str], item: ast.withitem) -> None:
    """``with patch("a.b.Repo") as repo_class``: ``repo_class`` -> the path, as a decorator's (``mocks``)."""
    path = _patch_decorator(item.context_expr)
    if path and isinstance(item.optional_vars, ast.Name):
        table[item.optional_vars.id] = path


def patch_decorators(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The paths of the ``@patch`` decorators handing a test its mocks, innermost first (as they are handed)."""
    return [p for p in map(_patch_decorator, reversed(node.decorator_list)) if p is not None]


def replaced(node: ast.Call, callee: Expr) -> list[tuple[Expr | str, ast.AST | None]]:
    """(what is replaced: an expression or a dotted path, the value put there) for a patching call."""
    name = dotted(callee) or ""
    args = [a for a in node.args if not isinstance(a, ast.Starred)]
    new = next((k.value for k in node.keywords if k.arg in ("new", "value")), None)
    path = args[0].value if args and isinstance(args[0], ast.Constant) else None
    if callee == ("attr", ("name", "monkeypatch"), "setattr") or name.endswith("patch.object"):
        if isinstance(path, str) and name.endswith("setattr"):
            return [(path, args[1] if len(args) > 1 else new)]
        if len(args) > 1 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
            return [(("attr", from_ast(args[0]), args[1].value), args[2] if len(args) > 2 else new)]
    elif name.rpartition(".")[2] == "patch" and isinstance(path, str):
        return [(path, args[1] if len(args) > 1 else new)]
    return []
