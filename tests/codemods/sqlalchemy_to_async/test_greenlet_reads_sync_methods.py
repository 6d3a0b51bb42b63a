"""``self._count()`` in a method that became async, ``_count`` a sync method of the run reading ``self.rel`` (a
relationship of its class that loads on read): the call runs in SQLAlchemy's greenlet, ``await
greenlet_spawn(self._count)``, where that load can await the AsyncSession's connection. Called as it was, the load
raised ``MissingGreenlet`` (a status mixin's duplicate check in an async ``set_status``, on an object made and
flushed). A sync method reading no such relationship is called as it was."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, declared_attr, relationship, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Status(Base):
    __tablename__ = "statuses"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    job_id = Column(Integer, ForeignKey("jobs.id"))


class StatusMixin:
    @declared_attr
    def status(cls):
        return relationship(Status)

    def _count(self):
        return len(self.status)

    def _label(self):
        return f"job {self.id}"

    def set_status(self, name):
        before = self._count()
        self.status = [Status(name=name)]
        db_session.commit()
        return self._label(), before, self._count()


class Job(StatusMixin, Base):
    __tablename__ = "jobs"
    id = Column(Integer, primary_key=True)
"""

CONVERTED = """\
    async def set_status(self, name):
        before = await greenlet_spawn(self._count)
        self.status = [Status(name=name)]
        await db_session.commit()
        return self._label(), before, await greenlet_spawn(self._count)
"""


def test_a_sync_method_reading_its_own_relationship_is_called_in_the_greenlet():
    converted, _ = CODEMOD.apply(SOURCE)
    assert CONVERTED in converted
    assert "    def _count(self):\n        return len(self.status)\n" in converted
    assert CODEMOD.apply(converted)[0] == converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_method_does_what_the_original_did(tmp_path):
    original = _load(tmp_path, "sync_readers_original", SOURCE.replace('"sqlite://"', f'"sqlite:///{tmp_path}/a.db"'))
    try:
        original.Base.metadata.create_all(original.engine)
        job = original.Job()
        original.db_session.add(job)
        original.db_session.commit()
        expected = (job.set_status("new"), job.set_status("ready"))
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("sync_readers_original", None)
    assert expected == (("job 1", 0, 1), ("job 1", 1, 1))

    converted, _ = CODEMOD.apply(SOURCE.replace('"sqlite://"', f'"sqlite:///{tmp_path}/b.db"'))
    module = _load(tmp_path, "sync_readers_converted", converted)

    async def run():
        async with module.engine.begin() as connection:
            await connection.run_sync(module.Base.metadata.create_all)
        job = module.Job()
        module.db_session.add(job)
        await module.db_session.commit()  # made and flushed: its status unloaded, the first read a load
        try:
            return (await job.set_status("new"), await job.set_status("ready"))  # MissingGreenlet before
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(run()) == expected
    finally:
        sys.modules.pop("sync_readers_converted", None)
