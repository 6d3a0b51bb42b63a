"""``object_session(obj)`` becomes ``async_object_session(obj)``: the AsyncSession the object is in, whose I/O is
awaited, where ``object_session`` gives its sync ``Session`` (``await session.commit()`` on it: TypeError; its
queries: ``MissingGreenlet``). A query's ``.with_for_update()`` is a step of ``select()`` too (the same ``SELECT ...
FOR UPDATE``): it was "legacy Query .with_for_update() has no 2.0 rewrite here", the chain left on the sync query."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD
from codemods.sqlalchemy_to_async.entity_results import CODE

HELPER = CODE.format(name="_entity_result")  # written once into the module

MODEL = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, object_session, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Job(Base):
    __tablename__ = "jobs"
    id = Column(Integer, primary_key=True)
    status = Column(String(20))

    def set_status(self, status):
        session = object_session(self) or db_session
        session.add(self)
        if self.id:
            session.query(Job).filter_by(id=self.id).with_for_update().first()
        self.status = status
        session.commit()
        return self.status
"""

CONVERTED_METHOD = """\
    async def set_status(self, status):
        session = async_object_session(self) or db_session
        session.add(self)
        if self.id:
            (await session.execute(select(Job).filter_by(id=self.id).with_for_update().limit(1))).scalars().first()
        self.status = status
        await session.commit()
        return self.status
"""


def test_object_session_and_a_locking_query_are_converted():
    converted, _ = CODEMOD.apply(MODEL)
    assert CONVERTED_METHOD in converted
    assert "from sqlalchemy.orm import declarative_base\n" in converted
    assert "from sqlalchemy.ext.asyncio import async_object_session, async_scoped_session," in converted
    assert "TODO" not in converted
    assert CODEMOD.apply(converted)[0] == converted


def test_a_plain_query_chain_with_for_update():
    check_transformed(
        CODEMOD,
        """\
from sqlalchemy.orm import Session


def lock(session: Session, m, key):
    return session.query(m).filter_by(id=key).with_for_update(nowait=True).one()
""",
        """\
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def lock(session: AsyncSession, m, key):
    return _entity_result((await session.execute(select(m).filter_by(id=key).with_for_update(nowait=True))), m).one()
""".replace("\n\n\nasync def", "\n" + HELPER + "\nasync def"),
    )


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_method_does_what_the_original_did(tmp_path):
    source = MODEL.replace('"sqlite://"', f'"sqlite:///{tmp_path / "original.db"}"')
    original = _load(tmp_path, "object_session_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        job = original.Job(status="new")
        original.db_session.add(job)
        original.db_session.commit()
        expected = (job.set_status("ready"), original.db_session.get(original.Job, job.id).status)
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("object_session_original", None)
    assert expected == ("ready", "ready")

    converted, _ = CODEMOD.apply(MODEL.replace('"sqlite://"', f'"sqlite:///{tmp_path / "converted.db"}"'))
    module = _load(tmp_path, "object_session_converted", converted)

    async def run():
        async with module.engine.begin() as connection:
            await connection.run_sync(module.Base.metadata.create_all)
        job = module.Job(status="new")
        module.db_session.add(job)
        await module.db_session.commit()
        try:
            status = await job.set_status("ready")  # the sync Session before: TypeError on its commit()
            await module.db_session.remove()
            return status, (await module.db_session.get(module.Job, job.id)).status
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(run()) == expected
    finally:
        sys.modules.pop("object_session_converted", None)
