"""A function under a decorator whose wrapper calls it in place (responses' ``@responses.activate``: ``with
responses: return func(...)``) stays sync. Made ``async def``, the wrapper handed pytest a sync test returning the
coroutine: never awaited, the test skipped; awaited elsewhere, its body ran after the stub's ``with`` had ended.
Held sync, its awaited calls run to their end there (``_run_to_end``), under the stub."""

from __future__ import annotations

from codemods.sqlalchemy_to_async import CODEMOD

TESTS = """\
import responses
from responses import activate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def add_role(name):
    db.session.add(Role(name=name))
    db.session.commit()


@responses.activate
def test_under_the_stub():
    add_role("admin")


@activate
def test_under_the_stub_imported():
    add_role("user")


def test_plain():
    add_role("guest")
"""


def test_a_test_under_responses_activate_stays_sync_and_runs_its_coroutines_to_the_end():
    after, _ = CODEMOD.apply(TESTS, path="tests/test_roles.py")
    assert "async def add_role(name):" in after
    assert "@responses.activate\ndef test_under_the_stub():\n" in after
    assert "@activate\ndef test_under_the_stub_imported():\n" in after
    assert '_run_to_end(add_role("admin"))' in after and '_run_to_end(add_role("user"))' in after
    assert 'async def test_plain():\n    await add_role("guest")' in after
    compile(after, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after, path="tests/test_roles.py")[0] == after  # a second run changes nothing
