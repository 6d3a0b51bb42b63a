"""Flask-SQLAlchemy: ``Model.query`` chains to ``select()`` on ``db.session``, ``db.session`` awaited, and
Flask-SQLAlchemy's own ``get_or_404``/``first_or_404``/``one_or_404``/``paginate`` awaited on a ``db`` that has an
async session."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
"""
CONVERTED_HEAD = HEAD.replace(
    "from flask_sqlalchemy import SQLAlchemy", "from _flask_sqlalchemy_async import SQLAlchemy"
)


def _check(body: str, expected: str, imports: str = "from sqlalchemy import select\n") -> str:
    head = CONVERTED_HEAD.replace("\n\ndb =", f"\n{imports}\ndb =", 1) if imports else CONVERTED_HEAD
    return check_transformed(CODEMOD, HEAD + textwrap.dedent(body), head + textwrap.dedent(expected))


def test_models_alone_are_left_alone():
    check_noop(CODEMOD, HEAD + "\n\ndef setup():\n    db.create_all()\n")


def test_model_query_reads_become_selects_on_db_session():
    _check(
        """

        def reads(name, key):
            everyone = User.query.order_by(User.name).all()
            first = User.query.filter_by(name=name).first()
            one = User.query.get(key)
            total = User.query.filter(User.name != name).count()
            return everyone, first, one, total
        """,
        """

        async def reads(name, key):
            everyone = (await db.session.execute(select(User).order_by(User.name))).scalars().all()
            first = (await db.session.execute(select(User).filter_by(name=name).limit(1))).scalars().first()
            one = await db.session.get(User, key)
            total = await db.session.scalar(select(func.count()).select_from(User).where(User.name != name))
            return everyone, first, one, total
        """,
        imports="from sqlalchemy import func, select\n",
    )


def test_404_helpers_and_paginate_are_awaited_on_db():
    _check(
        """

        def views(key, number):
            user = User.query.get_or_404(key)
            named = User.query.filter_by(name=user.name).first_or_404()
            only = User.query.filter_by(id=key).one_or_404(description="no such user")
            old_page = User.query.order_by(User.id).paginate(number, 20, False)
            new_page = User.query.order_by(User.id).paginate(page=number, per_page=20, max_per_page=50)
            return user, named, only, old_page, new_page
        """,
        """

        async def views(key, number):
            user = await db.get_or_404(User, key)
            named = await db.first_or_404(select(User).filter_by(name=user.name))
            only = await db.one_or_404(select(User).filter_by(id=key), description="no such user")
            old_page = await db.paginate(select(User).order_by(User.id), page=number, per_page=20, error_out=False)
            new_page = await db.paginate(select(User).order_by(User.id), page=number, per_page=20, max_per_page=50)
            return user, named, only, old_page, new_page
        """,
    )


def test_db_session_and_db_helpers_are_awaited():
    _check(
        """

        def writes(name):
            user = User(name=name)
            db.session.add(user)
            db.session.commit()
            found = db.session.execute(db.select(User).filter_by(name=name)).scalar_one()
            again = db.session.get(User, found.id)
            db.session.delete(again)
            db.session.commit()
            return db.get_or_404(User, 1), db.paginate(db.select(User), page=1)
        """,
        """

        async def writes(name):
            user = User(name=name)
            db.session.add(user)
            await db.session.commit()
            found = (await db.session.execute(db.select(User).filter_by(name=name))).scalar_one()
            again = await db.session.get(User, found.id)
            await db.session.delete(again)
            await db.session.commit()
            return await db.get_or_404(User, 1), await db.paginate(db.select(User), page=1)
        """,
        imports="",
    )


def test_a_model_query_built_in_a_variable_is_a_select():
    _check(
        """

        def listing(unread, number):
            if unread:
                shown = User.query.filter_by(name=None)
            else:
                shown = User.query
            return shown.order_by(User.id).paginate(number, per_page=10)
        """,
        """

        async def listing(unread, number):
            if unread:
                shown = select(User).filter_by(name=None)
            else:
                shown = select(User)
            return await db.paginate(shown.order_by(User.id), page=number, per_page=10)
        """,
    )


