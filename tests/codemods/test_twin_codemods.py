"""``--twin`` with each real codemod on a small package (a template folder, a test module, classes): every
output parses, a second run's ``--check`` passes, and the twin imports and runs beside the original."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import textwrap

import pytest
from asyncclick.testing import CliRunner
from codemod_helpers import write_tree

from compat.control.commands import cli

FLASK = {
    "webapp/__init__.py": """
        from flask import Flask

        from webapp.views import bp


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(bp)
            return app
    """,
    "webapp/views.py": """
        from flask import Blueprint, jsonify, render_template

        from webapp.models import Greeter

        bp = Blueprint("pages", __name__)


        @bp.route("/")
        def index():
            return render_template("index.html", name=Greeter().name())


        @bp.route("/api")
        def api():
            return jsonify(greeting=Greeter().name())
    """,
    "webapp/models.py": """
        class Greeter:
            def name(self):
                return "world"
    """,
    "webapp/templates/index.html": "<h1>Hello {{ name }}</h1>\n",
    "webapp/static/site.css": "h1 { color: red }\n",
    "webapp/tests/__init__.py": "",
    "webapp/tests/test_models.py": """
        from unittest import mock

        from webapp.models import Greeter


        def test_name():
            with mock.patch("webapp.models.Greeter.name", return_value="x"):
                assert Greeter().name() == "x"
    """,
}

TYPER = {
    "tool/__init__.py": "",
    "tool/util.py": """
        class Greeter:
            def greet(self, name: str) -> str:
                return f"Hello {name}"
    """,
    "tool/main.py": """
        import typer

        from tool import util

        app = typer.Typer()


        @app.command()
        def hello(name: str = typer.Option("world", help="Who to greet.")):
            typer.echo(util.Greeter().greet(name))


        @app.command()
        def bye():
            typer.echo("bye")
    """,
    "tool/templates/banner.txt": "hello\n",
    "tool/tests/__init__.py": "",
    "tool/tests/test_main.py": """
        from unittest import mock

        from typer.testing import CliRunner

        from tool.main import app

        runner = CliRunner()


        def test_hello():
            result = runner.invoke(app, ["hello", "--name", "you"])
            assert result.output == "Hello you\\n"


        def test_hello_patched():
            with mock.patch("tool.util.Greeter.greet", return_value="patched"):
                result = runner.invoke(app, ["hello"])
            assert result.output == "patched\\n"
    """,
}

SQLALCHEMY = {
    "data/__init__.py": "",
    "data/db.py": """
        from sqlalchemy import create_engine
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

        engine = create_engine("sqlite://")
        SessionLocal = sessionmaker(bind=engine)


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]
    """,
    "data/repo.py": """
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from data.db import User


        class UserRepository:
            def __init__(self, session: Session):
                self.session = session

            def add(self, name: str) -> User:
                user = User(name=name)
                self.session.add(user)
                self.session.commit()
                return user

            def names(self) -> list[str]:
                return list(self.session.scalars(select(User.name).order_by(User.name)))
    """,
    "data/service.py": """
        from data.repo import UserRepository


        class UserService:
            def __init__(self, repo: UserRepository):
                self.repo = repo

            def register(self, name: str) -> str:
                self.repo.add(name)
                return ", ".join(self.repo.names())
    """,
    "data/templates/report.sql": "select 1;\n",
    "data/tests/__init__.py": "",
    "data/tests/test_service.py": """
        from unittest import mock

        from data.db import Base, SessionLocal, engine
        from data.repo import UserRepository
        from data.service import UserService


        def test_register():
            Base.metadata.create_all(engine)
            with SessionLocal() as session:
                assert UserService(UserRepository(session)).register("ann") == "ann"


        def test_register_patched():
            with mock.patch("data.repo.UserRepository.names", return_value=["x"]):
                with mock.patch("data.repo.UserRepository.add"):
                    assert UserService(UserRepository(None)).register("bob") == "x"
    """,
}


def _write(root, files):
    return write_tree(root, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})


async def _twin(tmp_path, monkeypatch, codemod: str, files: dict, old: str) -> dict:
    src = _write(tmp_path / "src", files)
    monkeypatch.chdir(tmp_path)
    args = ["codemod", "run", codemod, f"src/{old}", "--twin", f"{old}={old}_async", "--report", "r.json"]
    result = await CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    twin = src / f"{old}_async"
    for path in twin.rglob("*.py"):
        compile(path.read_text(), str(path), "exec", dont_inherit=True)
        assert not re.search(rf"^\s*(from|import) {old}[ .]", path.read_text(), re.M), path
    assert (twin / next(n for n in files if not n.endswith(".py")).split("/", 1)[1]).exists(), "non-Python copied"
    again = await CliRunner().invoke(cli, [*args[:-2], "--check"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert all(text == (src / name).read_text() for name, text in _sources(files).items()), "original untouched"
    monkeypatch.syspath_prepend(str(src))
    return json.loads((tmp_path / "r.json").read_text())["twins"][0]


def _sources(files: dict) -> dict:
    return {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()}


@pytest.fixture
def forget():
    yield
    for name in [m for m in sys.modules if m.split(".")[0] in ("webapp", "webapp_async", "tool", "tool_async")]:
        del sys.modules[name]
    for name in [m for m in sys.modules if m.split(".")[0] in ("data", "data_async")]:
        del sys.modules[name]


def _pytest(folder, tests: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto", tests],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_flask_to_fastapi_twin_serves_its_copied_templates(tmp_path, monkeypatch, forget):
    from starlette.testclient import TestClient

    twin = await _twin(tmp_path, monkeypatch, "flask-to-fastapi", FLASK, "webapp")
    assert {"old": "webapp.models.Greeter", "new": "webapp_async.models.Greeter", "async_methods": []} in twin[
        "classes"
    ]
    package = importlib.import_module("webapp_async")
    client = TestClient(package.create_app())
    assert "Hello world" in client.get("/").text
    from unittest import mock

    with mock.patch("webapp_async.models.Greeter.name", return_value="you"):
        assert client.get("/api").json() == {"greeting": "you"}
    assert "webapp" not in sys.modules, "the twin never imports the original"
    assert _pytest(tmp_path / "src", "webapp_async/tests").returncode == 0


async def test_typer_to_asyncclick_twin_runs_its_converted_tests(tmp_path, monkeypatch, forget):
    from asyncclick.testing import CliRunner as ClickRunner

    twin = await _twin(tmp_path, monkeypatch, "typer-to-asyncclick", TYPER, "tool")
    assert {"old": "tool.main", "new": "tool_async.main"} in twin["modules"]
    main = importlib.import_module("tool_async.main")
    assert (await ClickRunner().invoke(main.app, ["hello", "--name", "you"])).output == "Hello you\n"
    assert "tool" not in sys.modules
    run = _pytest(tmp_path / "src", "tool_async/tests")
    assert run.returncode == 0, run.stdout
    assert "2 passed" in run.stdout


async def test_sqlalchemy_to_async_twin_lists_the_classes_for_compat_dual_and_runs(tmp_path, monkeypatch, forget):
    twin = await _twin(tmp_path, monkeypatch, "sqlalchemy-to-async", SQLALCHEMY, "data")
    pairs = {pair["old"]: pair for pair in twin["classes"]}
    assert pairs["data.repo.UserRepository"] == {
        "old": "data.repo.UserRepository",
        "new": "data_async.repo.UserRepository",
        "async_methods": ["add", "names"],
    }
    assert pairs["data.service.UserService"]["async_methods"] == ["register"]
    db = importlib.import_module("data_async.db")
    repo = importlib.import_module("data_async.repo")
    service = importlib.import_module("data_async.service")
    async with db.engine.begin() as connection:
        await connection.run_sync(db.Base.metadata.create_all)
    async with db.SessionLocal() as session:
        assert await service.UserService(repo.UserRepository(session)).register("ann") == "ann"
    await db.engine.dispose()
    assert "data" not in sys.modules
    run = _pytest(tmp_path / "src", "data_async/tests")
    assert run.returncode == 0, run.stdout
    assert "2 passed" in run.stdout
