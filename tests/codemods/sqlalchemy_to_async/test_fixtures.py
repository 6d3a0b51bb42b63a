"""Tests converted with the code: a fixture's value types the parameter of that name, so tests await."""

from __future__ import annotations

from codemod_helpers import check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

CONFTEST = """\
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


@pytest.fixture(scope="session")
def engine():
    engine = create_engine("sqlite://")
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine):
    connection = engine.connect()
    Base.metadata.create_all(connection)
    session = sessionmaker(bind=connection)()
    yield session
    session.close()
    connection.close()
"""

CONVERTED_CONFTEST = """\
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine


@pytest.fixture(scope="session")
async def engine():
    engine = create_async_engine("sqlite+aiosqlite://")
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_session(engine):
    connection = await engine.connect()
    await connection.run_sync(Base.metadata.create_all)
    session = async_sessionmaker(bind=connection, expire_on_commit=False)()
    yield session
    await session.close()
    await connection.close()
"""

TEST = """\
import pytest
from app.repo import Repo


class TestRepo:
    @pytest.fixture
    def repository(self, db_session):
        return Repo(db_session)

    def test_get(self, repository, db_session):
        db_session.add(User())
        db_session.commit()
        assert repository.get(1)

    def helper(self, db_session):
        return db_session
"""

CONVERTED_TEST = """\
import pytest
from app.repo import Repo


class TestRepo:
    @pytest.fixture
    def repository(self, db_session):
        return Repo(db_session)

    async def test_get(self, repository, db_session):
        db_session.add(User())
        await db_session.commit()
        assert await repository.get(1)

    def helper(self, db_session):
        return db_session
"""

REPO = """\
from sqlalchemy.orm import Session


class Repo:
    def __init__(self, session: Session):
        self.session = session

    def get(self, id):
        return self.session.get(User, id)
"""


