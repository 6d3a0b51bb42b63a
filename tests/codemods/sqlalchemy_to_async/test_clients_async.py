"""Starlette's TestClient beside an engine the run made async: the tests call the app through httpx's AsyncClient,
every request awaited and the awaits carried up (``test_clients``, ``test_client_calls``)."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async.test_client_calls import LIFESPAN_TODO
from codemods.sqlalchemy_to_async.test_clients import TODO

APP = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "app/db.py": (
        "from sqlalchemy import create_engine, text\nfrom sqlalchemy.orm import Session\n\n"
        'engine = create_engine("sqlite:///app.db")\n\n\n'
        "def count_users():\n    with Session(engine) as session:\n"
        '        return session.execute(text("select count(*) from users")).scalar()\n'
    ),
}
CONFTEST = """\
from collections.abc import Generator

import pytest
from fastapi.testclient import TestClient

from app.main import app
from tests.utils import token_headers


@pytest.fixture(scope="module")
def client() -> Generator[TestClient, None, None]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def headers(client: TestClient) -> dict[str, str]:
    return token_headers(client)
"""
UTILS = """\
from fastapi.testclient import TestClient


def token_headers(client: TestClient) -> dict[str, str]:
    r = client.post("/login", data={"username": "a", "password": "b"})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def login(client, name):
    return client.post("/login", data={"username": name}).json()
"""
TESTS = """\
from fastapi.testclient import TestClient

from tests.utils import login


def test_me(client: TestClient, headers: dict[str, str]) -> None:
    r = client.get("/me", headers=headers)
    assert r.json()["email"]


def test_login(client) -> None:
    assert login(client, "a")["access_token"]
    assert client.cookies.get("session") is None
"""

CONVERTED_CONFTEST = """\
from collections.abc import Generator

import pytest
from httpx import ASGITransport, AsyncClient

from app.main import app
from tests.utils import token_headers


@pytest.fixture(scope="module")
async def client() -> Generator[AsyncClient, None, None]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver", follow_redirects=True) as c:
        yield c


@pytest.fixture(scope="module")
async def headers(client: AsyncClient) -> dict[str, str]:
    return await token_headers(client)
"""
CONVERTED_UTILS = """\
from httpx import AsyncClient


async def token_headers(client: AsyncClient) -> dict[str, str]:
    r = await client.post("/login", data={"username": "a", "password": "b"})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def login(client, name):
    return (await client.post("/login", data={"username": name})).json()
"""
CONVERTED_TESTS = """\
from httpx import AsyncClient

from tests.utils import login


async def test_me(client: AsyncClient, headers: dict[str, str]) -> None:
    r = await client.get("/me", headers=headers)
    assert r.json()["email"]


async def test_login(client) -> None:
    assert (await login(client, "a"))["access_token"]
    assert client.cookies.get("session") is None
