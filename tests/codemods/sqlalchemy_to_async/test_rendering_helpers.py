"""A sync function of the run that renders a template (a view's helper, or its caller), called from a coroutine,
runs in SQLAlchemy's greenlet: the template reads the objects it is handed after the view's last await, and a
relationship loading on read (``{{ entry.user.name }}``) raised ``MissingGreenlet`` on the loop."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from flask import render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import relationship

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Entry(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    user = relationship("User"{lazy})


def render_form(**context):
    return render_template("form.html", **context)


def render_entry(entry):
    return render_form(entry=entry, title="Entry")


def entry_view(entry_id):
    entry = db.session.get(Entry, entry_id)
    return render_entry(entry)


def form_view(entry_id):
    context = dict(entry=db.session.get(Entry, entry_id))
    return render_form(**context)
"""


def test_a_sync_helper_rendering_a_template_runs_in_the_greenlet():
    check_transformed(
        CODEMOD,
        MODELS.format(lazy=""),
        MODELS.format(lazy="")
        .replace("from flask_sqlalchemy import SQLAlchemy\n", "from _flask_sqlalchemy_async import SQLAlchemy\n")
        .replace(
            "from sqlalchemy.orm import relationship\n",
            "from sqlalchemy.orm import relationship\nfrom sqlalchemy.util import greenlet_spawn\n",
        )
        .replace("def entry_view", "async def entry_view")
        .replace("def form_view", "async def form_view")
        .replace("db.session.get(Entry, entry_id)", "await db.session.get(Entry, entry_id)")
        .replace("    return render_entry(entry)", "    return await greenlet_spawn(render_entry, entry)")
        .replace("    return render_form(**context)", "    return await greenlet_spawn(render_form, **context)"),
    )


def test_no_relationship_loading_on_read_leaves_the_helper_called_as_it_was():
    """Every relationship loads with its object: nothing the template reads loads later."""
    source = MODELS.format(lazy=', lazy="joined"')
    converted = (
        source.replace("from flask_sqlalchemy import SQLAlchemy\n", "from _flask_sqlalchemy_async import SQLAlchemy\n")
        .replace("def entry_view", "async def entry_view")
        .replace("def form_view", "async def form_view")
        .replace("db.session.get(Entry, entry_id)", "await db.session.get(Entry, entry_id)")
    )
    check_transformed(CODEMOD, source, converted)


def test_a_helper_rendering_nothing_is_left_alone():
    check_noop(
        CODEMOD,
        textwrap.dedent(
            """\
            from flask import render_template


            def render_form(**context):
                return render_template("form.html", **context)


            def view():
                return render_form(title="x")
            """
        ),
    )
