"""Measure flask-to-fastapi on the corpus: serves, routes without a TODO, same answers.

Each app under ``apps/`` is converted by the real runner into a temporary copy; its own tests then
run twice in subprocesses, once against the Flask original and once against the conversion (through
``codemods.flask_to_fastapi.testclient``), and every answer the tests received is compared in order.
Every route counts, converted or not (one kept as Flask is not "without a TODO"); "serves" means the
app's real routes answer the conversion as they answered the original (``serving.py``); an app whose
test run fails or writes nothing is reported as failed, and the run exits 1.

    .venv/bin/python tests/codemods/flask_corpus/measure.py [APP...]
"""

from __future__ import annotations

import ast
import json
import os
import shutil
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
sys.path.insert(0, str(HERE))

import suite_warnings  # noqa: E402
from serving import Serving, serves  # noqa: E402
from side_by_side import convert_tree  # noqa: E402

ROUTE_VERBS = {"get", "post", "put", "delete", "patch", "api_route", "head", "options"}
FLASK_LEFT = {"route", "add_url_rule"}  # a route the codemod kept as Flask: counted, never clean


@dataclass
class AppResult:
    name: str
    routes: int = 0
    routes_with_todo: int = 0
    todos: int = 0
    serving: Serving = field(default_factory=Serving)
    requests: int = 0
    same: int = 0
    failed_files: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    error: str = ""  # the measurement itself failed for this app (its test run, or its import)

    @property
    def serves(self) -> bool:
        return self.serving.serves


def count_routes(source: str) -> tuple[int, int]:
    """Routes in converted code, and how many are not converted cleanly: a TODO inside their function
    or decorators, or kept as Flask (``@x.route``, ``x.add_url_rule``) whatever the comments say."""
    lines = source.splitlines()
    routes = with_todo = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FLASK_LEFT:
            routes += 1
            with_todo += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
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


def run_tests(folder: Path, mode: str, out: Path) -> tuple[dict, str]:
    """Every answer the app's tests got, by test; and why the run failed ("" when it did not)."""
    env = {
        **os.environ,
        "CORPUS_MODE": mode,
        "CORPUS_OUT": str(out),
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), str(HERE)]),
    }
    tests = sorted(str(p) for p in folder.glob("test_*.py"))
    done = subprocess.run(
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
            *suite_warnings.pytest_args(),  # the same for the original and the conversion
            *tests,
        ],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return read_run(out, done.returncode, done.stdout + done.stderr, mode)


def read_run(out: Path, returncode: int, output: str, mode: str) -> tuple[dict, str]:
    """The recorded answers, and a reason when the run cannot be judged: no output, no test run,
    or pytest stopped (exit 2-5: interrupted, internal error, usage error, nothing collected)."""
    tail = (output.strip().splitlines() or ["no output"])[-1][:200]
    if not out.exists():
        return {}, f"{mode} test run wrote no answers (pytest exit {returncode}: {tail})"
    records = json.loads(out.read_text())
    if returncode >= 2 or not records.get("__outcomes__"):
        return records, f"{mode} test run failed (pytest exit {returncode}: {tail})"
    return records, ""


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
    original = work / f"{app.name}.original"  # the original runs from a copy too: nothing lands in the checkout
    shutil.copytree(app, original, ignore=shutil.ignore_patterns("__pycache__"))
    result.serving = serves(original, converted, _entry(app))
    before, failed_before = run_tests(original, "flask", work / f"{app.name}.flask.json")
    after, failed_after = run_tests(converted, "fastapi", work / f"{app.name}.fastapi.json")
    failing = [n for n, outcome in before.get("__outcomes__", []) if outcome != "passed"]
    if failing and not failed_before:  # hand-written apps: every test passes on the original
        failed_before = f"flask test run failed: {', '.join(failing[:3])}"
    result.error = failed_before or failed_after
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


def _entry(folder: Path) -> str:
    """The app's package (its ``create_app`` or ``app``), else ``app.py``."""
    packages = [p.name for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    return sorted(p for p in packages if p != "_flask_compat")[0] if packages else "app"


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
        serving = f"{len(r.serving.same)}/{len(r.serving.asked)} real routes"
        print(
            f"{r.name:18} serves={'yes' if r.serves else 'NO '} ({serving}) routes={r.routes:3} "
            f"with TODO={r.routes_with_todo:2} todos={r.todos:2} same answers={r.same}/{r.requests}"
        )
        unlike = [f"real route answers differently: {p}" for p in r.serving.asked if p not in r.serving.same]
        for line in r.failed_files + ([r.serving.error] if r.serving.error else []) + unlike + r.differences[:8]:
            print(f"    {line}")
    print(f"the apps' own tests ran under {suite_warnings.label()} (CORPUS_WARNINGS={suite_warnings.mode()})")
    print_totals(results, serving=sum(r.serves for r in results), requests_label="test requests")
    return 1 if any(r.error for r in results) else 0


def print_totals(results: list, *, serving: int, requests_label: str) -> None:
    """The three figures the issue sets bars for, over every app measured."""
    routes = sum(r.routes for r in results)
    clean = routes - sum(r.routes_with_todo for r in results)
    requests = sum(r.requests for r in results)
    same = sum(r.same for r in results)
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"\nFAILED {r.name}: {r.error}")
    share = 100 * serving / max(1, len(results))
    print(f"\napps serving (a real route answers as before): {serving}/{len(results)} ({share:.0f}%)")
    print(f"apps whose measurement failed: {len(failed)}/{len(results)}")
    print(
        f"routes converted without a TODO (every route, kept-as-Flask ones too): {clean}/{routes} "
        f"({100 * clean / max(1, routes):.1f}%)"
    )
    print(f"{requests_label} answering the same: {same}/{requests} ({100 * same / max(1, requests):.1f}%)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
