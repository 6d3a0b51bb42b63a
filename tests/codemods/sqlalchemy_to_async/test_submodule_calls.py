"""A function made async called through its module's dotted path (``import pkg.messaging`` then
``pkg.messaging.previous(item)``): the submodule read on the package was nothing to the run, so the call was left as
it was, a coroutine never awaited (no TODO), where ``from pkg import messaging`` got it awaited."""

from __future__ import annotations

from pathlib import Path

import pytest
from codemod_helpers import write_tree

from codemods.runner import run

MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"""
MESSAGING = """\
from shop.models import Item, db


def previous(item):
    return db.session.execute(db.select(Item).where(Item.id != item.id)).scalars().first()
"""
TEST = """\
from unittest import TestCase

import shop.messaging
from shop.models import Item


class TestPrevious(TestCase):
    def test_none(self):
        assert shop.messaging.previous(Item()) is None
"""


@pytest.mark.parametrize("package_init", ["", "from shop.models import db\n"])
def test_a_call_through_the_submodules_dotted_path_is_run_to_its_end(tmp_path: Path, package_init: str):
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": package_init,
            "shop/models.py": MODELS,
            "shop/messaging.py": MESSAGING,
            "tests/test_previous.py": TEST,
        },
    )
    run("sqlalchemy-to-async", [tmp_path / "shop", tmp_path / "tests"], write=True)
    assert "async def previous(item):" in (tmp_path / "shop/messaging.py").read_text()
    assert "_run_to_end(shop.messaging.previous(Item()))" in (tmp_path / "tests/test_previous.py").read_text()
