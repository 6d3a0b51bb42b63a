"""Starlette's TestClient beside an engine the run made async becomes httpx's AsyncClient (``test_clients``; the
whole suite in ``test_clients_async``); in a run without database I/O it is left alone."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async.test_clients import TODO

APP = {
    "app/__init__.py": "",
    "app/db.py": (
        "from sqlalchemy import create_engine, text\nfrom sqlalchemy.orm import Session\n\n"
        'engine = create_engine("sqlite:///app.db")\n\n\n'
        "def count_users():\n    with Session(engine) as session:\n"
        '        return session.execute(text("select count(*) from users")).scalar()\n'
    ),
}
CONFTEST = (
    "import pytest\nfrom fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\n"
    "@pytest.fixture\ndef client():\n    with TestClient(app) as c:\n        yield c\n"
)


def test_a_test_client_beside_an_async_engine_becomes_an_async_client(tmp_path):
    write_tree(tmp_path, {**APP, "tests/conftest.py": CONFTEST})
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    conftest = (tmp_path / "tests/conftest.py").read_text()
    assert TODO not in conftest
    assert "async def client():\n    async with AsyncClient(transport=ASGITransport(app=app)," in conftest
    compile(conftest, "conftest.py", "exec")


def test_a_test_client_in_a_run_without_database_io_is_left_alone(tmp_path):
    write_tree(tmp_path, {"app/__init__.py": "", "tests/conftest.py": CONFTEST + "\nfrom sqlalchemy import text\n"})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    assert "TODO" not in (tmp_path / "tests/conftest.py").read_text()
