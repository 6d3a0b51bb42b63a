"""The house as its imports draw it: no circle of files, each wing importing only what it may.

Every module's imports are read from its source (nothing is imported): top-level, inside functions
and under ``if TYPE_CHECKING:`` alike (a type named across a circle is a circle too). An import names a file
of the house when it resolves to one; ``from package import name`` counts as the submodule when there
is one, else as the package's ``__init__``. A module importing its own package's ``__init__`` (the
re-export pattern) is not an arrow: Python runs the package first anyway.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Where each top-level package of the house lives.
SOURCE_ROOTS = {"compat": ROOT / "asyncshift", "codemods": ROOT / "asyncshift", "admin_assistant": ROOT / "src"}
# Copied verbatim into converted applications: not modules of this house (their imports are the app's).
TEMPLATES = "/template/"
MAX_LINES = 400
# Modules over MAX_LINES, each with the one idea it holds; anything else that long must be split.
ONE_IDEA = {
    "asyncshift/codemods/flask_to_fastapi/template/_flask_wtf.py": "Flask-WTF's FlaskForm over Starlette requests",
    "asyncshift/compat/bridge.py": "the two bridges between sync and async code, and the loop they share",
    "asyncshift/codemods/typer_to_asyncclick/template/typer_help.py": (
        "Typer's plain help and error text over asyncclick, written once beside converted modules"
    ),
    "asyncshift/codemods/typer_to_asyncclick/project.py": (
        "the first pass over a run: each module's Typer facts, and how one module's uses link to another's"
    ),
    "asyncshift/codemods/sqlalchemy_to_async/template/_flask_sqlalchemy_async.py": (
        "Flask-SQLAlchemy's db with an async session, written once beside converted modules"
    ),
    "asyncshift/codemods/flask_to_fastapi/template/_flask_sqlalchemy.py": (
        "Flask-SQLAlchemy's db on plain SQLAlchemy, written once beside converted modules"
    ),
}


@cache
def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the house."""
    found: dict[str, Path] = {}
    for package, base in SOURCE_ROOTS.items():
        for path in sorted((base / package).rglob("*.py")):
            if TEMPLATES in path.as_posix():
                continue
            parts = path.relative_to(base).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_names(name: str) -> set[str]:
    """The dotted names ``name``'s module imports (any package, ours or not), resolved."""
    path = modules()[name]
    names: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            package = _package_of(name, path).split(".")
            anchor = package[: len(package) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        names.add(base)
        names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def arrows(name: str) -> set[str]:
    """The modules of the house that ``name`` imports: the deepest one each import names."""
    known = modules()
    targets = set()
    for imported in imported_names(name):
        parts = imported.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if not parts:
            continue
        target = ".".join(parts)
        if target == name or name.startswith(target + "."):  # itself, or its own package's __init__
            continue
        targets.add(target)
    return targets


def circles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in arrows(node):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in sorted(modules()):
        if name not in index:
            visit(name)
    return found


def forbidden(importers: str, imported: tuple[str, ...]) -> list[str]:
    """``importer -> target`` for every import from a module under ``importers`` into ``imported``."""
    found = []
    for name in sorted(modules()):
        if name == importers or name.startswith(importers + "."):
            for target in sorted(imported_names(name)):
                if any(target == prefix or target.startswith(prefix + ".") for prefix in imported):
                    found.append(f"{name} -> {target}")
    return found


# ----------------------------------------------------------------------------------------- tests


def test_no_circle_of_files():
    assert circles() == []


def test_the_stacks_import_neither_wiring_nor_the_toolkit():
    for stack in ("admin_assistant.sync", "admin_assistant.aio"):
        assert forbidden(stack, ("admin_assistant.wiring", "compat", "codemods")) == []


def test_the_shared_middle_imports_no_stack():
    reaching_out = ("admin_assistant.sync", "admin_assistant.aio", "admin_assistant.wiring", "compat", "codemods")
    assert forbidden("admin_assistant.domain", (*reaching_out, "admin_assistant.presentation")) == []
    assert forbidden("admin_assistant.presentation", reaching_out) == []


def test_the_toolkit_never_imports_the_application():
    assert forbidden("compat", ("admin_assistant",)) == []
    assert forbidden("codemods", ("admin_assistant", "compat")) == []


def test_the_runtime_shims_never_import_the_control_wing():
    runtime = [name for name in modules() if name.startswith("compat.") and not name.startswith("compat.control")]
    assert [
        f"{name} -> {target}" for name in runtime for target in arrows(name) if target.startswith("compat.control")
    ] == []


def test_long_modules_hold_one_idea():
    files = [path for package, base in SOURCE_ROOTS.items() for path in (base / package).rglob("*.py")]
    files += [*(ROOT / "bench").glob("*.py"), *(ROOT / "migrations").rglob("*.py")]
    long = {
        path.relative_to(ROOT).as_posix()
        for path in files
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert sorted(long - ONE_IDEA.keys()) == [], f"over {MAX_LINES} lines: split where the ideas part, or say its idea"


def test_the_readme_map_matches_the_toolkit_tree():
    """Every path the README's map of the toolkit names exists, and every toolkit module is named."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- toolkit map -->\n```\n(.*?)```", readme, re.S)
    assert block, "README.md: the toolkit map is a fenced block after '<!-- toolkit map -->'"
    named = {line.split()[0] for line in block.group(1).splitlines() if line.strip()}
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == [], "the README's map names paths that do not exist"
    toolkit = ROOT / "asyncshift"
    unnamed = []
    for path in sorted([*toolkit.glob("compat/**/*.py"), *toolkit.glob("codemods/*")]):
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py" or "__pycache__" in relative:
            continue
        if not any(relative == name.rstrip("/") or relative.startswith(name.rstrip("/") + "/") for name in named):
            unnamed.append(relative)
    assert unnamed == [], "toolkit modules the README's map does not name"


def test_the_import_reader_sees_a_planted_circle(tmp_path, monkeypatch):
    """The circle test can fail: modules importing each other (inside a function, for types only) are found."""
    package = tmp_path / "compat"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("from compat.two import b\n")
    (package / "two.py").write_text("def b():\n    from compat import one\n")
    (package / "three.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from compat import four\n"
    )
    (package / "four.py").write_text("import compat.three\n")
    monkeypatch.setitem(SOURCE_ROOTS, "compat", tmp_path)
    monkeypatch.setitem(SOURCE_ROOTS, "codemods", tmp_path)
    monkeypatch.setitem(SOURCE_ROOTS, "admin_assistant", tmp_path)
    (tmp_path / "codemods").mkdir()
    (tmp_path / "admin_assistant").mkdir()
    modules.cache_clear()
    try:
        assert circles() == [["compat.four", "compat.three"], ["compat.one", "compat.two"]]
        assert forbidden("compat", ("compat.one",)) == ["compat.two -> compat.one"]
    finally:
        modules.cache_clear()
