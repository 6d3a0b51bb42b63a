"""``Query.with_parent(obj)`` to ``select(...).where(_with_parent(obj, Entity))``, the helper written into the module,
and the helper itself run on SQLite: the relationship found as the Query found it, or the one named."""

from __future__ import annotations

import textwrap

import sqlalchemy
from codemod_helpers import check_noop, check_transformed
from sqlalchemy.orm import Session, declarative_base, relationship

from codemods.sqlalchemy_to_async import CODEMOD, with_parent

HEAD = """\
from flask_sqlalchemy import SQLAlchemy
{imports}
db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    done = db.Column(db.Boolean)

"""
HELPER = textwrap.dedent(with_parent.CODE.format(name="_with_parent")).strip("\n")


def test_with_parent_becomes_a_criterion_of_the_select():
    check_transformed(
        CODEMOD,
        HEAD.format(imports="")
        + """
def counts(user, page):
    active = Item.query.with_parent(user).filter_by(done=False).all()
    pages = Item.query.with_parent(user, "items").paginate(page, 20)
    return active, pages
""",
        HEAD.format(imports="from sqlalchemy import select\n").replace(
            "from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy"
        )
        + "\n"
        + HELPER
        + """


async def counts(user, page):
    active = (await db.session.execute(select(Item).where(_with_parent(user, Item)).filter_by(done=False))).scalars().all()
    pages = await db.paginate(select(Item).where(_with_parent(user, Item, "items")), page=page, per_page=20)
    return active, pages
""",  # noqa: E501
    )


def test_with_parent_from_another_entity_keeps_its_todo():
    source = (
        HEAD.format(imports="")
        + """
def rows(user):
    return Item.query.with_parent(user, from_entity=Item).all()
"""
    )
    after, _ = CODEMOD.apply(source)
    assert "# TODO(asyncshift): legacy Query .with_parent() beyond (instance, property)" in after
    assert "_with_parent(" not in after


def test_a_select_without_with_parent_gets_no_helper():
    check_noop(CODEMOD, HEAD.format(imports="") + "\n\ndef rows(q):\n    return q\n")


def test_the_helper_finds_the_relationship_as_the_query_did():
    Base = declarative_base()

    class User(Base):
        __tablename__ = "user"
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)
        items = relationship("Item")
        starred = relationship("Item", secondary="star", viewonly=True)

    class Item(Base):
        __tablename__ = "item"
        id = sqlalchemy.Column(sqlalchemy.Integer, primary_key=True)
        user_id = sqlalchemy.Column(sqlalchemy.ForeignKey("user.id"))

    sqlalchemy.Table(
        "star",
        Base.metadata,
        sqlalchemy.Column("user_id", sqlalchemy.ForeignKey("user.id")),
        sqlalchemy.Column("item_id", sqlalchemy.ForeignKey("item.id")),
    )
    namespace: dict = {}
    exec(HELPER, namespace)
    engine = sqlalchemy.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        alice, bob = User(items=[Item(), Item()]), User(items=[Item()])
        session.add_all([alice, bob])
        session.commit()
        session.execute(sqlalchemy.text("insert into star values (2, 1)"))
        found = namespace["_with_parent"]
        assert len(session.scalars(sqlalchemy.select(Item).where(found(alice, Item))).all()) == 2
        assert [i.id for i in session.scalars(sqlalchemy.select(Item).where(found(bob, Item, "starred")))] == [1]

        class Proxy:  # Flask-Login's current_user: the user behind a proxy, whose type is the proxy's
            def __getattr__(self, name):
                return getattr(alice, name)

        assert len(session.scalars(sqlalchemy.select(Item).where(found(Proxy(), Item))).all()) == 2
        assert len(session.scalars(sqlalchemy.select(Item).where(found(Proxy(), Item, "items"))).all()) == 2
