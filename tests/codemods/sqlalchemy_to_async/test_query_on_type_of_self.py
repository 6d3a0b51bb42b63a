"""``type(self).query``, ``self.__class__.query`` and ``self.query`` in a model's method: Flask-SQLAlchemy's
``Model.query`` on the enclosing class (a subclass's at run time), converted as ``cls.query`` is (a ``select()``
run on ``db.session``, the method made async). Where the class is not known to be a model (``type(obj)`` of an
unknown value, ``cls`` in a mixin built on no model), the chain stays a sync query with a TODO: it was left sync
with none."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import FLASK_DB_APP, check_noop, check_transformed, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""
CONVERTED_HEAD = HEAD.replace(
    "from flask_sqlalchemy import SQLAlchemy",
    "from _flask_sqlalchemy_async import SQLAlchemy\nfrom sqlalchemy import func, select",
)
TODO = (
    "# TODO(asyncshift): {receiver}.query: the model class is not known here, so this legacy Query stays sync "
    "(blocking, on the sync session): build select(Model) and run it with 'await db.session.execute(...)' in "
    "async code"
)


def test_type_of_self_and_dunder_class_query_the_enclosing_model():
    check_transformed(
        CODEMOD,
        HEAD
        + """
    def namesakes(self):
        return type(self).query.filter_by(name=self.name).all()

    def others(self):
        return self.__class__.query.filter(User.id != self.id).count()


def namesakes_of(user: User):
    return [u.id for u in user.namesakes()]
""",
        CONVERTED_HEAD
        + """
    async def namesakes(self):
        return (await db.session.execute(select(type(self)).filter_by(name=self.name))).scalars().all()

    async def others(self):
        return await db.session.scalar(select(func.count()).select_from(self.__class__).where(User.id != self.id))


async def namesakes_of(user: User):
    return [u.id for u in await user.namesakes()]
""",
    )


def test_an_instances_query_is_its_class_query():
    """``self.query`` (Flask-SQLAlchemy's query property answers on an instance as on its class): left sync with no
    TODO, now ``select(type(self))``, as ``type(self).query``."""
    check_transformed(
        CODEMOD,
        HEAD
        + """
    def namesakes(self):
        return self.query.filter_by(name=self.name).all()


def others(user: User):
    return user.query.filter(User.id != user.id).count()
""",
        CONVERTED_HEAD
        + """
    async def namesakes(self):
        return (await db.session.execute(select(type(self)).filter_by(name=self.name))).scalars().all()


async def others(user: User):
    return await db.session.scalar(select(func.count()).select_from(type(user)).where(User.id != user.id))
""",
    )


def test_unknown_classes_keep_the_query_with_a_todo():
    source = (
        HEAD
        + """

def same_kind(obj):
    return type(obj).query.filter_by(name=obj.name).first()


def siblings(obj):
    return obj.__class__.query.all()


class Lookups:  # a mixin the models take: its cls is none of them
    @classmethod
    def by_name(cls, name):
        return cls.query.filter_by(name=name).one_or_none()
"""
    )
    converted, _ = CODEMOD.apply(source)
    for receiver, line in [
        ("type(obj)", "    return type(obj).query.filter_by(name=obj.name).first()"),
        ("obj.__class__", "    return obj.__class__.query.all()"),
        ("cls", "        return cls.query.filter_by(name=name).one_or_none()"),
    ]:
        indent = line[: len(line) - len(line.lstrip())]
        assert f"{indent}{TODO.format(receiver=receiver)}\n{line}\n" in converted
    compile(converted, "<fixture>", "exec", dont_inherit=True)
    assert CODEMOD.apply(converted)[0] == converted


def test_a_query_of_the_class_own_and_a_shadowed_type_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import sqlalchemy


        class Search:
            query = None

            @classmethod
            def all_of(cls):
                return cls.query.filter_by(kind="x").all()

            def mine(self):
                return type(self).query.all()


        def kinds(type, obj):
            return type(obj).query.all()
        """,
    )


PROGRAM = (
    FLASK_DB_APP
    + """\


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    def namesakes(self):
        return [u.id for u in type(self).query.filter_by(name=self.name).order_by(User.id).all()]

    def others(self):
        return self.__class__.query.filter(User.id != self.id).count()


def add(names):
    for name in names:
        db.session.add(User(name=name))
    db.session.commit()


def report():
    first = User.query.order_by(User.id).first()
    return {"namesakes": first.namesakes(), "others": first.others()}
"""
)

RUN = """\
import asyncio, json
import program

program.db.create_all()


async def main():
    await program.add(["ann", "bob", "ann"])
    found = await program.report()
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""


def test_the_converted_methods_read_model_objects(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def namesakes(self)" in converted and ".query" not in converted
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"namesakes": [1, 3], "others": 2}
