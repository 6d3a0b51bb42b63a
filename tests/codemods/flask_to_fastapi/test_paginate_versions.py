"""``paginate(per_page=0)`` as the Flask-SQLAlchemy the project pins answers it: 2.x runs ``limit(0)``, an empty page;
3.x takes 20 a page. The helper gave 20 items for both (a 2.x app's ``?per_page=0`` listed users it answered none)."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest
import sqlalchemy
import sqlalchemy.orm

from codemods.flask_to_fastapi.extensions import TEMPLATES


def _helper():
    spec = importlib.util.spec_from_file_location("paginate_helper", TEMPLATES / "_flask_sqlalchemy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("installed", "expected"), [("2.5.1", 0), ("3.1.1", 3)])
def test_a_page_of_zero_per_page_is_what_the_pinned_flask_sqlalchemy_gives(monkeypatch, installed, expected):
    helper = _helper()
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: installed if name.lower() == "flask-sqlalchemy" else real(name)
    )

    class Base(sqlalchemy.orm.DeclarativeBase):
        pass

    class Note(Base):
        __tablename__ = "note"
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)

    engine = sqlalchemy.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with sqlalchemy.orm.Session(engine, query_cls=helper.Query) as session:
        session.add_all([Note(), Note(), Note()])
        session.commit()
        page = session.query(Note).paginate(page=1, per_page=0, error_out=False, max_per_page=100)
        assert len(page.items) == expected
        assert len(session.query(Note).paginate(page=1, per_page=2, error_out=False).items) == 2
