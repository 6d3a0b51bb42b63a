"""The legacy Query API: ``session.query(...)`` chains to 2.0 ``select()``/``update()``/``delete()`` statements."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from sqlalchemy.orm import Session


def read(session: Session, name):
"""


def test_a_query_method_of_something_else_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import select


        def search(index, name):
            return index.query(name).filter(active=True).first()
        """,
    )


def test_all_first_one_and_one_or_none_read_objects_as_scalars():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def read(session: Session, name):
            everyone = session.query(User).order_by(User.name).all()
            first = session.query(User).filter(User.name == name).first()
            one = session.query(User).filter_by(name=name).one()
            maybe = session.query(User).filter(User.name == name, User.active).one_or_none()
            page = session.query(User).limit(10).offset(20).all()
            return everyone, first, one, maybe, page
        """,
        """\
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def read(session: AsyncSession, name):
            everyone = (await session.execute(select(User).order_by(User.name))).scalars().all()
            first = (await session.execute(select(User).where(User.name == name).limit(1))).scalars().first()
            one = (await session.execute(select(User).filter_by(name=name))).scalar_one()
            maybe = (await session.execute(select(User).where(User.name == name, User.active))).scalar_one_or_none()
            page = (await session.execute(select(User).limit(10).offset(20))).scalars().all()
            return everyone, first, one, maybe, page
        """,
    )


def test_columns_read_as_rows():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def names(session: Session):
            return session.query(User.id, User.name).filter(User.active).all()
        """,
        """\
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def names(session: AsyncSession):
            return (await session.execute(select(User.id, User.name).where(User.active))).all()
        """,
    )


def test_get_count_and_scalar():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def stats(session: Session, key):
            user = session.query(User).get(key)
            active = session.query(User).filter(User.active).count()
            joined = session.query(User).join(Order).distinct().count()
            latest = session.query(func.max(Order.placed)).scalar()
            return user, active, joined, latest
        """,
        """\
        from sqlalchemy import func, select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def stats(session: AsyncSession, key):
            user = await session.get(User, key)
            active = await session.scalar(select(func.count()).select_from(User).where(User.active))
            joined = await session.scalar(select(func.count()).select_from(select(User).join(Order).distinct().subquery()))
            latest = await session.scalar(select(func.max(Order.placed)))
            return user, active, joined, latest
        """,  # noqa: E501
    )


def test_bulk_delete_and_update_become_statements():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def tidy(session: Session):
            removed = session.query(User).filter(User.active == False).delete()
            session.query(User).filter_by(name="x").update({"name": "y"}, synchronize_session=False)
            return removed
        """,
        """\
        from sqlalchemy import delete, update
        from sqlalchemy.ext.asyncio import AsyncSession


        async def tidy(session: AsyncSession):
            removed = (await session.execute(delete(User).where(User.active == False))).rowcount
            await session.execute(update(User).filter_by(name="x").values({"name": "y"}).execution_options(synchronize_session=False))
            return removed
        """,  # noqa: E501
    )


def test_joined_eager_loading_reads_unique_rows():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session, joinedload


        def with_orders(session: Session):
            return session.query(User).options(joinedload(User.orders)).all()
        """,
        """\
        from sqlalchemy.orm import joinedload
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def with_orders(session: AsyncSession):
            return (await session.execute(select(User).options(joinedload(User.orders)))).scalars().unique().all()
        """,
    )


def test_a_query_iterated_directly():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def names(session: Session):
            for user in session.query(User).filter(User.active):
                print(user.name)
        """,
        """\
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def names(session: AsyncSession):
            for user in (await session.execute(select(User).where(User.active))).scalars():
                print(user.name)
        """,
    )


def test_what_has_no_rewrite_here_keeps_its_form_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def page(session: Session, number):
            return session.query(User).filter(User.active).paginate(page=number)


        def by_relationship(session: Session):
            return session.query(User).join("orders").all()


        def kept_as_a_value(session: Session):
            query = session.query(User).filter(User.active)
            return query
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        def page(session: AsyncSession, number):
            # TODO(asyncshift): legacy Query .paginate() has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return session.query(User).filter(User.active).paginate(page=number)


        async def by_relationship(session: AsyncSession):
            # TODO(asyncshift): legacy Query .join('...') by name has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return session.query(User).join("orders").all()


        def kept_as_a_value(session: AsyncSession):
            # TODO(asyncshift): legacy Query kept as a value: build a select() here and run it with 'await session.execute(...)' where it is read
            query = session.query(User).filter(User.active)
            return query
        """,  # noqa: E501
    )


def test_a_query_returned_from_a_variable_gets_a_todo_where_it_is_read():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def newest(session: Session):
            query = session.query(User)
            return query
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        def newest(session: AsyncSession):
            # TODO(asyncshift): legacy Query kept as a value: build a select() here and run it with 'await session.execute(...)' where it is read
            query = session.query(User)
            return query
        """,  # noqa: E501
    )
