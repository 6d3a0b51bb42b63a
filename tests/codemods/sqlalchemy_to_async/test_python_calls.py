"""A coroutine called from a dunder Python calls without awaiting (a model's ``__init__``): run to its end there,
with a TODO, instead of dropped unawaited."""

from __future__ import annotations

import asyncio
import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_role()

    def set_role(self):
        self.role = Role.query.first()
        db.session.commit()

    def __repr__(self):
        return f"<User {self.id}>"
"""


def with_run_to_end(source: str) -> str:
    """``source`` (a Flask-SQLAlchemy models module) with the async db's imports and the ``_run_to_end`` helper the
    codemod writes before its ``User`` model; the callers' own lines are replaced by each test."""
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    head, _, tail = source.partition("class User(db.Model):")
    head = head.replace(
        "from flask_sqlalchemy import SQLAlchemy",
        "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import select",
    )
    return head.rstrip("\n") + "\n" + helper.rstrip("\n") + "\n\n\nclass User(db.Model):" + tail


def test_a_model_init_runs_what_became_a_coroutine_to_its_end_with_a_todo():
    expected = (
        with_run_to_end(MODELS)
        .replace(
            "        self.set_role()\n",
            "        # TODO(asyncshift): self.set_role() is a coroutine now, but '__init__' is called by Python, which "
            "does not await it: it runs to its end here (_run_to_end), blocking while an event loop runs in this "
            "thread; move it out to an async caller that awaits it\n"
            "        _run_to_end(self.set_role())\n",
        )
        .replace("    def set_role(self):", "    async def set_role(self):")
        .replace("Role.query.first()", "(await db.session.execute(select(Role).limit(1))).scalars().first()")
        .replace("        db.session.commit()", "        await db.session.commit()")
    )
    check_transformed(CODEMOD, MODELS, expected)


def test_the_helper_runs_a_coroutine_to_its_end_with_or_without_a_loop_running_here():
    scope: dict = {}
    exec(textwrap.dedent(unittest_cases.CODE.format(name="run_to_end", marker="marked")), scope)
    run_to_end = scope["run_to_end"]

    async def answer():
        loop = asyncio.get_running_loop()
        return getattr(loop, "marked", False)

    assert run_to_end(answer()) is True  # no loop here: one of its own, marked as a sync caller's
    assert run_to_end(7) == 7

    async def inside_a_loop():
        return run_to_end(answer())  # a loop runs here: in a thread of its own

    assert asyncio.run(inside_a_loop()) is True


LOADER = """\
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
login_manager = LoginManager()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    @classmethod
    def get_by_id(cls, record_id):
        return db.session.get(cls, int(record_id))


@login_manager.user_loader
def load_user(user_id):
    return User.get_by_id(user_id)
"""


def test_a_user_loader_runs_what_became_a_coroutine_to_its_end_with_a_todo():
    # Flask-Login calls the loader without awaiting: the coroutine it returned was current_user (cookiecutter-flask's
    # load_user -> User.get_by_id: every page behind login_required answered 500)
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    expected = (
        LOADER.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
        .replace("    def get_by_id(cls, record_id):", "    async def get_by_id(cls, record_id):")
        .replace("return db.session.get(", "return await db.session.get(")
        .replace("\n\n\n@login_manager.user_loader", "\n" + helper.rstrip("\n") + "\n\n\n@login_manager.user_loader")
        .replace(
            "    return User.get_by_id(user_id)\n",
            "    # TODO(asyncshift): User.get_by_id() is a coroutine now, but 'load_user' is registered with "
            "@login_manager.user_loader, whose caller does not await it: it runs to its end here (_run_to_end), "
            "blocking while an event loop runs in this thread; move it out to an async caller that awaits it\n"
            "    return _run_to_end(User.get_by_id(user_id))\n",
        )
    )
    check_transformed(CODEMOD, LOADER, expected)


PROPERTY = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Award(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    @property
    def awards(self):
        return self.get_awards()

    def get_awards(self):
        return Award.query.filter_by(user_id=self.id).all()
"""


def test_a_property_runs_what_became_a_coroutine_to_its_end_with_a_todo():
    # a property cannot be awaited: it handed its reader the coroutine, not the rows (a template's
    # `for award in user.awards`: TypeError, a 500 where the view's module has no TODO)
    expected = (
        with_run_to_end(PROPERTY)
        .replace(
            "        return self.get_awards()\n",
            "        # TODO(asyncshift): self.get_awards() is a coroutine now, but 'awards' is a property, which "
            "cannot be awaited: it runs to its end here (_run_to_end), blocking while an event loop runs in this "
            "thread; move it out to an async caller that awaits it\n"
            "        return _run_to_end(self.get_awards())\n",
        )
        .replace("    def get_awards(self):", "    async def get_awards(self):")
        .replace(
            "return Award.query.filter_by(user_id=self.id).all()",
            "return (await db.session.execute(select(Award).filter_by(user_id=self.id))).scalars().all()",
        )
    )
    check_transformed(CODEMOD, PROPERTY, expected)
