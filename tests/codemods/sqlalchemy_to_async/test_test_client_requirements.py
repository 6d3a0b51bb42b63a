"""The report's requirements name httpx where a TestClient became httpx's ``AsyncClient`` (``test_client_calls``).

Starlette 1.10's TestClient runs on ``httpx2`` (and only warns with ``httpx``): a project on it may have httpx2 and
no httpx, and the converted conftest's ``from httpx import ASGITransport, AsyncClient`` failed at collection.
A run whose clients stay TestClients (no database I/O) declares nothing for them.
"""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

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


def test_a_test_client_made_an_async_client_requires_httpx(tmp_path):
    write_tree(tmp_path, {**APP, "tests/conftest.py": CONFTEST})
    (tmp_path / ".git").mkdir()  # the project's root: nothing above it is read
    result = run("sqlalchemy-to-async", [tmp_path], out=tmp_path / "out")
    assert result.count("failed") == 0
    assert "from httpx import ASGITransport, AsyncClient" in (tmp_path / "out/tests/conftest.py").read_text()
    assert "httpx" in result.requirements


def test_a_test_client_left_alone_requires_no_httpx(tmp_path):
    write_tree(tmp_path, {"app/__init__.py": "", "tests/conftest.py": CONFTEST + "\nfrom sqlalchemy import text\n"})
    (tmp_path / ".git").mkdir()
    result = run("sqlalchemy-to-async", [tmp_path], out=tmp_path / "out")
    assert not any(r.split(">")[0].split("=")[0] == "httpx" for r in result.requirements)