def test_a_fixture_from_a_conftest_in_a_folder_above_types_the_test_parameter(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/repo.py": REPO,
            "tests/conftest.py": CONFTEST,
            "tests/unit/test_repo.py": TEST,  # tests/unit is no package: found by folder, as pytest does
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert (tmp_path / "tests/conftest.py").read_text() == CONVERTED_CONFTEST
    assert (tmp_path / "tests/unit/test_repo.py").read_text() == CONVERTED_TEST
    notes = {f.relative: f.notes for f in result.files}
    assert any("asyncio_default_test_loop_scope = session" in n for n in notes["tests/unit/test_repo.py"])


def test_a_sync_function_that_cancels_every_task_runs_in_a_thread():
    check_transformed(
        CODEMOD,
        """\
        import asyncio
        from sqlalchemy.orm import Session


        def shutdown(timeout):
            for task in asyncio.all_tasks():
                task.cancel()


        def cleanup(session: Session):
            shutdown(2.0)
            session.close()
        """,
        """\
        import asyncio
        from sqlalchemy.ext.asyncio import AsyncSession


        def shutdown(timeout):
            for task in asyncio.all_tasks():
                task.cancel()


        async def cleanup(session: AsyncSession):
            await asyncio.to_thread(shutdown, 2.0)
            await session.close()
        """,
    )


def test_a_background_runner_taking_an_awaitable_is_unwrapped():
    check_transformed(
        CODEMOD,
        """\
        from typing import Awaitable
        from sqlalchemy.orm import Session


        def run_async(coro: Awaitable, timeout: float = 30.0):
            return RUNNER.run(coro, timeout)


        class Graph:
            async def fetch_async(self, key):
                return key

            def fetch(self, key):
                return run_async(self.fetch_async(key))


        def sync_one(session: Session, graph: Graph):
            session.add(graph.fetch(1))
            session.commit()
        """,
        """\
        from typing import Awaitable
        from sqlalchemy.ext.asyncio import AsyncSession


        def run_async(coro: Awaitable, timeout: float = 30.0):
            return RUNNER.run(coro, timeout)


        class Graph:
            async def fetch_async(self, key):
                return key

            async def fetch(self, key):
                return await self.fetch_async(key)


        async def sync_one(session: AsyncSession, graph: Graph):
            session.add(await graph.fetch(1))
            await session.commit()
        """,
    )


def test_a_mock_put_in_place_of_a_method_that_became_async_is_an_async_mock():
    check_transformed(
        CODEMOD,
        """\
        from unittest.mock import MagicMock
        from sqlalchemy.orm import Session


        class Repo:
            def __init__(self, session: Session):
                self.session = session

            def get(self, key):
                return self.session.get(User, key)


        def test_get():
            repo = Repo(None)
            repo.get = MagicMock(return_value=1)
            assert repo.get(1) == 1
        """,
        """\
        from unittest.mock import AsyncMock, MagicMock
        from sqlalchemy.ext.asyncio import AsyncSession


        class Repo:
            def __init__(self, session: AsyncSession):
                self.session = session

            async def get(self, key):
                return await self.session.get(User, key)


        async def test_get():
            repo = Repo(None)
            repo.get = AsyncMock(return_value=1)
            assert await repo.get(1) == 1
        """,
    )


def test_a_function_put_in_place_keeps_its_todo():
    after, _ = CODEMOD.apply(
        "from sqlalchemy.orm import Session\n\n\nclass Repo:\n    def __init__(self, session: Session):\n"
        "        self.session = session\n\n    def get(self, key):\n        return self.session.get(User, key)\n\n\n"
        "def test_get():\n    Repo.get = lambda self, key: 1\n"  # on an instance: an AsyncMock (test_stand_ins)
    )
    assert "# TODO(asyncshift): 'Repo.get' is a coroutine function now: what replaces it here must be one too" in after


MOCK_TESTS = """\
import pytest
from unittest.mock import Mock, MagicMock
from app.repo import Repo


@pytest.fixture
def mock_session():
    return Mock()


def test_fixture(mock_session):
    repo = Repo(session=mock_session)
    mock_session.get = Mock(return_value=1)
    mock_session.query.return_value.first.return_value = 1
    assert repo.get(1)


def test_local():
    session = MagicMock()
    repo = Repo(session)
    repo.get(1)
    session.get.assert_called_once()


def test_given_a_spec():
    session = Mock(spec=object)
    Repo(session)
"""

MOCK_TESTS_CONVERTED = """\
import pytest
from unittest.mock import Mock, MagicMock, AsyncMock
from app.repo import Repo
from sqlalchemy.ext.asyncio import AsyncSession


@pytest.fixture
def mock_session():
    return Mock(spec=AsyncSession)


async def test_fixture(mock_session):
    repo = Repo(session=mock_session)
    mock_session.get = AsyncMock(return_value=1)
    # TODO(asyncshift): 'mock_session.query' mocks the legacy Query API; the code under test runs select() with 'await session.execute(...)' now: mock mock_session.execute instead
    mock_session.query.return_value.first.return_value = 1
    assert await repo.get(1)


async def test_local():
    session = MagicMock(spec=AsyncSession)
    repo = Repo(session)
    await repo.get(1)
    session.get.assert_called_once()


def test_given_a_spec():
    session = Mock(spec=object)
    Repo(session)
"""  # noqa: E501


def test_a_bare_mock_handed_in_as_the_session_gets_the_async_session_spec(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/repo.py": (
                "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n\n\nclass Repo:\n"
                "    def __init__(self, session=None):\n        self.session = session or SessionLocal()\n\n"
                "    def get(self, key):\n        return self.session.get(User, key)\n"
            ),
            "tests/test_repo.py": MOCK_TESTS,
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert (tmp_path / "tests/test_repo.py").read_text() == MOCK_TESTS_CONVERTED


def test_an_xunit_teardown_stays_sync_with_a_todo():
    after, _ = CODEMOD.apply(
        "from sqlalchemy.orm import Session\n\n\nclass TestX:\n    def teardown_method(self):\n"
        "        self.session.close()\n\n    def setup_method(self):\n        self.session: Session = make()\n"
    )
    assert "    def teardown_method(self):" in after
    assert "'teardown_method' is called by pytest, which does not await it" in after


def test_patch_object_with_a_sync_replacement_gets_a_todo():
    source = (
        "from unittest.mock import patch\nfrom sqlalchemy.orm import Session\n\n\nclass Repo:\n"
        "    def __init__(self, session: Session):\n        self.session = session\n\n"
        "    def get(self, key):\n        return self.session.get(User, key)\n\n\n"
        "def test_get():\n    repo = Repo(None)\n"
        "    with patch.object(Repo, 'get', fake_get):\n        pass\n"  # on an instance: test_stand_ins
        "    with patch.object(repo, 'get', return_value=1):\n        pass\n"
    )
    after, _ = CODEMOD.apply(source)
    assert after.count("what patch.object puts in its place must be one too") == 1


def test_a_bare_mock_repository_gets_async_mocks_for_the_methods_that_became_async(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/repo.py": (
                "from sqlalchemy.orm import Session\n\n\nclass Repo:\n"
                "    def __init__(self, session: Session = None):\n        self.session = session\n\n"
                "    def get(self, key):\n        return self.session.get(User, key)\n\n"
                "    def name(self):\n        return 'repo'\n"
            ),
            "tests/test_service.py": (
                "from unittest.mock import Mock\nfrom app.repo import Repo\n\n\nclass Service:\n"
                "    def __init__(self, repository=None):\n        self.repository = repository or Repo()\n\n"
                "    def get(self, key):\n        return self.repository.get(key)\n\n\n"
                "class TestService:\n    def setup_method(self):\n        self.mock_repository = Mock()\n"
                "        self.service = Service(self.mock_repository)\n\n    def test_get(self):\n"
                "        self.mock_repository.get.return_value = 1\n        assert self.service.get(1) == 1\n"
            ),
        },
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    after = (tmp_path / "tests/test_service.py").read_text()
    assert "        self.mock_repository = Mock(get=AsyncMock())\n" in after
    assert "    async def test_get(self):\n" in after
    assert "        assert await self.service.get(1) == 1\n" in after


def test_a_class_replaced_with_monkeypatch_by_one_from_outside_the_run_gets_a_todo_naming_its_async_methods(
    tmp_path,
):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/repo.py": (
                "from sqlalchemy.orm import Session\n\n\nclass Repo:\n"
                "    def __init__(self, session: Session = None):\n        self.session = session\n\n"
                "    def get(self, key):\n        return self.session.get(User, key)\n"
            ),
            "tests/test_repo.py": (
                "from fakes import FakeRepo\n\n\n"  # outside the run (a class of the run gets async methods)
                "def test_fake(monkeypatch):\n    monkeypatch.setattr('app.repo.Repo', FakeRepo)\n"
            ),
        },
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    after = (tmp_path / "tests/test_repo.py").read_text()
    assert "# TODO(asyncshift): Repo's methods get are coroutines now: what stands in for it here" in after