def test_what_has_no_rewrite_keeps_its_form_with_a_todo():
    _check(
        """

        def children(parent, number):
            return User.query.with_parent(parent, from_entity=User).paginate(number)


        def odd_page(number, **options):
            return User.query.paginate(number, **options)


        def rows(number):
            return db.session.query(User.id, User.name).paginate(number)
        """,
        """

        async def children(parent, number):
            # TODO(asyncshift): legacy Query .with_parent() beyond (instance, property) has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return User.query.with_parent(parent, from_entity=User).paginate(number)


        async def odd_page(number, **options):
            # TODO(asyncshift): legacy Query .paginate(*...) has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return User.query.paginate(number, **options)


        async def rows(number):
            # TODO(asyncshift): legacy Query .paginate() on more than one entity has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return db.sync_session.query(User.id, User.name).paginate(number)
        """,  # noqa: E501
        imports="",
    )


def test_where_nothing_can_await_model_query_and_db_session_stay_sync_with_a_todo():
    _check(
        """

        class Profile:
            @property
            def count(self):
                return User.query.count()


        def register(app):
            @app.context_processor
            def inject():
                db.session.commit()
                return {"users": User.query.all()}
        """,
        """

        class Profile:
            @property
            def count(self):
                # TODO(asyncshift): User.query stays a sync query on db.sync_session here ('count' is a property, which cannot be awaited): a blocking call; move it into async code
                return User.query.count()


        def register(app):
            @app.context_processor
            def inject():
                # TODO(asyncshift): db.session.commit() runs on db.sync_session here ('inject' is registered with @app.context_processor, whose caller does not await it): a blocking call; move it into async code and await it on db.session
                db.sync_session.commit()
                # TODO(asyncshift): User.query stays a sync query on db.sync_session here ('inject' is registered with @app.context_processor, whose caller does not await it): a blocking call; move it into async code
                return {"users": User.query.all()}
        """,  # noqa: E501
        imports="",
    )


