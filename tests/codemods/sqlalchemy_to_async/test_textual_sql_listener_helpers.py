"""SQL handed as a plain string by a helper a mapper event listener calls with its connection
(``touch_basket(mapper, conn, target)``, in the listener's module or another): under the async engine that
connection is a "future" one and refuses a string (``ObjectNotExecutableError: Not an executable object``), so the
helper's ``conn.execute(sql)`` is wrapped in ``text()`` as the listener's own is. A helper some call hands
something else (a cursor) is left alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

from codemods.runner import run

MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()
engine = create_engine("sqlite:///shop.db")
Session = sessionmaker(engine)


class Basket(Base):
    __tablename__ = "basket"
    id = Column(Integer, primary_key=True)
    touched = Column(Integer, default=0)


class Item(Base):
    __tablename__ = "item"
    id = Column(Integer, primary_key=True)
    basket_id = Column(Integer, ForeignKey("basket.id"))


def touch_basket(mapper, conn, target):
    sql = "update basket set touched = touched + 1 where id = %s" % target.basket_id
    conn.execute(sql)


def count_rows(cursor, table):
    sql = "select count(*) from %s" % table
    return cursor.execute(sql)
"""

LISTENERS = """\
import sqlite3

from sqlalchemy import event

from shop.models import Item, count_rows, touch_basket


@event.listens_for(Item, "after_insert")
def on_item(mapper, conn, target):
    touch_basket(mapper, conn, target)


def rows(path):
    return count_rows(sqlite3.connect(path).cursor(), "item")
"""

SERVICE = """\
from shop import listeners  # noqa: F401  (registers the listener)
from shop.models import Base, Basket, Item, Session, engine


def add_item():
    Base.metadata.create_all(engine)
    with Session() as session:
        basket = Basket(touched=0)
        session.add(basket)
        session.commit()
        session.add(Item(basket_id=basket.id))
        session.commit()
        basket_id = basket.id
    with Session() as session:
        return session.get(Basket, basket_id).touched
"""


def test_a_helper_handed_the_listeners_connection_wraps_its_sql_in_text(tmp_path: Path):
    app = write_tree(
        tmp_path / "app",
        {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/listeners.py": LISTENERS, "shop/service.py": SERVICE},
    )
    result = run("sqlalchemy-to-async", [app], write=True)
    assert result.count("failed") == 0
    models = (app / "shop/models.py").read_text()
    assert "    conn.execute(text(sql))\n" in models
    assert "    return cursor.execute(sql)\n" in models  # a cursor, handed by the other call: left alone
    script = "import asyncio\nfrom shop import service\nprint(asyncio.run(service.add_item()))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=app, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "1"
