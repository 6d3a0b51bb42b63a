"""Shared helpers for codemod tests: a toy codemod for the runner, and fixture checks in pyupgrade style."""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
import textwrap
from pathlib import Path

import libcst as cst

from codemods.base import Codemod, Notes


class _Rename(cst.CSTTransformer):
    """Renames ``old_name`` to ``new_name``; ``breakme`` becomes invalid Python, ``crashme`` raises."""

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if updated.value == "old_name":
            return updated.with_changes(value="new_name")
        if updated.value == "breakme":
            return cst.Await(cst.Name("x"))  # at module level: parses, but does not compile
        if updated.value == "crashme":
            raise RuntimeError("boom")
        return updated


def _toy(module: cst.Module, notes: Notes) -> cst.Module:
    if "# note-me" in module.code:
        notes.note("saw a note")
    return module.visit(_Rename())


TOY = Codemod(
    name="toy", summary="Renames old_name to new_name.", needles=("old_name", "breakme", "crashme"), transform=_toy
)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root``; return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def check_noop(codemod: Codemod, source: str) -> None:
    source = textwrap.dedent(source)
    after, _ = codemod.apply(source)
    assert after == source


def check_transformed(codemod: Codemod, source: str, expected: str) -> str:
    """``expected`` leaves out the Typer-style help shim (tested on its own in typer_to_asyncclick/test_helpshim.py)."""
    from codemods.typer_to_asyncclick import helpshim

    source, expected = textwrap.dedent(source), textwrap.dedent(expected)
    after, _ = codemod.apply(source)
    assert helpshim.strip(after) == expected
    compile(after, "<fixture>", "exec", dont_inherit=True)
    again, _ = codemod.apply(after)
    assert again == after, "a second run must change nothing"
    return after


# -- run the Typer original and the converted AsyncClick program with the same argv --------------

os.environ.setdefault("TYPER_USE_RICH", "0")  # plain help and errors, comparable with Click's

_counter = itertools.count()


def load(path: Path):
    """Import a program file under a unique module name (so ``__main__`` blocks do not run).

    Its folder is on ``sys.path`` meanwhile, as for ``python file.py``: a converted program imports
    the helper written beside it, and that helper is forgotten after, so each program gets its own."""
    from codemods.typer_to_asyncclick import helpshim

    name = f"_asyncshift_prog_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop(helpshim.HELPER.removesuffix(".py"), None)
    return module


def typer_command(module, entry: str):
    import typer

    target = getattr(module, entry)
    if isinstance(target, typer.Typer):
        return target
    app = typer.Typer(add_completion=False)  # what typer.run() does
    app.command()(target)
    return app


def write_converted(source: str, path: Path) -> str:
    """Convert ``source`` into ``path`` with the helper modules beside it, as the runner writes them."""
    from codemods.typer_to_asyncclick import CODEMOD

    converted, notes = CODEMOD.apply(textwrap.dedent(source))
    path.write_text(converted)
    for name, text in notes.files.items():
        (path.parent / name).write_text(text)
    return converted


def convert_file(source: str, folder: Path) -> tuple[Path, Path, str]:
    from codemods.typer_to_asyncclick import CODEMOD

    source = textwrap.dedent(source)
    converted, notes = CODEMOD.apply(source)
    compile(converted, "<converted>", "exec", dont_inherit=True)
    before, after = folder / f"typer_prog_{next(_counter)}.py", folder / f"click_prog_{next(_counter)}.py"
    before.write_text(source)
    after.write_text(converted)
    for name, text in notes.files.items():  # the helpers, beside it, as the runner writes them
        (folder / name).write_text(text)
    return before, after, converted


async def run_both(
    source: str,
    argvs: list[list[str]],
    folder: Path,
    *,
    entry: str = "app",
    input: str | None = None,
    env: dict | None = None,
):
    """(argv, typer (exit, stdout, stderr), click (exit, stdout, stderr)) for each argv: all a user sees."""
    from asyncclick.testing import CliRunner as ClickRunner
    from typer.testing import CliRunner as TyperRunner

    before, after, converted = convert_file(source, folder)
    assert "typer" not in converted.replace("TODO", ""), converted
    typer_app = typer_command(load(before), entry)
    click_app = getattr(load(after), entry)
    outcomes = []
    for argv in argvs:
        t = TyperRunner().invoke(typer_app, argv, input=input, env=env, prog_name="prog")
        c = await ClickRunner().invoke(click_app, argv, input=input, env=env, prog_name="prog")
        outcomes.append((argv, (t.exit_code, t.stdout, t.stderr), (c.exit_code, c.stdout, c.stderr)))
    return outcomes


async def assert_same(source: str, argvs: list[list[str]], folder: Path, **kwargs) -> None:
    for argv, typer_result, click_result in await run_both(source, argvs, folder, **kwargs):
        assert click_result == typer_result, f"argv={argv}\ntyper: {typer_result}\nclick: {click_result}"


# The program ``run_with_flask_db`` runs starts so: an app object with the config and teardown hooks the async db
# helper reads, on the database ``APP_DATABASE_URL`` names, and its Flask-SQLAlchemy ``db``.
FLASK_DB_APP = """\
import os

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)
"""


# ``FLASK_DB_APP`` with a ``User`` model of an id and a name, the start of most programs run on the async db
FLASK_DB_USER = (
    FLASK_DB_APP
    + """\


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""
)


# A Flask-SQLAlchemy models module read by other modules of a run, and what sqlalchemy-to-async makes of it
FLASK_DB_USERS = (
    """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Users(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def users():
    return Users.query.all()
""",
    """\
from _flask_sqlalchemy_async import SQLAlchemy
from sqlalchemy import select

db = SQLAlchemy()


class Users(db.Model):
    id = db.Column(db.Integer, primary_key=True)


async def users():
    return (await db.session.execute(select(Users))).scalars().all()
""",
)


def run_with_flask_db(folder: Path, converted: str, notes: Notes, database: str, script: str):
    """Run ``script`` in a fresh Python beside a converted Flask-SQLAlchemy ``program.py``, the files the run
    writes with it and the Flask-SQLAlchemy helper, on a SQLite file or in-memory database (``APP_DATABASE_URL``)."""
    import subprocess

    from codemods.flask_to_fastapi.extensions import TEMPLATES

    (folder / "program.py").write_text(converted)
    for name, text in notes.files.items():  # the async db, beside it, as the runner writes it
        (folder / name).write_text(text)
    (folder / "_flask_sqlalchemy.py").write_text((TEMPLATES / "_flask_sqlalchemy.py").read_text())
    url = f"sqlite:///{folder / 'app.db'}" if database == "file" else "sqlite:///:memory:"
    env = {**os.environ, "APP_DATABASE_URL": url, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], env=env, capture_output=True, text=True, timeout=60, cwd=folder
    )
