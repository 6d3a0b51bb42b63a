"""Measure typer-to-asyncclick on a real program: its CLI tests and its ``--help``, before and after.

    python scripts/real_app_cli.py APP --python VENV/bin/python --cli src/cli --tests tests --run tests/unit/cli

APP is copied twice (never modified): one copy stays Typer, the other has the CLI and the tests
converted in place with ``asyncshift codemod run typer-to-asyncclick``. Both copies run the same tests
(``VENV`` must have the program's dependencies, asyncclick and pytest-asyncio), and every command's
``--help`` is compared, original against converted. Each converted module is imported once (a failure
there is counted apart). The copy's ``src`` (else its root) comes first on PYTHONPATH; ``--app-object``
may name a Typer app or a plain function run with ``typer.run``. Prints the figures and the report's
requirements. Not a unit test: it runs a whole program's suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ASYNCSHIFT = Path(sys.executable).with_name("asyncshift")

# Run inside the program's venv: walk the command tree from the app object, print every --help.
HELP_WALKER = r"""
import asyncio, importlib, json, sys
module, attr, flavour = sys.argv[1:4]
app = getattr(importlib.import_module(module), attr)
if flavour == "typer":
    import typer.main
    from typer.testing import CliRunner
    if not isinstance(app, typer.Typer):  # a function run with typer.run(main), as typer.run wraps it
        function, app = app, typer.Typer(add_completion=False)
        app.command()(function)
    root = typer.main.get_command(app)
else:
    from asyncclick.testing import CliRunner
    root = app

def walk(command, path):
    yield path
    for name in sorted(getattr(command, "commands", {}) or {}):
        sub = command.commands[name]
        if not getattr(sub, "hidden", False):
            yield from walk(sub, [*path, name])

async def main():
    out = {}
    for path in walk(root, []):
        result = CliRunner().invoke(app, [*path, "--help"], prog_name="prog", terminal_width=100)
        if asyncio.iscoroutine(result):
            result = await result
        out[" ".join(path)] = [result.exit_code, result.output]
    print(json.dumps(out))

asyncio.run(main())
"""


# Run inside the program's venv: import each converted module, print those that fail.
IMPORTER = r"""
import importlib, json, sys, traceback
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException:
        failed[name] = traceback.format_exc(limit=-3)
print(json.dumps(failed))
"""


def source_root(root: Path) -> Path:
    """Where the program's packages are imported from: ``src`` in a src layout, else the root."""
    return root / "src" if (root / "src").is_dir() else root


def home(root: Path) -> str:
    """A home of the copy's own: what a program keeps in ~ (its config, caches, chats) stays with its copy."""
    folder = root.with_name(f"home-{root.name}")
    folder.mkdir(exist_ok=True)
    return str(folder)


def pytest_figures(python: str, root: Path, tests: list[str]) -> tuple[int, int, str]:
    env = {**os.environ, "PYTHONPATH": str(source_root(root)), "HOME": home(root)}
    command = [python, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--maxfail=100000"]
    proc = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-2000:]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error|errors|skipped)", tail)}
    passed = counts.get("passed", 0)
    total = passed + counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
    return passed, total, proc.stdout


def helps(python: str, root: Path, module: str, attr: str, flavour: str) -> dict | None:
    env = {**os.environ, "PYTHONPATH": str(source_root(root)), "HOME": home(root), "COLUMNS": "100", "TERM": "dumb"}
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [python, "-c", HELP_WALKER, module, attr, flavour], cwd=root, env=env, capture_output=True, text=True
    )
    if proc.returncode:  # counted as no help the same; the tests still run
        print(f"--help walk failed ({flavour}):\n{proc.stderr[-3000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def import_failures(python: str, root: Path, report: dict, cli: list[str]) -> dict:
    """The converted modules of the CLI folders that fail at import, with their tracebacks."""
    base, names = source_root(root), []
    for entry in report.get("files", []):
        path = (root / entry["path"]).resolve()
        inside = any(path.is_relative_to((root / folder).resolve()) for folder in cli)
        if entry.get("status") != "changed" or not inside or not path.is_relative_to(base.resolve()):
            continue
        parts = path.relative_to(base.resolve()).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    env = {**os.environ, "PYTHONPATH": str(base), "HOME": home(root)}
    proc = subprocess.run([python, "-c", IMPORTER, *names], cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode:
        return {"<importer>": proc.stderr[-3000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path)
    parser.add_argument("--python", required=True, help="the program's venv python")
    parser.add_argument("--cli", action="append", required=True, help="CLI folder(s) to convert, relative to APP")
    parser.add_argument("--tests", action="append", required=True, help="test paths to convert")
    parser.add_argument("--run", action="append", default=None, help="test paths to run (default: --tests)")
    parser.add_argument("--app-object", default="cli.main:app", help="module:attribute of the root Typer app")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--skip-tests", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="real-app-cli-"))
    original, converted = work / "original", work / "converted"
    for copy in (original, converted):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(copy.with_name(f"home-{copy.name}"), ignore_errors=True)
        shutil.copytree(args.app, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    report = work / "report.json"
    run = subprocess.run(
        [str(ASYNCSHIFT), "codemod", "run", "typer-to-asyncclick", *args.cli, *args.tests, "--report", str(report)],
        cwd=converted,
        capture_output=True,
        text=True,
    )
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:])
    data = json.loads(report.read_text())
    print("requirements:", data.get("requirements"))
    failures = import_failures(args.python, converted, data, args.cli)
    print(f"import failures: {len(failures)} {sorted(failures)}")
    (work / "import-failures.txt").write_text("".join(f"=== {name}\n{tb}\n" for name, tb in failures.items()))
    module, attr = args.app_object.split(":")
    before = helps(args.python, original, module, attr, "typer") or {}
    after = helps(args.python, converted, module, attr, "click") or {}
    same = [path for path in before if before[path] == after.get(path)]
    print(f"--help: {len(same)}/{len(before)} commands print the same help (exit code and text)")
    (work / "help-diff.txt").write_text(
        "".join(
            f"=== {path or '<root>'}\n--- typer\n{before[path][1]}"
            f"--- asyncclick\n{(after.get(path) or [0, '<missing>'])[1]}"
            for path in before
            if path not in same
        )
    )
    if not args.skip_tests:
        for name, root in (("original", original), ("converted", converted)):
            passed, total, output = pytest_figures(args.python, root, args.run or args.tests)
            (work / f"pytest-{name}.txt").write_text(output)
            print(f"tests {name}: {passed}/{total} passed")
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
