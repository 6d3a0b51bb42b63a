"""The github corpus's conversion: a chain of codemods, each run on the output of the one before.

``CORPUS_CODEMODS=flask-to-fastapi,sqlalchemy-to-async`` (default: flask-to-fastapi alone). The first runs
as before, ``--out`` from the original over a full copy, path by path; each next one runs in place on the
copy, all the app's ``convert`` paths and its ``tests`` in one call (sqlalchemy-to-async decides over the whole
program what becomes async; the tests call what did, and a user converts them in the same run). What each report
declares (``requirements``) is merged: the converted venv gets only that.

After the chain, the routes the database stands behind are counted (``DbRoutes``): a route is DB-backed when
its function reads Flask-SQLAlchemy (``db.session``, ``Model.query``, ``get_or_404``, ``paginate``) in the first
codemod's output, or when a later codemod made it ``async def`` or added an ``await`` to it (it calls what
became a coroutine); it is async on the ``AsyncSession`` when it is ``async def`` at the end, with no
``db.sync_session`` (the helper's blocking session, where nothing could await) left in it. A route is a function
decorated with a verb (``@bp.get``, ``@app.route``), or a method named by a verb in a class-based view (a class with
a base named ``...View`` or ``...Resource``: MethodView, Flask-RESTful's Resource, flask-rest-jsonapi's
ResourceList); functions in test modules are never routes (``@mock.patch(...)`` is no route decorator).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT = "flask-to-fastapi"
ROUTE_VERBS = {"get", "post", "put", "delete", "patch", "api_route", "head", "options", "route"}
DB_READS = re.compile(
    r"\bdb\.(session|sync_session)\b|\b[A-Z]\w*\.query\b|\b(get|first|one)_or_404\(|\.paginate\(|\bsession\.query\("
)


def codemods() -> list[str]:
    """The chain ``CORPUS_CODEMODS`` names, in order."""
    names = [n.strip() for n in os.environ.get("CORPUS_CODEMODS", DEFAULT).split(",") if n.strip()]
    return names or [DEFAULT]


def _run(codemod: str, sources: list[Path], report: Path, out: Path | None, site: list[str] = ()) -> dict:
    command = [str(Path(sys.executable).with_name("asyncshift")), "codemod", "run", codemod, *map(str, sources)]
    command += ["--report", str(report)] + (["--out", str(out)] if out else [])
    # the app's libraries, read (never imported) where a codemod asks what a library's class has, as it would
    # find them installed beside it in the app's environment (asyncshift runs from an environment of its own here)
    env = {**os.environ, "ASYNCSHIFT_SITE_PACKAGES": os.pathsep.join(site)} if site else None
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if not report.exists():
        raise RuntimeError(f"{codemod} wrote no report: {done.stderr.strip()[-400:]}")
    return json.loads(report.read_text())


def convert(
    app, original: Path, converted: Path, chain: list[str], source: Path | None = None
) -> tuple[list[dict], list[str], dict]:
    """Every codemod of ``chain`` over ``app.convert``; the files (paths under ``original``, a file failed by
    any codemod failed), the requirements the reports declare, and the routes of each stage (``routes``)."""
    shutil.copytree(original, converted, symlinks=True)
    files: dict[str, dict] = {}
    requirements: list[str] = []
    stages = {}
    site = _site_packages(app, source or original) if len(chain) > 1 else []
    for step, codemod in enumerate(chain):
        reports = []
        if step == 0:
            for relative in app.convert:
                source, target = original / relative, converted / relative
                report = converted.parent / f"report-{step}-{relative.replace('/', '_')}.json"
                reports.append(_run(codemod, [source], report, target if source.is_dir() else target.parent))
        else:
            # the app's tests too, as a user runs it (issue 14: its tests are converted by the same run); the
            # first codemod keeps them, they drive the converted app through its Flask-style test client
            paths = [converted / r for r in [*app.convert, *app.tests] if (converted / r).exists()]
            paths += suite_helpers(converted, [converted / r for r in app.tests], paths)
            report = converted.parent / f"report-{step}-{codemod}.json"
            reports.append(_run(codemod, paths, report, None, site))
        for data in reports:
            for file in data["files"]:
                path = Path(file["path"]).resolve()
                relative = str(path.relative_to(converted.resolve() if step else original.resolve()))
                if files.get(relative, {}).get("status") != "failed":
                    files[relative] = {**file, "path": str(original / relative)}
            requirements += [r for r in data.get("requirements", []) if r not in requirements]
        stages[codemod] = routes(converted, app.convert)
    return list(files.values()), requirements, stages


def _site_packages(app, source: Path) -> list[str]:
    """The site-packages of the original's venv (built here first when a chain runs; cached for the measure), from
    the folder the original was copied from (the checkout, its root or a rendered template: its pins written out
    there, as the measure writes them)."""
    from github_venvs import original_venv

    venv = original_venv(app, source)
    return [str(p) for p in sorted(venv.glob("lib/python*/site-packages"))]


def suite_helpers(root: Path, tests: list[Path], given: list[Path]) -> list[Path]:
    """The modules the tests are run with that are not among ``given``: what they import from the tests' folders
    (``from tests.base import BaseTestCase``, ``from .helpers import x``, followed on) and the ``conftest.py``
    files pytest loads for them. A user converts a test suite with them (the app's ``tests`` may list a few of its
    files only): left out, the sync ``setUp`` they hold calls what became a coroutine and never runs it."""
    root = root.resolve()
    folders = {(t if t.is_dir() else t.parent).resolve() for t in tests}
    folders.discard(root)  # tests at the project's root: what they import there is the app's, not a test helper
    covered = {g.resolve() for g in given}

    def inside(path: Path, places) -> bool:
        return any(path == p or p in path.parents for p in places)

    found: list[Path] = []
    for folder in {(t if t.is_dir() else t.parent).resolve() for t in tests}:  # conftest.py up to the root
        for place in [folder, *folder.parents]:
            conftest = place / "conftest.py"
            if conftest.is_file() and not inside(conftest, covered) and conftest not in found:
                found.append(conftest)
            if place == root:
                break
    # a conftest above the listed folders is the suite's too: what it imports from its own folder is a suite helper
    folders |= {c.parent for c in found} - {root}
    test_files = [f for t in tests for f in ([t] if t.is_file() else sorted(t.rglob("*.py")))]
    # pytest's default import mode puts each test module's and conftest.py's folder (the first upwards that is no
    # package) on sys.path: their top-level imports (``from default import with_context``) are read there too
    places = {_pytest_path(f.resolve()) for f in [*test_files, *found]} - {root}
    places = {p for p in places if root in p.parents}
    folders |= places
    queue = test_files + list(found)
    seen = set()
    while queue:
        file = queue.pop().resolve()
        if file in seen:
            continue
        seen.add(file)
        try:
            module = ast.parse(file.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError:
            continue
        for node in ast.walk(module):
            names = []
            if isinstance(node, ast.Import):
                names = [(a.name, 0) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "", node.level)] + [
                    (f"{node.module}.{a.name}" if node.module else a.name, node.level) for a in node.names
                ]
            for name, level in names:
                base = file.parent
                for _ in range(max(level - 1, 0)):
                    base = base.parent
                for start in [base] if level else [root, *sorted(places)]:
                    target = start.joinpath(*name.split(".")) if name else start
                    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                        candidate = candidate.resolve()
                        if candidate.is_file() and inside(candidate, folders) and not inside(candidate, covered):
                            if candidate not in found:
                                found.append(candidate)
                            queue.append(candidate)
    return found


def _pytest_path(file: Path) -> Path:
    """The folder pytest's default import mode (prepend) puts on sys.path for a test module or conftest.py."""
    folder = file.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


