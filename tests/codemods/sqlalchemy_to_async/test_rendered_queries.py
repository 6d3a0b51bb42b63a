"""A legacy Query handed to a template: run where the view hands it over (a list of its rows), with a TODO."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask import render_template
from flask_sqlalchemy import SQLAlchemy
{extra}
db = SQLAlchemy()


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)

"""
BEFORE = HEAD.format(extra="")
AFTER = HEAD.format(extra="from sqlalchemy import select\n").replace(
    "from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy"
)
TODO = (
    "    # TODO(asyncshift): 'entries' is handed to the template as a list of its rows (the template cannot run a "
    "query on an AsyncSession): a Query's own methods (entries.count(), .first()) are not on a list\n"
)


def test_a_query_variable_handed_to_render_template_is_run_there():
    check_transformed(
        CODEMOD,
        BEFORE
        + """
def index():
    entries = db.session.query(Post)
    return render_template("index.html", entries=entries)
""",
        AFTER
        + """
async def index():
    entries = select(Post)
"""
        + TODO
        + """    return render_template("index.html", entries=(await db.session.execute(entries)).scalars().all())
""",
    )


def test_a_model_query_with_builder_steps_handed_on_one_branch():
    check_transformed(
        CODEMOD,
        BEFORE
        + """
def search(query):
    entries = Post.query.filter(Post.id > 1)
    if query:
        return render_template("search.html", entries=entries, query=query)
    return render_template("search.html")
""",
        AFTER
        + """
async def search(query):
    entries = select(Post).where(Post.id > 1)
    if query:
"""
        + "    "
        + TODO
        + """        return render_template("search.html", entries=(await db.session.execute(entries)).scalars().all(), query=query)
    return render_template("search.html")
""",  # noqa: E501
    )


def test_a_query_handed_to_a_function_of_the_apps_own_named_render_template_is_left_alone():
    source = (
        BEFORE.replace("from flask import render_template\n", "")
        + """

def render_template(name, **values):
    return name, values


def index():
    entries = db.session.query(Post)
    return render_template("index.html", entries=entries)
"""
    )
    after, _ = CODEMOD.apply(source)
    assert "async def index" not in after and "entries=entries" in after


def test_a_list_handed_to_a_template_is_left_alone():
    check_noop(
        CODEMOD,
        BEFORE
        + """
def index(names):
    entries = sorted(names)
    return render_template("index.html", entries=entries)
""",
    )
