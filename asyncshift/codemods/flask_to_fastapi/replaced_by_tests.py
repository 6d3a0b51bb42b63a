"""Functions the project's tests replace by name keep their signature: they read the request through the proxy.

A suite that swaps a module's function for its own (``monkeypatch.setattr(webapp, "get_theme", fake)``,
``mock.patch("app.views.get_theme")``, ``webapp.get_theme = fake``) gives the fake the original signature. Had the
conversion passed the request to that function (``get_theme(request, override=x)``), every call would hand the fake
an argument it does not take (TypeError: 500 in each view that calls it). The tests are not among the converted
files: they are read from the folder the converted packages are imported from (the first folder up with no
``__init__.py``), as pytest would find them there. A function the tests call themselves (``get_target()`` in a
request context they push) keeps answering such a call: its request parameter defaults to the helper's proxy.
A Flask name the tests patch on a converted module (``mock.patch("pkg.views.current_app.config", {...})``) stays
imported there, the helper's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst

from codemods.flask_to_fastapi.imports import HELPER_NAMES
from codemods.flask_to_fastapi.names import dotted

SKIPPED = {"node_modules", "venv", ".venv", "site-packages", "__pycache__", "build", "dist"}
MOST_FILES = 400  # a bound on the walk: the suite of a project, not a monorepo


def _root(disk: str) -> Path:
    folder = Path(disk).resolve().parent
    while (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def _test_files(roots: set[Path], converted: set[Path]) -> list[Path]:
    found: list[Path] = []
    for root in sorted(roots):
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED and not d.startswith("."))
            for name in sorted(names):
                if name.endswith(".py") and (
                    name.startswith("test") or name.endswith("_test.py") or name == "conftest.py"
                ):
                    path = Path(folder, name).resolve()
                    if path not in converted:
                        found.append(path)
                if len(found) >= MOST_FILES:
                    return found
    return found


def _imports(module: cst.Module) -> dict[str, str]:
    """Every name a test file imports, anywhere (``setUp`` imports the module under test): local -> dotted."""
    found: dict[str, str] = {}

    class Imports(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                name = dotted(alias.name)
                local = alias.asname.name.value if alias.asname else name.split(".")[0]
                found[local] = name if alias.asname else local

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                local = alias.asname.name.value if alias.asname else dotted(alias.name)
                found[local] = f"{dotted(node.module)}.{dotted(alias.name)}"

    module.visit(Imports())
    return found


def _replaced(module: cst.Module) -> set[str]:
    """Dotted names the file replaces: ``patch("a.b.f")``, ``setattr(a_b, "f", x)``, ``a_b.f = x``."""
    imports = _imports(module)
    found: set[str] = set()

    def qualified(node: cst.BaseExpression) -> str | None:
        text = dotted(node)
        if not text:
            return None
        head, _, rest = text.partition(".")
        return imports[head] + (f".{rest}" if rest else "") if head in imports else None

    def literal(node: cst.BaseExpression) -> str | None:
        value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
        return value if isinstance(value, str) else None

    class Replacements(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            args = [a.value for a in node.args if a.keyword is None]
            first = literal(args[0]) if args else None
            if first and "." in first:
                found.add(first)
            name = literal(args[1]) if len(args) > 1 else None
            owner = qualified(args[0]) if args and name else None
            if owner and name:
                found.add(f"{owner}.{name}")

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            if isinstance(node.target, cst.Attribute):
                owner = qualified(node.target.value)
                if owner:
                    found.add(f"{owner}.{node.target.attr.value}")

    module.visit(Replacements())
    return found


def _starred(module: cst.Module) -> list[str]:
    """The modules the file imports every name of (``from app.api import *``)."""
    return [
        dotted(s.module)
        for line in module.body
        if isinstance(line, cst.SimpleStatementLine)
        for s in line.body
        if isinstance(s, cst.ImportFrom) and isinstance(s.names, cst.ImportStar) and s.module and not s.relative
    ]


def _called(module: cst.Module) -> set[str]:
    """Dotted names the file calls: ``target()`` imported from the module, ``views.target()``, and a name it does not
    bind itself called after ``from app.views import *`` (``app.views.target``: kept where the run defines it)."""
    imports = _imports(module)
    starred = _starred(module)
    own = {s.name.value for s in module.body if isinstance(s, cst.FunctionDef | cst.ClassDef)}
    found: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            head, _, rest = (dotted(node.func) or "").partition(".")
            if head in imports:
                found.add(imports[head] + (f".{rest}" if rest else ""))
            elif head and head not in own:
                found.update(f"{star}.{head}" + (f".{rest}" if rest else "") for star in starred)

    module.visit(Calls())
    return found


def _test_modules(files: list[tuple[str, str]]):
    """The project's test files, parsed (those that read and parse)."""
    converted = {Path(disk).resolve() for _, disk in files}
    roots = {_root(disk) for _, disk in files}
    for path in _test_files(roots, converted):
        try:
            yield cst.parse_module(path.read_text(encoding="utf-8"))
        except Exception:  # a file that does not read or parse is none of the run's business
            continue


def uses_in_tests(files: list[tuple[str, str]], functions: set[str]) -> tuple[set[str], set[str], set[str]]:
    """Which of ``functions`` (dotted names of the run's functions) the project's tests replace by name, which
    they call themselves (``get_target()`` in a request context they push: given the request parameter, such a
    function defaults it to the helper's request proxy), and every dotted name they patch."""
    replaced: set[str] = set()
    called: set[str] = set()
    for module in _test_modules(files):
        replaced |= _replaced(module)
        called |= _called(module) & functions
    return replaced & functions, called, replaced


def patched_globals(project: object, module: str, flask_names) -> set[str]:
    """Flask's names the module imports that the tests patch on it (``mock.patch("pkg.views.current_app.config",
    {...})``): the converted module no longer reads them (``request.app``) but keeps them, the helper's own, for
    the patch to find (through the proxy, the app's ``config`` is patched)."""
    patched = getattr(project, "patched", ())
    return {
        local
        for local, qualified in flask_names.members.items()
        if local == qualified.rpartition(".")[2]
        and local in HELPER_NAMES
        and any(p == f"{module}.{local}" or p.startswith(f"{module}.{local}.") for p in patched)
    }
