"""A legacy Query built up in a variable becomes a ``select()`` executed where the variable is read."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_built_up_then_read():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def page(session: Session, user_id, limit=None):
            query = session.query(Log).filter_by(user_id=user_id)
            if limit:
                query = query.order_by(Log.at).limit(limit)
            return query.all()
        """,
        """\
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def page(session: AsyncSession, user_id, limit=None):
            query = select(Log).filter_by(user_id=user_id)
            if limit:
                query = query.order_by(Log.at).limit(limit)
            return (await session.execute(query)).scalars().all()
        """,
    )


def test_first_count_and_a_row_query():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def stats(session: Session):
            q = session.query(Log.user_id, Log.at).filter(Log.ok)
            return q.count(), q.first()
        """,
        """\
        from sqlalchemy import func, select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def stats(session: AsyncSession):
            q = select(Log.user_id, Log.at).where(Log.ok)
            return await session.scalar(select(func.count()).select_from(q.subquery())), (await session.execute(q.limit(1))).first()
        """,  # noqa: E501
    )


def test_iterated_with_a_joined_eager_load():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session, joinedload


        def names(session: Session):
            q = session.query(User).options(joinedload(User.roles))
            for user in q:
                print(user.name)
        """,
        """\
        from sqlalchemy.orm import joinedload
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession


        async def names(session: AsyncSession):
            q = select(User).options(joinedload(User.roles))
            for user in (await session.execute(q)).scalars().unique():
                print(user.name)
        """,
    )


def test_a_variable_used_in_a_closure_is_not_followed():
    after, _ = CODEMOD.apply(
        "from sqlalchemy.orm import Session\n\n\ndef f(session: Session):\n"
        "    q = session.query(User)\n    return sorted(q.all(), key=lambda u: q)\n"
    )
    assert "legacy Query kept as a value" in after


def test_two_sessions_for_one_name_are_not_followed():
    after, _ = CODEMOD.apply(
        "from sqlalchemy.orm import Session\n\n\ndef f(a: Session, b: Session, flag):\n"
        "    q = a.query(User)\n    if flag:\n        q = b.query(User)\n    return q.all()\n"
    )
    assert "legacy Query kept as a value" in after


def test_a_variable_that_is_not_a_query_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        def f(items):
            query = items.filter(x)
            return query.all()
        """,
    )
