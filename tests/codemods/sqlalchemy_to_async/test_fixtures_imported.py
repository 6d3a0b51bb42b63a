"""A fixture a conftest imports from a module of fixtures (``from tests.fixtures.forum import *``) types the test's
parameter of that name, as one the conftest defines: pytest finds it in the conftest's namespace. Untyped, a test's
``forum.delete()`` on it was left unawaited (the row never deleted: ``assert <Forum 1> is None``)."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

APP = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    def save(self):
        db.session.add(self)
        db.session.commit()
        return self

    def delete(self):
        db.session.delete(self)
        db.session.commit()
"""
FIXTURES = """\
import pytest

from shop import Item


@pytest.fixture
def item():
    return Item().save()
"""
TEST = """\
from shop import Item


def test_delete(item):
    item.delete()
    assert Item.query.get(item.id) is None
"""


def test_a_fixture_a_conftest_imports_types_the_test_parameter(tmp_path):
    for conftest in ("from tests.fixtures.items import *  # noqa\n", "from tests.fixtures.items import item\n"):
        root = tmp_path / str(len(conftest))
        write_tree(
            root,
            {
                "shop/__init__.py": APP,
                "tests/__init__.py": "",
                "tests/fixtures/__init__.py": "",
                "tests/fixtures/items.py": FIXTURES,
                "tests/conftest.py": conftest,
                "tests/unit/test_items.py": TEST,
            },
        )
        result = run("sqlalchemy-to-async", [root], write=True)
        assert result.count("failed") == 0
        test = (root / "tests/unit/test_items.py").read_text()
        assert "async def test_delete(item):\n    await item.delete()\n" in test, test
