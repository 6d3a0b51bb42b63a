"""A WTForms form's inline validators (``validate_<field>``) and ``validate`` stay sync: WTForms calls them without
awaiting, so a coroutine function there would never run its check (every form would pass)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from wtforms import Form, StringField, ValidationError

db = SQLAlchemy()


class Category(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""
CONVERTED_HEAD = HEAD.replace(
    "from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy"
)
TODO = (
    "# TODO(asyncshift): Category.query stays a sync query on db.sync_session here ('{name}' is called by WTForms' "
    "Form.validate(), which does not await it): a blocking call; move it into async code"
)


def test_inline_validators_and_validate_of_a_form_stay_sync_with_a_todo():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            class CategoryForm(FlaskForm):
                name = StringField()

                def validate_name(self, field):
                    if Category.query.filter_by(name=field.data).first():
                        raise ValidationError("Name already in use.")


            class BaseForm(Form):
                pass


            class RenameForm(BaseForm):
                name = StringField()

                def validate(self, extra_validators=None):
                    return Category.query.count() > 0
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            f"""

            class CategoryForm(FlaskForm):
                name = StringField()

                def validate_name(self, field):
                    {TODO.format(name="validate_name")}
                    if Category.query.filter_by(name=field.data).first():
                        raise ValidationError("Name already in use.")


            class BaseForm(Form):
                pass


            class RenameForm(BaseForm):
                name = StringField()

                def validate(self, extra_validators=None):
                    {TODO.format(name="validate")}
                    return Category.query.count() > 0
            """
        ),
    )


def test_a_validate_method_of_a_class_that_is_no_form_becomes_async():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            class Checks:
                def validate_name(self, name):
                    return Category.query.filter_by(name=name).count() == 0
            """
        ),
        CONVERTED_HEAD.replace("\n\ndb =", "\nfrom sqlalchemy import func, select\n\ndb =", 1)
        + textwrap.dedent(
            """

            class Checks:
                async def validate_name(self, name):
                    return await db.session.scalar(select(func.count()).select_from(Category).filter_by(name=name)) == 0
            """  # noqa: E501
        ),
    )
