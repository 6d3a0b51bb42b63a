"""A row a Flask-SQLAlchemy model's query gives (``Model.query.get_or_404(k)``, ``.filter_by(...).first()``) is
that model: a method of it that became async is awaited where the row is used (``category.delete()``)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask import abort
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Category(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    def delete(self):
        db.session.delete(self)
        db.session.commit()

    def label(self):
        return self.name
"""
CONVERTED_HEAD = (
    HEAD.replace("from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy")
    .replace("\n\ndb =", "\nfrom sqlalchemy import select\n\ndb =", 1)
    .replace("    def delete(self):", "    async def delete(self):")
    .replace(
        "        db.session.delete(self)\n        db.session.commit()",
        "        await db.session.delete(self)\n        await db.session.commit()",
    )
)


def test_a_row_of_a_model_query_has_the_models_methods_awaited():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def remove(key):
                category = Category.query.get_or_404(key)
                category.delete()


            def remove_named(name):
                found = Category.query.filter_by(name=name).order_by(Category.id).first()
                found.delete()
                return found.label()


            def remove_by_key(key):
                category = db.session.get(Category, key) or abort(404)
                category.delete()
                db.get_or_404(Category, key + 1).delete()
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            async def remove(key):
                category = await db.get_or_404(Category, key)
                await category.delete()


            async def remove_named(name):
                found = (await db.session.execute(select(Category).filter_by(name=name).order_by(Category.id).limit(1))).scalars().first()
                await found.delete()
                return found.label()


            async def remove_by_key(key):
                category = await db.session.get(Category, key) or abort(404)
                await category.delete()
                await (await db.get_or_404(Category, key + 1)).delete()
            """  # noqa: E501
        ),
    )


def test_a_query_that_selects_columns_gives_no_row_of_the_model():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def first_name():
                row = Category.query.with_entities(Category.name).first()
                row.delete()
                return row
            """
        ),
        CONVERTED_HEAD.replace("from sqlalchemy import select\n", "")
        + textwrap.dedent(
            """

            def first_name():
                # TODO(asyncshift): legacy Query .with_entities() has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
                row = Category.query.with_entities(Category.name).first()
                row.delete()
                return row
            """  # noqa: E501
        ),
    )