def test_a_plain_sessions_query_has_no_paginate_and_stays_sync():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def page(session: Session, number):
            return session.query(User).paginate(number)
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        def page(session: AsyncSession, number):
            # TODO(asyncshift): legacy Query .paginate() has no 2.0 rewrite here: build a select() and run it with 'await session.execute(...)'
            return session.query(User).paginate(number)
        """,  # noqa: E501
    )


FLASK_TO_FASTAPI_OUTPUT = {
    "blog/__init__.py": """\
        from ._flask_compat import init_app
        from ._flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """,
    "blog/_flask_sqlalchemy.py": '"""flask-to-fastapi\'s helper: never converted."""\nimport sqlalchemy.orm\n\n\n'
    "def f(s: sqlalchemy.orm.Session):\n    s.commit()\n",
    "blog/_flask_compat/__init__.py": "",
    "blog/models.py": """\
        from blog import db


        class Post(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
    "blog/views.py": """\
        from blog.models import Post


        def show(post_id):
            return Post.query.get_or_404(post_id)
        """,
}


def test_a_flask_to_fastapi_app_gets_the_async_db_and_db_is_imported_where_a_query_needs_it(tmp_path):
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in FLASK_TO_FASTAPI_OUTPUT.items()})
    result = run("sqlalchemy-to-async", [tree / "blog"], out=tmp_path / "out")
    out = tmp_path / "out"
    assert result.count("failed") == 0 and result.todos == 0
    assert "from ._flask_sqlalchemy_async import SQLAlchemy" in (out / "__init__.py").read_text()
    assert (out / "views.py").read_text() == textwrap.dedent(
        """\
        from blog.models import Post
        from blog import db


        async def show(post_id):
            return await db.get_or_404(Post, post_id)
        """
    )
    helper = (out / "_flask_sqlalchemy_async.py").read_text()
    compile(helper, "_flask_sqlalchemy_async.py", "exec", dont_inherit=True)
    assert "def _async_database_url(url):" in helper and "NotImplementedError" not in helper
    assert (out / "_flask_sqlalchemy.py").read_text() == FLASK_TO_FASTAPI_OUTPUT["blog/_flask_sqlalchemy.py"]


PACKAGE_WITH_STAR_IMPORTS = {
    "shop/__init__.py": """\
        from ._flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        """,
    "shop/models/__init__.py": "from .user import *  # noqa\n",
    "shop/models/user.py": """\
        from .. import db


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """,
    "shop/views.py": """\
        from shop.hooks import before_request
        from shop.models import User


        @before_request(app_wide=True)
        def before_request():
            return User.query.get(1)
        """,
    "shop/context.py": """\
        from shop.models import User


        def register(app):
            @app.context_processor
            def inject():
                return {"children": User.query.with_parent(app).count()}
        """,
}


def test_models_through_star_imports_decorators_and_modules_that_never_name_sqlalchemy(tmp_path):
    """``from .user import *`` finds the model; a function named like the decorator above it (``@before_request(...)``)
    does not make that decorator call awaited; a module naming neither SQLAlchemy nor ``db`` still gets its TODO."""
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in PACKAGE_WITH_STAR_IMPORTS.items()})
    result = run("sqlalchemy-to-async", [tree / "shop"], out=tmp_path / "out")
    out = tmp_path / "out"
    assert result.count("failed") == 0
    assert (out / "views.py").read_text() == textwrap.dedent(
        """\
        from shop.hooks import before_request
        from shop.models import User
        from shop import db


        @before_request(app_wide=True)
        async def before_request():
            return await db.session.get(User, 1)
        """
    )
    context = (out / "context.py").read_text()
    assert "# TODO(asyncshift): User.query stays a sync query on db.sync_session here" in context


def test_a_click_command_stays_sync_and_its_db_session_calls_run_on_the_sync_session():
    _check(
        """

        import click


        @app.cli.command()
        def forge(count):
            db.session.add(User(name="x"))
            db.session.commit()


        @click.command()
        def names():
            return [user.name for user in User.query.all()], db.session.query(User).count()
        """,
        """

        import click


        @app.cli.command()
        def forge(count):
            db.sync_session.add(User(name="x"))
            # TODO(asyncshift): db.session.commit() runs on db.sync_session here ('forge' is a click command (@app.cli.command), which click calls without awaiting): a blocking call; move it into async code and await it on db.session
            db.sync_session.commit()


        @click.command()
        def names():
            # TODO(asyncshift): User.query stays a sync query on db.sync_session here ('names' is a click command (@click.command), which click calls without awaiting): a blocking call; move it into async code
            # TODO(asyncshift): db.session.query stays a sync query on db.sync_session here ('names' is a click command (@click.command), which click calls without awaiting): a blocking call; move it into async code
            return [user.name for user in User.query.all()], db.sync_session.query(User).count()
        """,  # noqa: E501
        imports="",
    )


def test_a_dynamic_relationships_query_gets_a_todo():
    check_transformed(
        CODEMOD,
        HEAD.replace("name = db.Column(db.String(50))", 'posts = db.relationship("Post", lazy="dynamic")')
        + textwrap.dedent(
            """

            def view(user):  # its class is not known here: no select() of the relationship is written
                db.session.commit()
                return user.posts.filter_by(id=1).all()
            """
        ),
        CONVERTED_HEAD.replace("name = db.Column(db.String(50))", 'posts = db.relationship("Post", lazy="dynamic")')
        + textwrap.dedent(
            """

            async def view(user):  # its class is not known here: no select() of the relationship is written
                await db.session.commit()
                # TODO(asyncshift): 'user.posts' is a lazy="dynamic" relationship: its query runs sync, blocking (on the sync engine with the Flask-SQLAlchemy helper; MissingGreenlet on a plain AsyncSession): build a select() with with_parent(...) and await it on db.session, or make it lazy="write_only"
                return user.posts.filter_by(id=1).all()
            """  # noqa: E501
        ),
    )
