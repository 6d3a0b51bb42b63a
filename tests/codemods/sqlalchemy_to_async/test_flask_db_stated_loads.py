"""A query that states its own loader for a relationship (``subqueryload``, ``joinedload``, by attribute or by
name) keeps it: the async db's session adds ``selectinload`` only for the relationships the query leaves to it,
since two strategies for one path raise "Loader strategies ... conflict" at the query (it failed every such query
of a converted app: ``Model.query.options(subqueryload(Model.owers))``)."""

from __future__ import annotations

import pytest
from codemod_helpers import FLASK_DB_APP, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_APP
    + """\
from sqlalchemy.orm import joinedload, subqueryload


class Bill(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owers = db.relationship("Person", secondary="bill_owers")
    payer_id = db.Column(db.Integer, db.ForeignKey("person.id"))
    payer = db.relationship("Person", foreign_keys=[payer_id])


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


bill_owers = db.Table(
    "bill_owers",
    db.Column("bill_id", db.Integer, db.ForeignKey("bill.id"), primary_key=True),
    db.Column("person_id", db.Integer, db.ForeignKey("person.id"), primary_key=True),
)


def seed():
    ada, alan = Person(name="ada"), Person(name="alan")
    db.session.add(Bill(owers=[ada, alan], payer=ada))
    db.session.commit()


def owers_by_attribute():
    bill = Bill.query.options(subqueryload(Bill.owers)).first()
    return sorted(person.name for person in bill.owers), bill.payer.name


def owers_joined():
    bill = Bill.query.options(joinedload(Bill.owers), joinedload(Bill.payer)).first()
    return sorted(person.name for person in bill.owers), bill.payer.name
"""
)

SCRIPT = """
import asyncio

from program import db, owers_by_attribute, owers_joined, seed

db.create_all()
asyncio.run(seed())
print(asyncio.run(owers_by_attribute()))
print(asyncio.run(owers_joined()))
"""


@pytest.mark.parametrize("database", ["memory", "file"])
def test_a_querys_own_loader_options_are_kept_and_the_rest_loaded(tmp_path, database):
    after, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def owers_by_attribute():" in after
    done = run_with_flask_db(tmp_path, after, notes, database, SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["(['ada', 'alan'], 'ada')", "(['ada', 'alan'], 'ada')", ""]
