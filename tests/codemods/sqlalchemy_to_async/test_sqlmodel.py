"""SQLModel: its ``Session`` (``exec`` included) and ``create_engine`` are SQLAlchemy's, with async twins too.

Seen on a FastAPI application built on SQLModel: nothing was converted (its modules import ``sqlmodel``, not
``sqlalchemy``), and a route typed with ``SessionDep`` imported from the module declaring it stayed sync.
"""

from __future__ import annotations

from codemod_helpers import check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD


def test_sqlmodel_session_engine_and_exec_become_async():
    check_transformed(
        CODEMOD,
        """\
        from sqlmodel import Session, create_engine, select

        engine = create_engine("sqlite:///app.db")


        def get_user_by_email(*, session: Session, email: str):
            return session.exec(select(User).where(User.email == email)).first()


        def first_admin():
            with Session(engine) as session:
                user = get_user_by_email(session=session, email="admin@example.com")
                session.delete(user)
                session.commit()
        """,
        """\
        from sqlmodel import select
        from sqlalchemy.ext.asyncio import create_async_engine
        from sqlmodel.ext.asyncio.session import AsyncSession

        engine = create_async_engine("sqlite+aiosqlite:///app.db")


        async def get_user_by_email(*, session: AsyncSession, email: str):
            return (await session.exec(select(User).where(User.email == email))).first()


        async def first_admin():
            async with AsyncSession(engine, expire_on_commit=False) as session:
                user = await get_user_by_email(session=session, email="admin@example.com")
                await session.delete(user)
                await session.commit()
        """,
    )


def test_a_session_alias_imported_from_another_module_types_the_parameter(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/deps.py": (
                "from typing import Annotated\n\nfrom fastapi import Depends\nfrom sqlmodel import Session\n\n"
                "from app.db import get_db\n\nSessionDep = Annotated[Session, Depends(get_db)]\n"
            ),
            "app/items.py": (
                "from sqlmodel import select\n\nfrom app.deps import SessionDep\n\n\n"
                "def read_items(session: SessionDep):\n    return session.exec(select(Item)).all()\n"
            ),
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert (
        (tmp_path / "app/items.py")
        .read_text()
        .endswith("async def read_items(session: SessionDep):\n    return (await session.exec(select(Item))).all()\n")
    )
