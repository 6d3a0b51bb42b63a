"""``asyncshift wire`` on services whose constructors take arguments: a session, a repository and
another service are built by the wiring on each side; an abstract base is the caller's to give
(``build(arguments=...)``), named by a TODO, and the service is left out with a warning until it is."""

from __future__ import annotations

import importlib
import sys
import warnings

import anyio
import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.db import Database
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

from .wire_fixtures import CORE_MARKER, OLD, TWINS, write

SERVICES = {
    "src/shop_core/services/audit.py": """\
from sqlalchemy import select
from sqlalchemy.orm import Session

from shop_core.models import Item


class AuditService:
    def __init__(self, session: Session):
        self.session = session

    def count(self):
        return len(self.session.scalars(select(Item)).all())
""",
    "src/shop_core/services/stock.py": """\
from shop_core.repositories.items import ItemRepository
from shop_core.services.catalog import CatalogService


class StockService:
    def __init__(self, items: ItemRepository, catalog: CatalogService, label="stock"):
        self.items, self.catalog = items, catalog

    def names(self):
        return self.items.get_names()

    def catalog_count(self):
        return self.catalog.get_count()
""",
    "src/shop_core/services/report.py": """\
from shop_core.repositories.base import BaseRepository


class ReportService:
    def __init__(self, source: BaseRepository):
        self.source = source

    def names(self):
        return self.source.get_names()
""",
}
TWIN_SERVICES = {
    "src/shop_core_aio/services/audit.py": CORE_MARKER
    + """\
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shop_core.models import Item


class AuditService:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def count(self):
        return len((await self.session.scalars(select(Item))).all())
""",
    "src/shop_core_aio/services/stock.py": CORE_MARKER
    + """\
from shop_core_aio.repositories.items import ItemRepository
from shop_core_aio.services.catalog import CatalogService


class StockService:
    def __init__(self, items: ItemRepository, catalog: CatalogService, label="stock"):
        self.items, self.catalog = items, catalog

    async def names(self):
        return await self.items.get_names()

    async def catalog_count(self):
        return await self.catalog.get_count()
""",
    "src/shop_core_aio/services/report.py": CORE_MARKER
    + """\
class ReportService:
    def __init__(self, source):
        self.source = source

    async def names(self):
        return await self.source.get_names()
""",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name in ("ASYNCSHIFT_FLAGS", "ASYNCSHIFT_ROLLBACK", "ASYNCSHIFT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    write(tmp_path, {**OLD, **SERVICES})
    assert anyio.run(CliRunner().invoke, cli, ["init", str(tmp_path)]).exit_code == 0
    write(tmp_path, {**TWINS, **TWIN_SERVICES})
    wired = anyio.run(CliRunner().invoke, cli, ["wire", str(tmp_path)])
    assert wired.exit_code == 0, wired.output
    monkeypatch.setenv("SHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    yield tmp_path
    for name in list(sys.modules):
        if name.split(".")[0].removesuffix("_aio") in ("shop_core", "shop_web", "shop_cli", "asyncshift_wiring"):
            del sys.modules[name]


def built(root, stage: str, **given):
    models = importlib.import_module("shop_core.models")
    models.Base.metadata.create_all(importlib.import_module("shop_core.db").engine)
    w = importlib.import_module("asyncshift_wiring")
    (root / f"{stage}.yaml").write_text(f"version: 1\ndefault: {stage}\n")
    database = Database.from_url(f"sqlite:///{root / 'shop.db'}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = w.build(database, store=FlagStore(root / f"{stage}.yaml"), recorder=MemoryRecorder(), **given)
    return app, [str(c.message) for c in caught if "asyncshift wiring" in str(c.message)]


def test_what_a_constructor_needs_is_written_and_only_an_abstract_base_is_a_todo(project):
    text = (project / "src/asyncshift_wiring.py").read_text()
    compile(text, "asyncshift_wiring.py", "exec")
    todos = [line for line in text.splitlines() if "TODO(asyncshift)" in line]
    assert len(todos) == 1, todos
    assert "services.report: ReportService takes source: BaseRepository (an abstract base" in todos[0]
    assert "build(arguments={'report': {'source': (old, new)}})" in todos[0]
    w = importlib.import_module("asyncshift_wiring")
    assert w.SERVICE_ARGUMENTS == {
        "audit": {"session": "session"},
        "stock": {
            "items": [
                "shop_core.repositories.items:ItemRepository",
                "shop_core_aio.repositories.items:ItemRepository",
                {"session": "session"},
            ],
            "catalog": "service:catalog",
        },
        "report": {"source": "given"},
    }


def test_at_sync_services_built_with_a_session_a_repository_and_a_service_answer(project):
    app, left_out = built(project, "sync")
    with app.units.sync() as repos:
        repos.items.add("pen")
    assert app.services["audit"].sync.count() == 1
    assert app.services["stock"].sync.names() == ["pen"]
    assert app.services["stock"].sync.catalog_count() == 1
    # the wired service, not a copy (a DualService holds each old side as it ends its worker sessions)
    assert app.services["stock"].old.catalog is app.services["catalog"].old.__wrapped__
    app.sessions.remove()
    assert left_out == [
        "asyncshift wiring: services.report left out: NotBuilt: needs source: "
        "build(arguments={'report': {'source': (old, new)}})"
    ]
    app.database.dispose()


def test_at_async_the_twins_get_an_async_session_each(project):
    app, _ = built(project, "async")
    with app.database.sync_sessions.begin() as session:
        session.add(importlib.import_module("shop_core.models").Item(name="ink"))

    async def new_side():
        found = (await app.services["audit"].aio.count(), await app.services["stock"].aio.names())
        await app.sessions.aremove()  # this task's session, back to the pool
        await app.database.adispose()
        return found

    assert anyio.run(new_side) == (1, ["ink"])
    app.database.dispose()


def test_a_given_argument_wires_the_service(project):
    class Names:
        def get_names(self):
            return ["given"]

    class AsyncNames:
        async def get_names(self):
            return ["given"]

    app, left_out = built(project, "sync", arguments={"report": {"source": (Names(), AsyncNames())}})
    assert left_out == []
    assert app.services["report"].sync.names() == ["given"]
    assert anyio.run(app.services["report"].aio.names) == ["given"]


def test_a_session_is_sqlalchemys_and_what_has_no_twin_or_no_class_is_given(tmp_path):
    from compat.control.wiring_arguments import constructor_arguments

    write(
        tmp_path,
        {
            "shop/models.py": "class Session:\n    pass\n",  # the shop's own (a chat session), not SQLAlchemy's
            "shop/settings.py": "class Settings:\n    pass\n",
            "shop/services/mail.py": """\
from sqlalchemy.orm import Session as DbSession

from shop.models import Session
from shop.settings import Settings


class MailService:
    def __init__(self, db: DbSession, chat: Session, settings: Settings, limit, retries=3):
        pass
""",
            "shop_aio/models.py": "class Session:\n    pass\n",
        },
    )
    found = constructor_arguments(tmp_path, "shop.services.mail:MailService", {"shop": "shop_aio"}, {})
    assert found.specs == {
        "db": "session",
        "chat": ["shop.models:Session", "shop_aio.models:Session", {}],
        "settings": "given",
        "limit": "given",
    }
    assert found.given == {
        "settings": "settings: Settings (Settings has no twin)",
        "limit": "limit (no class annotation says what it is)",
    }


ABSTRACT = {
    "shop/repositories/base.py": """\
from abc import ABC, abstractmethod


class BaseNotes(ABC):
    @abstractmethod
    def get_notes(self): ...


class BaseCalendars(ABC):
    @abstractmethod
    def get_calendars(self): ...
""",
    "shop/repositories/notes.py": """\
from sqlalchemy.orm import Session

from .base import BaseNotes


class SqlNotes(BaseNotes):
    def __init__(self, session: Session):
        self.session = session
""",
    "shop/repositories/calendars.py": """\
from shop.repositories import base


class SqlCalendars(base.BaseCalendars):
    pass


class GraphCalendars(base.BaseCalendars):
    pass
""",
    "shop/services/diary.py": """\
from shop.repositories.base import BaseCalendars, BaseNotes


class DiaryService:
    def __init__(self, notes: BaseNotes, calendars: BaseCalendars):
        pass
""",
    "shop_aio/repositories/notes.py": "class SqlNotes:\n    pass\n",
}


def test_an_abstract_base_with_one_implementation_is_built_with_it_and_several_are_named(tmp_path):
    from compat.control.wiring import Pair, Plan
    from compat.control.wiring_arguments import constructor_arguments, with_arguments

    write(tmp_path, ABSTRACT)
    twins = {"shop": "shop_aio"}
    found = constructor_arguments(tmp_path, "shop.services.diary:DiaryService", twins, {})
    assert found.specs == {
        "notes": ["shop.repositories.notes:SqlNotes", "shop_aio.repositories.notes:SqlNotes", {"session": "session"}],
        "calendars": "given",
    }
    assert found.chosen == {
        "notes": "notes: BaseNotes: built with shop.repositories.notes.SqlNotes, "
        "the only implementation of it in the code"
    }
    assert found.given == {
        "calendars": "calendars: BaseCalendars (an abstract base with 2 implementations: SqlCalendars, "
        "GraphCalendars: which is the application's choice)"
    }
    plan = Plan(project="shop", services=[Pair("diary", "shop.services.diary:DiaryService", "x", needs=("n", "c"))])
    with_arguments(plan, tmp_path, twins)
    assert [section for section, _ in plan.notes] == ["services"]
    assert plan.notes[0][1].startswith("services.diary: DiaryService takes notes: BaseNotes: built with")
    assert len(plan.todos) == 1 and "GraphCalendars" in plan.todos[0][1]


class _Builds:
    pass


class _RaisesWhenBuilt:
    def __init__(self):
        raise AttributeError("'member_descriptor' object has no attribute 'strip'")


@pytest.mark.parametrize(
    ("old", "new", "whose"),
    [
        (_RaisesWhenBuilt, _RaisesWhenBuilt, "the original "),
        (_Builds, _RaisesWhenBuilt, "the twin (the original builds) "),
    ],
)
def test_a_constructor_that_raises_says_whether_the_original_raises_too(old, new, whose):
    from compat.control.wiring_services import NotBuilt, ServiceSides

    sides = ServiceSides(database=None, pairs={"dedup": (old, new)}, arguments={}, given={})
    with pytest.raises(NotBuilt) as raised:
        sides.sides("dedup")
    assert str(raised.value) == (
        f"{whose}{__name__}._RaisesWhenBuilt raises when built: "
        "AttributeError: 'member_descriptor' object has no attribute 'strip'"
    )
    assert isinstance(raised.value.__cause__, AttributeError)
