"""A WTForms inline validator calling a function of the run that became a coroutine awaits it through SQLAlchemy's
``await_only``, and async code validating that form runs the validation in ``greenlet_spawn``.

Seen on an app whose form's ``validate_alias`` checked ``Model.search(SESSION, alias=...)``: once ``search`` queried
an AsyncSession, the validator got a coroutine (always truthy), so every submission failed with "already taken"
(no election could be created; the message its tests expected was never sent).
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
import sqlalchemy as sa
import wtforms
from sqlalchemy.orm import Session, declarative_base, scoped_session, sessionmaker

BASE = declarative_base()
SESSION = scoped_session(sessionmaker(bind=sa.create_engine("sqlite://")))


class Room(BASE):
    __tablename__ = "rooms"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.Unicode(50), unique=True)

    @classmethod
    def search(cls, session, name=None):
        return session.query(cls).filter(cls.name == name).all()


class RoomForm(wtforms.Form):
    name = wtforms.StringField("Name")

    def validate_name(form, field):
        if Room.search(SESSION, name=field.data):
            raise wtforms.ValidationError("taken")


def create(session: Session, formdata):
    form = RoomForm(formdata)
    if form.validate():
        session.add(Room(name=form.name.data))
        session.commit()
        return "created"
    return form.errors["name"][0]
"""

CONVERTED_PARTS = [
    "from sqlalchemy.util import await_only, greenlet_spawn\n",
    "    def validate_name(form, field):\n        if await_only(Room.search(SESSION, name=field.data)):\n",
    "async def create(session: AsyncSession, formdata):\n    form = RoomForm(formdata)\n"
    "    if await greenlet_spawn(form.validate):\n",
]


def test_the_validator_awaits_through_await_only_and_the_form_is_validated_in_greenlet_spawn():
    after, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    for part in CONVERTED_PARTS:
        assert part in after
    check_transformed(CODEMOD, SOURCE, after)  # valid Python, a second run changes nothing


def test_a_sync_caller_of_such_a_form_gets_a_todo():
    source = SOURCE + "\n\ndef check(formdata):\n    return RoomForm(formdata).validate()\n"
    after, _ = CODEMOD.apply(textwrap.dedent(source))
    assert (
        "# TODO(asyncshift): RoomForm(formdata).validate() runs validators awaiting in SQLAlchemy's greenlet" in after
    )
    assert "    return RoomForm(formdata).validate()\n" in after


RUN = """\


class Data(dict):
    def getlist(self, key):
        return [self[key]] if key in self else []


async def main() -> list[str]:
    engine = SESSION.session_factory.kw["bind"]
    async with engine.begin() as connection:
        await connection.run_sync(BASE.metadata.create_all)
    found = [await create(SESSION, Data(name="blue")), await create(SESSION, Data(name="blue"))]
    found.append(await create(SESSION, Data(name="green")))
    await SESSION.remove()
    await engine.dispose()
    return found
"""


def test_the_converted_validator_queries_the_async_session(tmp_path: Path):
    converted, _ = CODEMOD.apply(textwrap.dedent(SOURCE).replace('"sqlite://"', f'"sqlite:///{tmp_path}/rooms.db"'))
    (tmp_path / "rooms_prog.py").write_text(converted + RUN)
    program = load(tmp_path / "rooms_prog.py")
    assert asyncio.run(program.main()) == ["created", "taken", "created"]
