"""A Jinja loader's ``get_source``/``list_templates``/``load`` stay sync: Jinja calls them without awaiting and unpacks
what ``get_source`` returns, so made ``async def`` (a theme loader reading the database) every render failed with
"cannot unpack non-iterable coroutine object". A method of the same name on another class still becomes async."""

from __future__ import annotations

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
{imports}
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Setting(db.Model):
    key = db.Column(db.String(36), primary_key=True)
    value = db.Column(db.String(36))


def theme():
    return db.session.get(Setting, "theme").value


class ThemeLoader({base}):
    def get_source(self, environment, template):
        return super().get_source(environment, theme() + "/" + template)

    def list_templates(self):
        return [theme() + "/index.html"]
"""


@pytest.mark.parametrize(
    ("imports", "base"),
    [
        ("from jinja2 import FileSystemLoader", "FileSystemLoader"),
        ("import jinja2", "jinja2.BaseLoader"),
        ("from jinja2.loaders import ChoiceLoader", "ChoiceLoader"),
    ],
)
def test_a_loaders_methods_stay_sync_with_a_todo(imports: str, base: str):
    converted, _notes = CODEMOD.apply(PROGRAM.format(imports=imports, base=base), path="themes.py")
    compile(converted, "themes.py", "exec", dont_inherit=True)
    assert "    def get_source(self, environment, template):" in converted
    assert "    def list_templates(self):" in converted
    assert "async def get_source" not in converted and "await theme()" not in converted
    assert "is a Jinja loader's method, which Jinja calls without awaiting" in converted


def test_the_same_method_names_on_another_class_become_async():
    program = PROGRAM.format(imports="", base="object")
    converted, _notes = CODEMOD.apply(program, path="themes.py")
    assert "async def get_source(self, environment, template):" in converted
    assert "await theme()" in converted and "Jinja loader" not in converted