"""


def _suite(tmp_path, **more: str) -> dict[str, str]:
    files = {**APP, "tests/__init__.py": "", "tests/conftest.py": CONFTEST, "tests/utils.py": UTILS}
    files.update({"tests/test_api.py": TESTS, **{k.replace("__", "/") + ".py": v for k, v in more.items()}})
    write_tree(tmp_path, files)
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    for path in tmp_path.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    return {p: (tmp_path / p).read_text() for p in files}


def test_a_suite_on_test_client_moves_to_async_client_with_every_request_awaited(tmp_path):
    """The fixture yields an AsyncClient entered with ``async with``; requests in tests and in helpers (typed by
    their annotation, by the fixture, or by what the run hands them) are awaited, and their callers await them."""
    converted = _suite(tmp_path)
    assert converted["tests/conftest.py"] == CONVERTED_CONFTEST
    assert converted["tests/utils.py"] == CONVERTED_UTILS
    assert converted["tests/test_api.py"] == CONVERTED_TESTS
    assert "TODO" not in "".join(converted.values())


def test_a_client_made_at_module_level_keeps_its_arguments_where_httpx_takes_them(tmp_path):
    module = (
        "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n"
        'client = TestClient(app, "http://example.org", False, headers={"X-Key": "k"})\n\n\n'
        'def test_root():\n    assert client.get("/").status_code == 200\n'
    )
    converted = _suite(tmp_path, tests__test_root=module)["tests/test_root.py"]
    assert (
        "client = AsyncClient(transport=ASGITransport(app=app, raise_app_exceptions=False), "
        'base_url="http://example.org", headers={"X-Key": "k"}, follow_redirects=True)'
    ) in converted
    assert 'async def test_root():\n    assert (await client.get("/")).status_code == 200\n' in converted
    assert "TestClient" not in converted


def test_an_app_with_startup_handlers_gets_a_todo_where_the_client_was_entered(tmp_path):
    """``with TestClient(app)`` ran the lifespan; ASGITransport does not."""
    main = "from fastapi import FastAPI\n\nfrom app.life import lifespan\n\napp = FastAPI(lifespan=lifespan)\n"
    converted = _suite(tmp_path, app__main=main)["tests/conftest.py"]
    assert f"    # TODO(asyncshift): {LIFESPAN_TODO}\n    async with AsyncClient(" in converted


def test_a_project_with_asgi_lifespan_runs_the_lifespan_with_it(tmp_path):
    """The project depends on asgi-lifespan already: its ``LifespanManager`` enters the app before the client."""
    (tmp_path / "requirements.txt").write_text("fastapi\nasgi-lifespan==2.1.0\n")
    main = "from fastapi import FastAPI\n\nfrom app.life import lifespan\n\napp = FastAPI(lifespan=lifespan)\n"
    converted = _suite(tmp_path, app__main=main)["tests/conftest.py"]
    assert (
        "    async with LifespanManager(app) as lifespan_manager, AsyncClient(transport=ASGITransport(app="
        'lifespan_manager.app), base_url="http://testserver", follow_redirects=True) as c:\n        yield c\n'
    ) in converted
    assert "from asgi_lifespan import LifespanManager\n" in converted
    assert "TODO" not in converted


def test_a_client_entered_again_keeps_its_todo(tmp_path):
    """``with client:`` on a client made once: an AsyncClient opens once, so the clients stay, with the TODO."""
    module = 'def test_twice(client):\n    with client:\n        assert client.get("/").status_code == 200\n'
    converted = _suite(tmp_path, tests__test_twice=module)
    assert "not rewritten: a client is entered again in 'test_twice'" in converted["tests/conftest.py"]
    assert converted["tests/test_api.py"] == TESTS


def test_a_client_member_httpx_lacks_keeps_every_test_client_with_its_todo(tmp_path):
    """``client.websocket_connect``: no request is half awaited; each TestClient keeps the TODO, with the reason."""
    module = "def test_ws(client):\n    with client.websocket_connect('/ws') as ws:\n        assert ws.receive_json()\n"
    converted = _suite(tmp_path, tests__test_ws=module)
    assert (
        f"# TODO(asyncshift): {TODO} (not rewritten: httpx's AsyncClient has no awaitable 'websocket_connect'"
        in converted["tests/conftest.py"]
    )
    assert converted["tests/utils.py"] == UTILS
    assert converted["tests/test_api.py"] == TESTS


def test_a_client_made_in_a_unittest_case_keeps_its_todo(tmp_path):
    module = (
        "import unittest\n\nfrom fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\n"
        "class TestRoot(unittest.TestCase):\n    def setUp(self):\n        self.client = TestClient(app)\n\n"
        '    def test_root(self):\n        c = TestClient(app)\n        assert c.get("/").status_code == 200\n'
    )
    converted = _suite(tmp_path, tests__test_case=module)["tests/test_case.py"]
    assert "not rewritten: 'TestRoot." in converted
    assert 'assert c.get("/").status_code == 200' in converted


def test_a_client_kept_on_the_test_class_is_followed_through_self(tmp_path):
    """``self.client = TestClient(app)`` in ``setup_method``: built there (no await needed), awaited in the tests."""
    module = (
        "from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\n"
        "class TestRoot:\n    def setup_method(self):\n        self.client = TestClient(app)\n\n"
        '    def test_root(self):\n        assert self.client.get("/").status_code == 200\n'
    )
    converted = _suite(tmp_path, tests__test_class=module)["tests/test_class.py"]
    assert "        self.client = AsyncClient(transport=ASGITransport(app=app)," in converted
    assert (
        '    async def test_root(self):\n        assert (await self.client.get("/")).status_code == 200\n' in converted
    )
    assert "TODO" not in converted


def test_a_client_class_built_on_test_client_keeps_every_test_client(tmp_path):
    """``class Client(TestClient)``: its base cannot become AsyncClient alone, so the clients stay, with the TODO."""
    module = (
        "from fastapi.testclient import TestClient\n\n\nclass Client(TestClient):\n"
        "    def login(self):\n        return self.post('/login')\n"
    )
    converted = _suite(tmp_path, tests__client=module)
    assert "class Client(TestClient):" in converted["tests/client.py"]
    assert "not rewritten: 'Client' is built on TestClient" in converted["tests/conftest.py"]
    assert converted["tests/test_api.py"] == TESTS
