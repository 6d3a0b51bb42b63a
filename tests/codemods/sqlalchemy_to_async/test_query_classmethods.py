"""A model's classmethods querying ``cls``: Flask-SQLAlchemy's ``cls.query`` (and ``db.session.query(cls)``) reads
back model objects, as ``User.query`` does, so ``.first()``/``.all()`` read the scalars; read as rows, ``.first()``
gave a ``Row`` whose attributes are not the model's (``Could not locate column in row``)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    admin = db.Column(db.Boolean)
"""
CONVERTED_HEAD = HEAD.replace(
    "from flask_sqlalchemy import SQLAlchemy",
    "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import select",
)


def test_classmethod_queries_on_cls_read_model_objects():
    check_transformed(
        CODEMOD,
        HEAD
        + """
    @classmethod
    def find_by_id(cls, _id):
        return cls.query.filter_by(id=_id).first()

    @classmethod
    def admins(cls):
        return cls.query.filter_by(admin=True).all()

    @classmethod
    def named(cls, name):
        return db.session.query(cls).filter_by(name=name).one_or_none()
""",
        CONVERTED_HEAD
        + """
    @classmethod
    async def find_by_id(cls, _id):
        return (await db.session.execute(select(cls).filter_by(id=_id).limit(1))).scalars().first()

    @classmethod
    async def admins(cls):
        return (await db.session.execute(select(cls).filter_by(admin=True))).scalars().all()

    @classmethod
    async def named(cls, name):
        return (await db.session.execute(select(cls).filter_by(name=name))).scalar_one_or_none()
""",
    )
