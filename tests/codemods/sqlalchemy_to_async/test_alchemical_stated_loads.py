"""Alchemical's helper, as the Flask-SQLAlchemy one (``test_flask_db_stated_loads``): a query stating its own loader
for a relationship keeps it, and the session's ``selectinload`` goes only to the relationships the query leaves to it
(two strategies for one path raised "Loader strategies ... conflict" at the query)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

pytest.importorskip("alchemical")
pytest.importorskip("aiosqlite")

PROGRAM = """\
import sqlalchemy as sa
from alchemical.flask import Alchemical, Model
from flask import Flask
from sqlalchemy import orm as so

db = Alchemical()


class Bill(Model):
    __tablename__ = "bills"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    lines: so.Mapped[list["Line"]] = so.relationship()
    notes: so.Mapped[list["Note"]] = so.relationship()


class Line(Model):
    __tablename__ = "lines"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bill_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bills.id"))


class Note(Model):
    __tablename__ = "notes"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bill_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bills.id"))


def create_app():
    app = Flask(__name__)
    app.config["ALCHEMICAL_DATABASE_URL"] = "sqlite://"
    db.init_app(app)
    return app


def seed():
    db.session.add(Bill(lines=[Line(), Line()], notes=[Note()]))
    db.session.commit()


def counts():
    bill = db.session.scalar(Bill.select().options(so.subqueryload(Bill.lines)))
    return len(bill.lines), len(bill.notes)
"""

SCRIPT = """\
import asyncio
import program

app = program.create_app()
with app.app_context():
    program.db.create_all()
    asyncio.run(program.seed())
    print(asyncio.run(program.counts()))
"""


def test_a_querys_own_loader_option_is_kept_and_the_rest_loaded(tmp_path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def counts():" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():  # the helper, beside it, as the runner writes it
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(2, 1)"
