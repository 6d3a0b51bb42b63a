"""A WTForms field's or widget's hooks (``process_formdata``, ``iter_choices``, ``pre_validate``, ``__call__``...)
stay sync: WTForms calls them without awaiting, as the form is built, rendered and validated. Their calls of the
run's coroutine functions run to their end there; what they read directly stays on the sync session with a TODO.

Seen on an app whose multiple-select field listed a model's rows in ``iter_choices`` (a generator) and looked each
chosen id up in ``process_formdata``: made an async generator and a coroutine function, every form page answered
500 ("'async_generator' object is not iterable") and the field's data was a coroutine.
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
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker
from wtforms import widgets

BASE = declarative_base()
SESSION = scoped_session(sessionmaker(bind=sa.create_engine("sqlite://")))


class Colour(BASE):
    __tablename__ = "colours"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.Unicode(50), unique=True)

    @classmethod
    def find(cls, id):
        return SESSION.get(cls, int(id))

    @classmethod
    def every(cls):
        return SESSION.query(cls).order_by(cls.id).all()


class Count(widgets.Select):
    def __call__(self, field, **kwargs):
        return f"{len(Colour.every())}:" + super().__call__(field, **kwargs)


class ColoursField(wtforms.SelectFieldBase):
    widget = Count(multiple=True)

    def iter_choices(self):
        for colour in Colour.every():
            yield (colour.id, colour.name, self.data is not None and colour in self.data, {})

    def process_formdata(self, valuelist):
        self.data = [Colour.find(value) for value in valuelist]

    def pre_validate(self, form):
        known = {c[0] for c in self.iter_choices()}
        if any(colour is None or colour.id not in known for colour in self.data or ()):
            raise wtforms.ValidationError("unknown colour")

    def populate_obj(self, obj, name):
        setattr(obj, name, [c.name for c in self.data])


class PaletteForm(wtforms.Form):
    colours = ColoursField()

    def populate_obj(self, obj):
        obj.count = len(Colour.every())
        super().populate_obj(obj)


class Palette:
    pass


def choose(formdata):
    form = PaletteForm(formdata)
    palette = Palette()
    if form.validate():
        form.populate_obj(palette)
        return form.colours(), palette.colours, palette.count
    return form.colours(), form.errors, None
"""

CONVERTED_PARTS = [
    # WTForms calls them: sync, the run's coroutine functions run to their end
    "    def __call__(self, field, **kwargs):\n",
    '        return f"{len(_run_to_end(Colour.every()))}:" + super().__call__(field, **kwargs)\n',
    "    def iter_choices(self):\n",
    "        for colour in _run_to_end(Colour.every()):\n",
    "    def process_formdata(self, valuelist):\n",
    "        self.data = [_run_to_end(Colour.find(value)) for value in valuelist]\n",
    "    def pre_validate(self, form):\n",
    "    def populate_obj(self, obj, name):\n",
    "'iter_choices' overrides wtforms.SelectFieldBase.iter_choices, which WTForms calls and whose caller",
    # a form's populate_obj is the app's to call: async, awaited
    "    async def populate_obj(self, obj):\n",
    "async def choose(formdata):\n",
    "        await form.populate_obj(palette)\n",
]


def test_the_hooks_wtforms_calls_stay_sync_and_run_their_coroutines_to_their_end():
    after, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    for part in CONVERTED_PARTS:
        assert part in after
    assert "async def iter_choices" not in after and "async def process_formdata" not in after
    assert "async def __call__" not in after and "async def pre_validate" not in after
    check_transformed(CODEMOD, SOURCE, after)  # valid Python, a second run changes nothing


FLASK = """\
from flask_sqlalchemy import SQLAlchemy
from wtforms import StringField

db = SQLAlchemy()


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class TagField(StringField):
    def process_formdata(self, valuelist):
        self.data = [db.session.scalar(db.select(Tag).filter_by(name=n)) for n in valuelist]


async def show(tag_id):
    return await db.session.get(Tag, tag_id)
"""


def test_what_a_hook_reads_directly_stays_on_the_sync_session_with_a_todo():
    after, _ = CODEMOD.apply(FLASK)
    assert "    def process_formdata(self, valuelist):\n" in after
    assert "db.sync_session" in after
    assert "'process_formdata' overrides wtforms.StringField.process_formdata, which WTForms calls" in after


RUN = """\


class Data(dict):
    def getlist(self, key):
        return self.get(key, [])


async def main():
    engine = SESSION.session_factory.kw["bind"]
    async with engine.begin() as connection:
        await connection.run_sync(BASE.metadata.create_all)
    SESSION.add_all([Colour(name="red"), Colour(name="green")])
    await SESSION.commit()
    found = [await choose(Data(colours=["2"])), await choose(Data(colours=["7"]))]
    await SESSION.remove()
    await engine.dispose()
    return found
"""


def test_the_converted_field_builds_renders_and_validates_under_a_running_loop(tmp_path: Path):
    source = textwrap.dedent(SOURCE).replace('"sqlite://"', f'"sqlite:///{tmp_path}/colours.db"')
    converted, _ = CODEMOD.apply(source)
    (tmp_path / "colours_prog.py").write_text(converted + RUN)
    program = load(tmp_path / "colours_prog.py")
    chosen, unknown = asyncio.run(program.main())
    assert chosen[0].startswith('2:<select id="colours" multiple name="colours">')
    assert '<option selected value="2">green</option>' in chosen[0]
    assert chosen[1:] == (["green"], 2)
    assert unknown[1] == {"colours": ["unknown colour"]}
