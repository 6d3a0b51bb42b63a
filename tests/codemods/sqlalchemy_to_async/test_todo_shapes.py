"""Two shapes of code that crashed a file's whole conversion instead of leaving a TODO at the line.

- A TODO quoting code that spans lines (``with api.commit_or_abort(\\n    db.session, ...)``): a comment holding a
  line break is no comment (libcst: "Got non-comment value for comment node"); it is written on one line.
- ``Model.query.get_or_404(client_id=...)`` (no key as its first argument, a keyword instead): the rewrite wrote
  ``db.get_or_404(Model, , client_id=...)``, which does not parse; it is left as it was, with a TODO.
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_todo_quoting_code_over_several_lines_is_one_comment_line():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")


        def dump(path):
            with engine.connect(
                close_with_result=False,
            ) as conn, open(path) as f:
                f.write(str(conn.execute("select 1").all()))
        """,
        """\
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine("sqlite+aiosqlite://")


        async def dump(path):
            # TODO(asyncshift): 'with engine.connect( close_with_result=False, )' needs 'async with' now, and the other items of this 'with' are sync: split it
            with engine.connect(
                close_with_result=False,
            ) as conn, open(path) as f:
                f.write(str((await conn.execute(text("select 1"))).all()))
        """,  # noqa: E501
    )


MODEL = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Client(db.Model):
    client_id = db.Column(db.String(40), primary_key=True)
"""


def test_get_or_404_without_the_key_as_its_first_argument_is_left_with_a_todo():
    check_transformed(
        CODEMOD,
        MODEL
        + """

def show(client_id):
    return Client.query.get_or_404(client_id=client_id)


def one(client_id):
    return Client.query.get_or_404(client_id)
""",
        MODEL.replace("from flask_sqlalchemy import", "from _flask_sqlalchemy_async import")
        + """

async def show(client_id):
    # TODO(asyncshift): legacy Query .get_or_404() without the key as its first argument has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
    return Client.query.get_or_404(client_id=client_id)


async def one(client_id):
    return await db.get_or_404(Client, client_id)
""",  # noqa: E501
    )
