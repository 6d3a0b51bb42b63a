"""A pytest plugin, loaded into a run of Typer's own tutorial tests: replays every invocation on the converted program.

Typer's tests already know the real argv, input, env and files for each program; wrapping
``CliRunner.invoke`` and their ``subprocess.run(... mod.__file__ ...)`` calls reuses all of that.
The original result goes back to the test unchanged; one JSON line per invocation (exit code, stdout
and stderr of both) goes to ``$ASYNCSHIFT_RESULTS``. Driven by ``typer_corpus.py``; never collected by our own test run.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import subprocess
import sys
import traceback
from pathlib import Path

import anyio
import asyncclick
import typer
import typer.testing
from asyncclick.testing import CliRunner as ClickRunner

DOCS = Path(os.environ["ASYNCSHIFT_DOCS"]).resolve()  # the sdist's docs_src
CONVERTED = Path(os.environ["ASYNCSHIFT_CONVERTED"]).resolve()  # <out>/asyncshift_converted
RESULTS = Path(os.environ["ASYNCSHIFT_RESULTS"])
PACKAGE = CONVERTED.name
MIRRORED = ("get_app_dir", "launch", "getchar", "pause", "clear", "edit")  # helpers tests may fake

_real_invoke = typer.testing.CliRunner.invoke
_real_run = subprocess.run
_typer_helpers = {name: getattr(typer, name, None) for name in MIRRORED}
_loaded: dict[Path, object] = {}
_current_test = ""


def _record(row: dict) -> None:
    row["test"] = _current_test
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _in_docs(path: str | Path | None) -> Path | None:
    if not path:
        return None
    resolved = Path(path).resolve()
    return resolved if resolved.is_relative_to(DOCS) else None


def _converted_path(original: Path) -> Path:
    return CONVERTED / original.relative_to(DOCS)


def _load_converted(original: Path):
    """Import the converted twin of ``original``; its sibling files shadow same-named originals meanwhile."""
    if original in _loaded:
        return _loaded[original]
    target = _converted_path(original)
    rel = target.relative_to(CONVERTED.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    folder = target.parent
    siblings = {p.stem for p in folder.glob("*.py")} | {p.parent.name for p in folder.glob("*/__init__.py")}
    saved = {name: sys.modules.pop(name) for name in list(siblings) if name in sys.modules}
    sys.path[:0] = [str(folder), str(CONVERTED.parent)]
    try:
        module = importlib.import_module(".".join(parts))
    finally:
        del sys.path[:2]
        for name in siblings:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
    _loaded[original] = module
    return module


def _locate(app) -> tuple[Path, str, object] | None:
    """Which program file and attribute the invoked Typer app is, and the app to run as the original.

    A test that wraps a program's function in its own ``typer.Typer()`` stands for the program's entry
    point: its ``app`` when it has one, else ``typer.run(main)``, i.e. ``Typer(add_completion=False)``.
    """
    found = []
    for module in list(sys.modules.values()):
        path = _in_docs(getattr(module, "__file__", None))
        if path is None:
            continue
        for attr, value in list(vars(module).items()):
            if value is app:
                found.append((attr != "app", path, attr))
    if found:
        _, path, attr = min(found)
        return path, attr, app
    commands = getattr(app, "registered_commands", None) or []
    if len(commands) == 1 and commands[0].callback is not None:
        callback = commands[0].callback
        path = _in_docs(getattr(sys.modules.get(callback.__module__), "__file__", None))
        program = sys.modules.get(callback.__module__)
        own = getattr(program, "app", None)  # the program's own app around this function, if it has one
        if (
            path is not None
            and isinstance(own, typer.Typer)
            and [c.callback for c in own.registered_commands] == [callback]
        ):
            return path, "app", own
        if path is not None:
            as_run = typer.Typer(add_completion=False)
            as_run.command()(callback)
            return path, callback.__name__, as_run
    return None


class _Mirror:
    """Give asyncclick the fakes a test put on typer (``monkeypatch.setattr(typer, "get_app_dir", ...)``)."""

    def __enter__(self):
        self.saved = {}
        for name in MIRRORED:
            current = getattr(typer, name, None)
            if current is not _typer_helpers[name]:
                self.saved[name] = getattr(asyncclick, name)
                setattr(asyncclick, name, current)

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            setattr(asyncclick, name, value)


def _outcome(result) -> dict:
    exception = result.exception
    shown = None
    if exception is not None and not isinstance(exception, SystemExit):
        shown = "".join(traceback.format_exception_only(type(exception), exception)).strip()[-300:]
    return {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr, "exception": shown}


def invoke(self, app, args=None, input=None, env=None, catch_exceptions=True, color=False, **extra):
    location = _locate(app)
    if location is not None:
        # What ``python file.py`` shows, for both programs, rather than CliRunner's guess from the command.
        extra.setdefault("prog_name", location[0].name)
        app = location[2]
    random.seed(0)  # programs that pick at random pick the same on both sides
    original = _real_invoke(self, app, args, input, env, catch_exceptions, color, **extra)
    row = {
        "kind": "runner",
        "argv": args if isinstance(args, (str, type(None))) else list(args),
        "input": input,
        "env": env,
    }
    row["typer"] = _outcome(original)
    if location is None:
        row.update(program=None, click=None, error="invoked app not found in docs_src")
        _record(row)
        return original
    path, attr, _ = location
    row["program"] = path.relative_to(DOCS).as_posix()
    try:
        command = getattr(_load_converted(path), attr)
    except Exception as exc:
        row.update(click=None, error=f"converted program did not load: {type(exc).__name__}: {exc}"[:300])
        _record(row)
        return original
    random.seed(0)
    if not typer.core.HAS_RICH:  # a test that turned rich off in-process (monkeypatch): what TYPER_USE_RICH=0 does
        env = {**(env or {}), "TYPER_USE_RICH": "0"}
    with _Mirror():
        converted = anyio.run(lambda: ClickRunner().invoke(command, args, input, env, catch_exceptions, color, **extra))
    row["click"] = _outcome(converted)
    _record(row)
    return original


def run(cmd, *args, **kwargs):
    """``python -m coverage run FILE ARGS`` on a docs program: run FILE and its converted twin plainly."""
    if isinstance(cmd, (list, tuple)) and "coverage" in cmd and "run" in cmd:
        at = list(cmd).index("run") + 1
        path = _in_docs(cmd[at]) if at < len(cmd) else None
        if path is not None:
            argv = [str(a) for a in cmd[at + 1 :]]
            original = _real_run([sys.executable, str(path), *argv], *args, **kwargs)
            converted = _real_run([sys.executable, str(_converted_path(path)), *argv], *args, **kwargs)
            _record(
                {
                    "kind": "script",
                    "program": path.relative_to(DOCS).as_posix(),
                    "argv": argv,
                    "input": kwargs.get("input"),
                    "env": None,
                    "typer": {
                        "exit": original.returncode,
                        "stdout": _text(original.stdout),
                        "stderr": _text(original.stderr),
                        "exception": _tail(original.stderr),
                    },
                    "click": {
                        "exit": converted.returncode,
                        "stdout": _text(converted.stdout),
                        # the program's own path as the user ran it (a traceback names the file)
                        "stderr": _as_original(_text(converted.stderr), path),
                        "exception": _tail(converted.stderr),
                    },
                }
            )
            return original
    return _real_run(cmd, *args, **kwargs)


def _text(value) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _as_original(text: str | None, original: Path) -> str | None:
    """The converted run's output with its file's path written as the original's, nothing else changed."""
    return text.replace(str(_converted_path(original)), str(original)) if text else text


def _tail(stderr) -> str | None:
    text = _text(stderr) or ""
    return text.strip().splitlines()[-1][-300:] if "Traceback" in text else None


def pytest_configure(config) -> None:
    typer.testing.CliRunner.invoke = invoke
    subprocess.run = run


def pytest_runtest_setup(item) -> None:
    global _current_test
    _current_test = item.nodeid
