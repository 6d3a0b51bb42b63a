"""A parameter annotated with Flask-SQLAlchemy's class (a pytest fixture's ``db: SQLAlchemy``) is that ``db``: its
session's I/O is awaited as ``db.session``'s is where the function became async (it stayed sync beside an awaited
query: the commit was never awaited and its write held the database's lock)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask_sqlalchemy import SQLAlchemy

sa_db = SQLAlchemy()


class Item(sa_db.Model):
    id = sa_db.Column(sa_db.Integer, primary_key=True)


"""


def test_a_parameter_annotated_sqlalchemy_is_the_flask_db():
    check_transformed(
        CODEMOD,
        HEAD
        + """\
def test_retrieve(item: Item, db: SQLAlchemy):
    db.session.add(item)
    db.session.commit()
    found = Item.query.first()
    assert found.id == item.id
""",
        HEAD.replace(
            "from flask_sqlalchemy import SQLAlchemy",
            "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import select",
        )
        + """\
async def test_retrieve(item: Item, db: SQLAlchemy):
    db.session.add(item)
    await db.session.commit()
    found = (await sa_db.session.execute(select(Item).limit(1))).scalars().first()
    assert found.id == item.id
""",
    )
