"""A project pinning no SQLAlchemy 1.x itself but a library that needs it (Flask-SQLAlchemy 2.4.4 beside
``SQLAlchemy>=1.3.0``) is on SQLAlchemy 1.4 after the conversion (its requirement is held below 2.0): the session
factory is 1.4's ``sessionmaker(class_=AsyncSession)``, not 2.0's ``async_sessionmaker``."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

MODULE = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite:///app.db"))


def names():
    with SessionLocal() as session:
        return session.execute(q).scalars().all()
"""


def convert(tmp_path, pins: str) -> tuple[str, list[str]]:
    write_tree(tmp_path, {"requirements.txt": pins, "app/__init__.py": "", "app/db.py": MODULE, ".git": ""})
    result = run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    return (tmp_path / "app/db.py").read_text(), result.requirements


def test_a_library_needing_sqlalchemy_1_keeps_sessionmaker(tmp_path):
    code, requirements = convert(tmp_path, "SQLAlchemy>=1.3.0\nFlask-SQLAlchemy==2.4.4\n")
    assert "async_sessionmaker" not in code
    assert "sessionmaker(bind=_stopped_at_exit(create_async_engine(" in code and "class_=AsyncSession" in code
    assert "sqlalchemy[asyncio]>=1.4.24,<2.0" in requirements


def test_its_release_on_2_does_not(tmp_path):
    code, requirements = convert(tmp_path, "SQLAlchemy>=1.3.0\nFlask-SQLAlchemy==3.1.1\n")
    assert "SessionLocal = async_sessionmaker(" in code
    assert "sqlalchemy[asyncio]>=2.0" in requirements


def test_a_sqlalchemy_2_pin_wins(tmp_path):
    code, _ = convert(tmp_path, "SQLAlchemy>=2.0\nFlask-SQLAlchemy==2.5.1\n")
    assert "SessionLocal = async_sessionmaker(" in code


def test_a_project_pinning_1_4_in_a_requirements_folder_stays_on_1_4(tmp_path):
    """``SQLAlchemy==1.4.14`` in ``requirements/prod.txt`` (the root file a ``-r`` line to it): the open
    ``sqlalchemy[asyncio]>=1.4.24`` had pip install SQLAlchemy 2.0 for it, and the pin went unread here."""
    files = {"requirements.txt": "-r requirements/prod.txt\n", "requirements/prod.txt": "SQLAlchemy==1.4.14\n"}
    write_tree(tmp_path, {**files, "app/__init__.py": "", "app/db.py": MODULE, ".git": ""})
    result = run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert "sqlalchemy[asyncio]>=1.4.24,<2.0" in result.requirements
    assert "async_sessionmaker" not in (tmp_path / "app/db.py").read_text()