# -- routes ------------------------------------------------------------------------------------------


@dataclass
class Route:
    is_async: bool
    text: str


HTTP_METHODS = {"get", "post", "put", "delete", "patch", "head", "options"}
VIEW_BASE = re.compile(r"(View|Resource\w*)$")


def _is_route(node: ast.AST, view_class: bool) -> bool:
    if view_class and getattr(node, "name", "") in HTTP_METHODS:
        return True
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_VERBS
        for d in getattr(node, "decorator_list", [])
    )


def _is_test_module(file: Path) -> bool:
    """A test module or conftest (pytest's names, or under a tests/test folder): its functions are no routes."""
    name = file.name
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or bool({"tests", "test"} & set(file.parts[:-1]))
    )


def _is_view_class(node: ast.ClassDef) -> bool:
    names = [ast.unparse(b).rpartition(".")[2] for b in node.bases]
    return any(VIEW_BASE.search(n) for n in names)


def routes(tree: Path, paths: list[str]) -> dict[str, Route]:
    """``file:qualname`` of each route function under ``paths`` (decorated with a verb): async or not, its text."""
    found = {}
    for relative in paths:
        base = tree / relative
        for file in [base] if base.is_file() else sorted(base.rglob("*.py")):
            if _is_test_module(file.relative_to(tree)):
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            try:
                module = ast.parse(text)
            except SyntaxError:
                continue
            for node, qualname, view_class in _functions(module, "", False):
                if _is_route(node, view_class):
                    key = f"{file.relative_to(tree).as_posix()}:{qualname}"
                    found[key] = Route(isinstance(node, ast.AsyncFunctionDef), ast.get_source_segment(text, node) or "")
    return found


def _functions(node: ast.AST, prefix: str, view_class: bool):
    """Each function with its qualname, and whether it is a method of a class-based view."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            qualname = f"{prefix}{child.name}"
            if isinstance(child, ast.ClassDef):
                yield from _functions(child, f"{qualname}.", _is_view_class(child))
            else:
                yield child, qualname, view_class
                yield from _functions(child, f"{qualname}.", False)


@dataclass
class DbRoutes:
    routes: int = 0  # every route after the chain
    db: int = 0  # DB-backed (see the module's docstring)
    on_async_session: int = 0  # of those: async def at the end, no db.sync_session in it
    left: tuple[str, ...] = ()  # the DB-backed routes that are not (file:qualname)

    def __str__(self) -> str:
        return f"{self.on_async_session}/{self.db} DB-backed routes async on AsyncSession ({self.routes} routes)"


def db_routes(stages: dict[str, dict[str, Route]]) -> DbRoutes:
    """DB-backed routes and how many run on the AsyncSession, from the first and the last stage's routes."""
    if not stages:
        return DbRoutes()
    first, last = list(stages.values())[0], list(stages.values())[-1]
    figure, left = DbRoutes(routes=len(last)), []
    for key, route in last.items():
        before = first.get(key)
        reads = before is not None and bool(DB_READS.search(before.text))
        moved = before is not None and (
            route.is_async > before.is_async or route.text.count("await ") > before.text.count("await ")
        )
        if not (reads or moved or DB_READS.search(route.text)):
            continue
        figure.db += 1
        if route.is_async and "sync_session" not in route.text:
            figure.on_async_session += 1
        else:
            left.append(key)
    figure.left = tuple(left)
    return figure
