"""A project pinning SQLAlchemy below 2.0 gets ``sessionmaker(class_=AsyncSession)``: 1.4 has no async_sessionmaker.

Seen on a 1.4-era application (``sqlalchemy<2`` beside a classical ``mapper()``): its converted unit of work
imported ``async_sessionmaker`` and failed at import on the SQLAlchemy its requirements install.
"""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import engine_exits

MODULE = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite:///app.db"))


def names():
    with SessionLocal() as session:
        return session.execute(q).scalars().all()
"""


def test_a_project_pinned_below_2_keeps_sessionmaker_with_the_async_session_class(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "flask\nsqlalchemy<2\n", "app/__init__.py": "", "app/db.py": MODULE})
    result = run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert result.count("failed") == 0
    assert (
        (tmp_path / "app/db.py").read_text()
        == (
            "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"
            "from sqlalchemy.orm import sessionmaker\n"
            + engine_exits.helper_code("_stopped_at_exit")  # aiosqlite's thread stopped at exit (1.4 leaves it running)
            + "\n"
            + 'SessionLocal = sessionmaker(bind=_stopped_at_exit(create_async_engine("sqlite+aiosqlite:///app.db")), '
            "class_=AsyncSession, expire_on_commit=False)\n\n\n"
            "async def names():\n"
            "    async with SessionLocal() as session:\n"
            "        return (await session.execute(q)).scalars().all()\n"
        )
    )


def test_a_project_on_2_gets_async_sessionmaker(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "sqlalchemy>=2.0\n", "app/__init__.py": "", "app/db.py": MODULE})
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert "SessionLocal = async_sessionmaker(bind=" in (tmp_path / "app/db.py").read_text()
