"""A decorator's wrapper around functions that became coroutine functions: async, awaiting what it wraps when
that gives an awaitable (the same decorator may wrap sync functions too)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD, view_decorators

HEAD = """\
from functools import wraps

from {db} import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
"""
HELPER = textwrap.dedent(view_decorators.CODE.format(name="_awaited")).strip("\n")


def test_wrappers_around_coroutine_functions_await_them():
    check_transformed(
        CODEMOD,
        HEAD.format(db="flask_sqlalchemy")
        + """

def login_required(f):
    @wraps(f)
    def decorated_function(*args, **kwargs):
        if not args:
            return "no"
        return f(*args, **kwargs)

    return decorated_function


def permission_required(permission):
    def decorator(f):
        @wraps(f)
        def decorated_function(*args, **kwargs):
            return f(*args, **kwargs)

        return decorated_function

    return decorator


@login_required
def delete(key):
    db.session.delete(User.query.get(key))
    db.session.commit()


@permission_required(3)
def show(key):
    return User.query.get(key)
""",
        HEAD.format(db="_flask_sqlalchemy_async")
        + "\n\n"
        + HELPER
        + """


def login_required(f):
    @wraps(f)
    async def decorated_function(*args, **kwargs):
        if not args:
            return "no"
        return await _awaited(f(*args, **kwargs))

    return decorated_function


def permission_required(permission):
    def decorator(f):
        @wraps(f)
        async def decorated_function(*args, **kwargs):
            return await _awaited(f(*args, **kwargs))

        return decorated_function

    return decorator


@login_required
async def delete(key):
    await db.session.delete(await db.session.get(User, key))
    await db.session.commit()


@permission_required(3)
async def show(key):
    return await db.session.get(User, key)
""",
    )


def test_a_wrapper_that_awaits_itself_awaits_what_it_wraps_and_its_return_gets_no_todo():
    after, _ = CODEMOD.apply(
        HEAD.format(db="flask_sqlalchemy")
        + """

def token_required(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        if User.query.get(1) is None:
            return "no"
        return f(*args, **kwargs)

    return decorated
"""
    )
    assert "    async def decorated(*args, **kwargs):" in after
    assert "return await _awaited(f(*args, **kwargs))" in after and "TODO" not in after


def test_a_wrapper_handed_to_another_decorator_awaits_what_it_wraps():
    """``return documented(schema)(page)``: the wrapper is the decorator's result, wrapped again; it awaits the
    view it wraps (now a coroutine function), and the TODO for handing a coroutine function to ``documented``
    stays (what that call does with it is its own)."""
    check_transformed(
        CODEMOD,
        HEAD.format(db="flask_sqlalchemy")
        + """

def paged(schema):
    def inner(f):
        @wraps(f)
        def page(*args, **kwargs):
            query = f(*args, **kwargs)
            return db.session.scalars(query.limit(10)).all()

        return documented(schema)(page)

    return inner


def documented(schema):
    def inner(f):
        f.schema = schema
        return f

    return inner


@paged("users")
def owned(key):
    user = db.session.get(User, key)
    return user.select()
""",
        HEAD.format(db="_flask_sqlalchemy_async")
        + "\n\n"
        + HELPER
        + """


def paged(schema):
    def inner(f):
        @wraps(f)
        async def page(*args, **kwargs):
            query = await _awaited(f(*args, **kwargs))
            return (await db.session.scalars(query.limit(10))).all()

        # TODO(asyncshift): 'page' is a coroutine function now: whatever calls it here must await it (a sync callable won't)
        return documented(schema)(page)

    return inner


def documented(schema):
    def inner(f):
        f.schema = schema
        return f

    return inner


@paged("users")
async def owned(key):
    user = await db.session.get(User, key)
    return user.select()
""",  # noqa: E501
    )


def test_a_decorator_around_sync_functions_only_is_left_alone():
    check_noop(
        CODEMOD,
        HEAD.format(db="flask_sqlalchemy")
        + """

def logged(f):
    @wraps(f)
    def inner(*args):
        return f(*args)

    return inner


@logged
def hello():
    return "hi"
""",
    )


def test_a_method_views_decorators_list_counts_as_decorating_its_methods(tmp_path):
    files = {
        "api/__init__.py": "",
        "api/auth.py": """\
            from functools import wraps


            def auth_required(f):
                @wraps(f)
                def decorated(*args, **kwargs):
                    return f(*args, **kwargs)

                return decorated
            """,
        "api/views.py": """\
            from flask_sqlalchemy import SQLAlchemy

            from api.auth import auth_required

            db = SQLAlchemy()


            class ItemAPI:
                decorators = [auth_required]

                def delete(self, item):
                    db.session.delete(item)
                    db.session.commit()
            """,
    }
    tree = write_tree(tmp_path / "app", {k: textwrap.dedent(v) for k, v in files.items()})
    result = run("sqlalchemy-to-async", [tree / "api"], out=tmp_path / "out")
    assert result.count("failed") == 0
    auth = (tmp_path / "out" / "auth.py").read_text()
    assert "    async def decorated(*args, **kwargs):" in auth and "return await _awaited(f(*args, **kwargs))" in auth
