"""Measure sqlalchemy-to-async on a real application's core: convert a copy, import every module, run its tests.

Not a unit test (it runs a whole application's suite in its own venv). Usage:

    python scripts/real_app_core.py --app /tmp/aa --venv /tmp/app-venv --work /tmp/work \\
        --paths src/core tests/conftest.py tests/unit/repositories tests/unit/services tests/unit/orchestrators \\
        --tests tests/unit/repositories tests/unit/services tests/unit/orchestrators

The venv must have the application's requirements, aiosqlite, pytest-asyncio and asyncshift installed.
Prints: files changed, TODOs, converted modules that import / total, tests passed / total on both copies.
``--codemods typer-to-asyncclick,sqlalchemy-to-async`` runs a chain, each codemod on the one before's output.
``--src .`` when the packages sit at the application's root; ``--env KEY=VALUE`` (repeated) for settings the
application reads from its environment (imports and tests run with a bare one otherwise).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path


def convert(venv: Path, work: Path, paths: list[str], codemods: list[str]) -> list[dict]:
    """Each codemod in order, in place on the copy, over all ``paths`` (each on the one before's output).

    A file is changed when any codemod changed it and failed when any failed it; its TODOs are those in the
    final copy (a report counts the markers in its own output, so the last codemod's count is the total)."""
    files: dict[str, dict] = {}
    for step, codemod in enumerate(codemods):
        report = work / f"codemod-report-{step}-{codemod}.json"
        cmd = [str(venv / "bin/asyncshift"), "codemod", "run", codemod, *paths, "--report", str(report)]
        done = subprocess.run(cmd, cwd=work, check=False, capture_output=True, text=True)
        if not report.exists():
            raise SystemExit(f"{codemod} wrote no report: {done.stderr.strip()[-400:]}")
        for result in json.loads(report.read_text())["files"]:
            before = files.get(result["path"], {})
            status = result.get("status")
            if before.get("status") in ("changed", "failed") and status != "failed":
                status = before["status"]
            files[result["path"]] = {**result, "status": status}
    for path, result in files.items():
        if (work / path).is_file():
            result["todos"] = (work / path).read_text(errors="replace").count("# TODO(asyncshift):")
    return list(files.values())


def set_asyncio_mode(work: Path) -> None:
    """What the codemod's report asks of the pytest config once tests became async (it does not edit it)."""
    ini = work / "pytest.ini"
    if not ini.exists():
        return
    keys = r"^asyncio_(mode|default_fixture_loop_scope|default_test_loop_scope)\s*=.*\n"
    text = re.sub(keys, "", ini.read_text(), flags=re.M)
    wanted = "".join(
        f"{key} = {value}\n"
        for key, value in [
            ("asyncio_mode", "auto"),
            ("asyncio_default_fixture_loop_scope", "session"),
            ("asyncio_default_test_loop_scope", "session"),
        ]
    )
    ini.write_text(re.sub(r"^\[pytest\]\n", "[pytest]\n" + wanted, text, flags=re.M))


def _env(root: Path, src: str, extra: dict[str, str]) -> dict[str, str]:
    return {"PYTHONPATH": str(root / src), "PATH": "/usr/bin:/bin", "HOME": "/tmp", **extra}


def imports(venv: Path, work: Path, files: list[str], src: str, extra: dict[str, str]) -> tuple[int, list[str]]:
    """Each converted module under ``src`` imported in a fresh interpreter: (ok count, failures)."""
    failed = []
    prefix = "" if src in (".", "") else src.rstrip("/") + "/"
    modules = [f for f in files if f.startswith(prefix) and f.endswith(".py")]
    for relative in modules:
        name = relative[len(prefix) : -3].replace("/", ".").removesuffix(".__init__")
        code = f"import importlib; importlib.import_module({name!r})"
        done = subprocess.run(
            [str(venv / "bin/python"), "-c", code],
            cwd=work,
            env=_env(work, src, extra),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            failed.append(f"{relative}: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return len(modules) - len(failed), failed


def run_tests(venv: Path, root: Path, tests: list[str], src: str, extra: dict[str, str]) -> tuple[int, int, str]:
    cmd = [str(venv / "bin/python"), "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider", "-o", "addopts="]
    done = subprocess.run(cmd, cwd=root, env=_env(root, src, extra), capture_output=True, text=True)
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    passed = sum(int(n) for n in re.findall(r"(\d+) passed", tail))
    total = passed + sum(int(n) for n in re.findall(r"(\d+) (?:failed|error|errors)", tail))
    return passed, total, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, required=True)
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--src", default="src")
    parser.add_argument("--paths", nargs="+", required=True)
    parser.add_argument("--tests", nargs="+", required=True)
    parser.add_argument("--skip-original", action="store_true")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--codemods", default="sqlalchemy-to-async", help="a chain: A,B runs B on A's output")
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.env)
    converted = args.work / "converted"
    shutil.rmtree(converted, ignore_errors=True)
    shutil.copytree(args.app, converted, symlinks=True)
    results = convert(args.venv, converted, args.paths, args.codemods.split(","))  # paths relative to the copy
    changed = [r["path"] for r in results if r.get("status") == "changed"]
    todos = sum(r.get("todos", 0) for r in results)
    failed = [r for r in results if r.get("status") == "failed"]
    set_asyncio_mode(converted)
    ok, import_failures = imports(args.venv, converted, changed, args.src, extra)
    print(f"files changed: {len(changed)}, failed: {len(failed)}, TODOs: {todos}")
    print(f"converted modules under {args.src}/ that import: {ok}/{ok + len(import_failures)}")
    for failure in import_failures:
        print("  import failed:", failure)
    passed, total, log = run_tests(args.venv, converted, args.tests, args.src, extra)
    (args.work / "converted-tests.log").write_text(log)
    print(f"converted: {passed}/{total} tests passed (log: {args.work / 'converted-tests.log'})")
    if not args.skip_original:
        passed, total, log = run_tests(args.venv, args.app, args.tests, args.src, extra)
        (args.work / "original-tests.log").write_text(log)
        print(f"original:  {passed}/{total} tests passed (log: {args.work / 'original-tests.log'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
