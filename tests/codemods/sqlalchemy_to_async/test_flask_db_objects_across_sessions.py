"""An object of the loop's ``AsyncSession`` and one of the sync session (``db.sync_session``: a factory-boy factory's
``sqlalchemy_session``, code that cannot await) meet in a relationship, in an async test or a view on the loop:
the cascade attached the one to the other's session and SQLAlchemy refused it ("Object '<Role>' is already
attached to session '38' (this is '39')"), where Flask-SQLAlchemy's one session held both. The object now moves
to the session that takes it, with its changes, both ways; the rows are written as Flask-SQLAlchemy wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import FLASK_DB_APP, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = (
    FLASK_DB_APP
    + """

class Model(db.Model):
    __abstract__ = True

    def save(self):
        db.session.add(self)
        db.session.commit()
        return self


class User(Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Role(Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    user = db.relationship("User", backref="roles")


def roles():
    return [(role.name, role.user.name if role.user else None) for role in Role.query.order_by(Role.id)]
"""
)

RUN = """\
import asyncio, json, sys
import program
from program import Role, User, db

db.create_all()


def built(name):  # factory-boy's SQLAlchemyModelFactory: the model, added to its session (db.sync_session)
    user = User(name=name)
    db.sync_session.add(user)
    return user


async def saved_role_to_built_user():  # the loop's role into the sync session's user
    role = await Role(name="admin").save()
    user = built("ada")
    user.roles.append(role)
    await user.save()
    return role in user.roles


async def built_user_to_saved_role():  # the sync session's user into the loop's role
    role = await Role(name="editor").save()
    user = built("grace")
    role.user = user
    await role.save()
    return role.user is user


async def built_user_to_new_role():  # a new object the loop's session adds, holding the sync session's user
    user = built("alan")
    role = await Role(name="viewer", user=user).save()
    return role in user.roles


async def test(case):
    try:
        return await case()
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:60]
    finally:
        await db.session.remove()


seen = {case: asyncio.run(test(getattr(sys.modules[__name__], case))) for case in sys.argv[1:]}
db.sync_session.remove()
seen["rows"] = program.roles()
print(json.dumps(seen))
"""

CASES = {
    "saved_role_to_built_user": ("admin", "ada"),
    "built_user_to_saved_role": ("editor", "grace"),
    "built_user_to_new_role": ("viewer", "alan"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("database", ["file", "memory"])
def test_an_object_goes_into_a_relationship_of_the_other_sessions(tmp_path: Path, database: str, case: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "    async def save(self):" in converted and "await db.session.commit()" in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN.replace("sys.argv[1:]", repr([case])))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {case: True, "rows": [list(CASES[case])]}


def test_the_objects_of_one_session_stay_there(tmp_path: Path):
    """Objects of the sync session alone, and of the loop's session alone, are written by their own sessions."""
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    script = RUN.replace(
        "seen = {",
        "async def sync_only():\n"
        "    user = built('ada')\n"
        "    user.roles.append(Role(name='admin'))\n"
        "    db.sync_session.commit()\n"
        "    return db.sync_session.query(Role).one().user.name == 'ada'\n\n\n"
        "async def loop_only():\n"
        "    role = await Role(name='editor', user=User(name='grace')).save()\n"
        "    return role in db.session and role.user in db.session\n\n\n"
        "seen = {",
    ).replace("sys.argv[1:]", repr(["sync_only", "loop_only"]))
    done = run_with_flask_db(tmp_path, converted, notes, "file", script)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "sync_only": True,
        "loop_only": True,
        "rows": [["admin", "ada"], ["editor", "grace"]],
    }
