"""Measure flask-to-fastapi on the corpus: imports and serves, routes without a TODO, same answers.

Each app under ``apps/`` is converted by the real runner into a temporary copy; its own tests then
run twice in subprocesses, once against the Flask original and once against the conversion (through
``codemods.flask_to_fastapi.testclient``), and every answer the tests received is compared in order.

    .venv/bin/python tests/codemods/flask_corpus/measure.py [APP...]
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
APPS = HERE / "apps"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent / "flask_to_fastapi"))

from side_by_side import convert_tree  # noqa: E402

ROUTE_VERBS = {"get", "post", "put", "delete", "patch", "api_route", "head", "options"}


@dataclass
class AppResult:
    name: str
    routes: int = 0
    routes_with_todo: int = 0
    todos: int = 0
    imports: bool = False
    requests: int = 0
    same: int = 0
    failed_files: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    error: str = ""


def count_routes(source: str) -> tuple[int, int]:
    """Routes in converted code, and how many carry a TODO inside their function or decorators."""
    lines = source.splitlines()
    routes = with_todo = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            route_decorators = [
                d
                for d in node.decorator_list
                if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_VERBS
            ]
            if route_decorators:
                routes += 1
                start = min(d.lineno for d in node.decorator_list) - 1
                while start > 0 and lines[start - 1].strip().startswith("#"):  # TODOs land above the decorators
                    start -= 1
                text = "\n".join(lines[start : node.end_lineno])
                with_todo += "TODO(asyncshift)" in text
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_api_route":
            routes += 1
            with_todo += "TODO(asyncshift)" in lines[node.lineno - 1]
    return routes, with_todo


def run_tests(folder: Path, mode: str, out: Path) -> dict:
    env = {
        **os.environ,
        "CORPUS_MODE": mode,
        "CORPUS_OUT": str(out),
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), str(HERE)]),
    }
    tests = sorted(str(p) for p in folder.glob("test_*.py"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "recorder",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            "-W",
            "ignore",
            *tests,
        ],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(out.read_text()) if out.exists() else {}


def measure(app: Path, work: Path) -> AppResult:
    result = AppResult(app.name)
    converted = work / app.name
    run = convert_tree(app, converted)
    result.failed_files = [f.error for f in run.files if f.status == "failed"]
    for file in run.files:
        text = Path(file.path).read_text()
        routes, with_todo = count_routes(text)
        result.routes += routes
        result.routes_with_todo += with_todo
        result.todos += text.count("TODO(asyncshift)")
    for test in app.glob("test_*.py"):
        (converted / test.name).write_text(test.read_text())
    result.imports = _imports_and_serves(converted)
    before = run_tests(app, "flask", work / f"{app.name}.flask.json")
    after = run_tests(converted, "fastapi", work / f"{app.name}.fastapi.json")
    for test, answers in before.items():
        if test.startswith("__"):
            continue
        theirs = after.get(test, [])
        for index, answer in enumerate(answers):
            result.requests += 1
            if index < len(theirs) and theirs[index] == answer:
                result.same += 1
            else:
                got = theirs[index] if index < len(theirs) else "no request"
                result.differences.append(
                    f"{test} #{index}: flask {answer[:2]} fastapi {got[:2] if isinstance(got, list) else got}"
                )
    return result


def _imports_and_serves(folder: Path) -> bool:
    """Import the converted app in a fresh process and ask it for a URL (any answer but a server error)."""
    script = (
        "import sys, warnings; warnings.simplefilter('ignore'); sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "import importlib, pathlib\n"
        "from codemods.flask_to_fastapi.testclient import FlaskStyleClient\n"
        "folder = pathlib.Path(sys.argv[1])\n"
        "names = [p.name for p in folder.iterdir() if p.is_dir() and (p / '__init__.py').exists()\n"
        "         and p.name != '_flask_compat'] or ['app']  # the app's package, not the helper package\n"
        "m = importlib.import_module(names[0])\n"
        "target = getattr(m, 'create_app', None) or getattr(m, 'app')\n"
        "app = target() if not hasattr(target, 'routes') else target\n"
        "status = FlaskStyleClient(app).get('/__asyncshift_probe__').status_code\n"
        "assert status < 500, status\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(ROOT)], capture_output=True, text=True, cwd=folder, timeout=120
    )
    return done.returncode == 0


def main(names: list[str]) -> int:
    apps = (
        [APPS / n for n in names]
        if names
        else sorted(p for p in APPS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for app in apps:
            results.append(measure(app, Path(tmp)))
    for r in results:
        print(
            f"{r.name:18} imports+serves={'yes' if r.imports else 'NO '} routes={r.routes:3} "
            f"with TODO={r.routes_with_todo:2} todos={r.todos:2} same answers={r.same}/{r.requests}"
        )
        for line in r.failed_files + r.differences[:8]:
            print(f"    {line}")
    print_totals(results, serving=sum(r.imports for r in results), requests_label="test requests")
    return 0


def print_totals(results: list, *, serving: int, requests_label: str) -> None:
    """The three figures the issue sets bars for, over every app measured."""
    routes = sum(r.routes for r in results)
    clean = routes - sum(r.routes_with_todo for r in results)
    requests = sum(r.requests for r in results)
    same = sum(r.same for r in results)
    print(f"\napps importing and serving: {serving}/{len(results)} ({100 * serving / max(1, len(results)):.0f}%)")
    print(f"routes converted without a TODO: {clean}/{routes} ({100 * clean / max(1, routes):.1f}%)")
    print(f"{requests_label} answering the same: {same}/{requests} ({100 * same / max(1, requests):.1f}%)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
