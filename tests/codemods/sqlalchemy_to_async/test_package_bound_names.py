"""``from pkg import db`` where ``pkg/db.py`` makes the ``db`` and ``pkg/__init__.py`` says ``from .db import db``:
the name is the ``db`` (the package rebinds its attribute after importing the submodule), so the views importing it
so await its session's I/O; ``from . import db`` in the package is the submodule, as before."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods.runner import run

MODELS = {
    "shop/__init__.py": "",
    "shop/models/__init__.py": "from .db import db\nfrom .item import Item\n",
    "shop/models/db.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "shop/models/item.py": """\
        from .db import db


        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(50))
        """,
}
VIEWS = """\
    from sqlalchemy import select

    from shop.models import Item, db


    def rename(item_id, name):
        item = db.session.scalar(select(Item).where(Item.id == item_id))
        item.name = name
        db.session.commit()
        return item
    """


def test_a_db_the_package_rebinds_over_its_submodule_is_the_db(tmp_path):
    files = {**MODELS, "shop/views.py": VIEWS}
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in files.items()})
    result = run("sqlalchemy-to-async", [tree / "shop"], out=tmp_path / "out")
    assert result.count("failed") == 0 and result.todos == 0
    views = (tmp_path / "out" / "views.py").read_text()
    assert (
        "async def rename(item_id, name):\n"
        "    item = await db.session.scalar(select(Item).where(Item.id == item_id))\n"
        "    item.name = name\n"
        "    await db.session.commit()\n"
    ) in views


def test_a_submodule_the_package_imports_as_itself_stays_the_module(tmp_path):
    """``from . import db`` binds the submodule: ``from shop.models import db`` is that module, ``db.db`` its db."""
    files = {
        **MODELS,
        "shop/models/__init__.py": "from . import db\nfrom .item import Item\n",
        "shop/views.py": VIEWS.replace("db.session", "db.db.session"),
    }
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in files.items()})
    result = run("sqlalchemy-to-async", [tree / "shop"], out=tmp_path / "out")
    assert result.count("failed") == 0
    views = (tmp_path / "out" / "views.py").read_text()
    assert "    await db.db.session.commit()\n" in views
