"""An unannotated parameter is typed by what the run's calls hand it (and by its default).

Seen on a repository / unit-of-work application written before type hints: the unit of work's session came from
``session_factory=DEFAULT_SESSION_FACTORY`` and went on to ``SqlAlchemyRepository(self.session)``; nothing typed
either, so the repository's queries, the unit of work's commit and every handler stayed sync.
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_session_handed_to_an_unannotated_parameter_types_it():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import sessionmaker

        DEFAULT_SESSION_FACTORY = sessionmaker()


        class Repository:
            def __init__(self, session):
                self.session = session

            def get(self, sku):
                return self.session.get(Product, sku)


        class UnitOfWork:
            def __init__(self, session_factory=DEFAULT_SESSION_FACTORY):
                self.session_factory = session_factory

            def start(self):
                self.session = self.session_factory()
                self.products = Repository(self.session)

            def commit(self):
                self.session.commit()


        def rename(uow, sku, name):
            uow.start()
            uow.products.get(sku).name = name
            uow.commit()


        def main():
            rename(UnitOfWork(), "RED-CHAIR", "chair")
        """,
        """\
        from sqlalchemy.ext.asyncio import async_sessionmaker

        DEFAULT_SESSION_FACTORY = async_sessionmaker(expire_on_commit=False)


        class Repository:
            def __init__(self, session):
                self.session = session

            async def get(self, sku):
                return await self.session.get(Product, sku)


        class UnitOfWork:
            def __init__(self, session_factory=DEFAULT_SESSION_FACTORY):
                self.session_factory = session_factory

            def start(self):
                self.session = self.session_factory()
                self.products = Repository(self.session)

            async def commit(self):
                await self.session.commit()


        async def rename(uow, sku, name):
            uow.start()
            (await uow.products.get(sku)).name = name
            await uow.commit()


        async def main():
            await rename(UnitOfWork(), "RED-CHAIR", "chair")
        """,
    )


def test_callers_handing_different_things_type_nothing():
    source = """\
        from sqlalchemy.orm import Session


        class Files:
            def get(self, key):
                return open(key).read()


        def fetch(store, key):
            return store.get(key)


        def both(session: Session):
            return fetch(session, 1), fetch(Files(), "a.txt")
        """
    expected = source.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
    check_transformed(CODEMOD, source, expected.replace("session: Session", "session: AsyncSession"))
