"""A model's ``query_class``, a ``Query`` subclass of the run: ``Model.query.<method>(...)`` of a method it defines
calls that method (made async, awaited, the caller made async), even where the name is Query's own (``get``); it
was read as the legacy Query step (``get(id, project)`` -> ``session.get(Model, id, project)``, a custom finder's
coroutine handed to a relationship un-awaited)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query

db = SQLAlchemy()


class PersonQuery(Query):
    def get_by_names(self, names):
        return Person.query.filter(Person.name.in_(names)).all()


class Person(db.Model):
    class OwnQuery(PersonQuery):
        def get(self, id, project):
            return Person.query.filter(Person.id == id).filter(Person.project_id == project.id).one_or_none()

    query_class = OwnQuery
    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer)
    name = db.Column(db.String(50))


class Bill(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owers = db.relationship(Person, secondary="billowers")
"""
CONVERTED = """\
from _flask_sqlalchemy_async import SQLAlchemy
from flask_sqlalchemy.query import Query
from sqlalchemy import select

db = SQLAlchemy()


class PersonQuery(Query):
    async def get_by_names(self, names):
        return (await db.session.execute(select(Person).where(Person.name.in_(names)))).scalars().all()


class Person(db.Model):
    class OwnQuery(PersonQuery):
        async def get(self, id, project):
            return (await db.session.execute(select(Person).where(Person.id == id).where(Person.project_id == project.id))).scalar_one_or_none()

    query_class = OwnQuery
    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer)
    name = db.Column(db.String(50))


class Bill(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owers = db.relationship(Person, secondary="billowers")
"""  # noqa: E501


def test_a_query_class_method_is_awaited_where_its_result_goes_into_a_relationship():
    check_transformed(
        CODEMOD,
        MODELS
        + """

def new_bill(names):
    return Bill(owers=Person.query.get_by_names(names))


def member(id, project):
    return Person.query.get(id, project)
""",
        CONVERTED
        + """

async def new_bill(names):
    return Bill(owers=await Person.query.get_by_names(names))


async def member(id, project):
    return await Person.query.get(id, project)
""",
    )


def test_a_model_without_its_own_method_keeps_querys_step():
    """``Bill.query.get(id)``: Bill has no query_class, ``get`` is Query's: ``session.get``, as before."""
    check_transformed(
        CODEMOD,
        MODELS
        + """

def plain(id):
    return Bill.query.get(id)
""",
        CONVERTED
        + """

async def plain(id):
    return await db.session.get(Bill, id)
""",
    )
