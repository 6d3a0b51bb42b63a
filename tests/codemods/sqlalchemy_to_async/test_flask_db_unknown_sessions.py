"""``x.session.commit()`` where ``x`` is of unknown type (a parameter handed the app's ``db``, ``app.db``) in a
run that converts Flask-SQLAlchemy's ``db``: a TODO at its line, since on that ``db`` the call is a coroutine now
and left un-awaited it never runs (no half-converted chain without a TODO). ``app.db = db`` in a factory, ``app`` an
instance of a class of the run, types ``app.db`` as that ``db`` where every such assignment agrees (``handed_params``
then types the parameter handed it)."""

from __future__ import annotations

from codemod_helpers import FLASK_DB_USERS, check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

MODELS, CONVERTED_MODELS = FLASK_DB_USERS


def _todo(name: str, method: str, db: str = "__main__.db") -> str:
    return (
        f"# TODO(asyncshift): the type of '{name}' is not known here: if it is Flask-SQLAlchemy's db ({db}), "
        f"{name}.session.{method}() is a coroutine now: await it and make the function async"
    )


def test_a_session_call_on_a_parameter_of_unknown_type_gets_a_todo_at_its_line():
    tail = """

def gen_user(db, name):
    user = Users(name=name)
    db.session.add(user)
    db.session.commit()
    return user


def rows(app):
    return app.db.session.execute("select 1")
"""
    expected_tail = f"""

def gen_user(db, name):
    user = Users(name=name)
    db.session.add(user)
    {_todo("db", "commit")}
    db.session.commit()
    return user


def rows(app):
    {_todo("app.db", "execute")}
    return app.db.session.execute("select 1")
"""
    check_transformed(CODEMOD, MODELS + tail, CONVERTED_MODELS + expected_tail)


def test_a_session_call_already_awaited_gets_no_todo():
    tail = "\n\nasync def save(db):\n    await db.session.commit()\n"
    check_transformed(CODEMOD, MODELS + tail, CONVERTED_MODELS + tail)


def test_a_receiver_of_a_known_sync_type_is_left_alone():
    tail = """

class Cart:
    def close(self):
        return None


class Browser:
    def __init__(self):
        self.session = Cart()


def leave(browser: Browser):
    browser.session.close()
"""
    check_transformed(CODEMOD, MODELS + tail, CONVERTED_MODELS + tail)


def test_a_run_without_flask_sqlalchemy_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import select


        def save(store):
            store.session.commit()
            return store.session.execute(select(1))
        """,
    )


def test_a_module_that_never_names_sqlalchemy_gets_the_todo_in_a_run(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/helpers.py": "def gen_user(db, user):\n    db.session.add(user)\n    db.session.commit()\n",
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    helpers = (tmp_path / "app/helpers.py").read_text()
    todo = _todo("db", "commit", "app.models.db")
    assert f"    db.session.add(user)\n    {todo}\n    db.session.commit()\n" in helpers


FACTORY = """\
from flask import Flask

from app.models import db


class AppFlask(Flask):
    pass


def create_app():
    app = AppFlask(__name__)
    app.db = db
    return app
"""
HELPERS = """\
from app import create_app


def gen_user(db, user):
    db.session.add(user)
    db.session.commit()
    return user


def test_users():
    app = create_app()
    gen_user(app.db, "a")
"""


def _converted_helpers(root, factory: str) -> str:
    write_tree(
        root,
        {"app/__init__.py": factory, "app/models.py": MODELS, "tests/__init__.py": "", "tests/helpers.py": HELPERS},
    )
    result = run("sqlalchemy-to-async", [root], write=True)
    assert result.count("failed") == 0
    return (root / "tests/helpers.py").read_text()


def test_an_attribute_the_factory_sets_to_the_db_is_that_db_where_the_app_is_read(tmp_path):
    helpers = _converted_helpers(tmp_path, FACTORY)
    assert "async def gen_user(db, user):\n    db.session.add(user)\n    await db.session.commit()\n" in helpers
    assert 'async def test_users():\n    app = create_app()\n    await gen_user(app.db, "a")\n' in helpers
    assert "TODO(asyncshift)" not in helpers


def test_an_attribute_set_to_values_that_disagree_stays_unknown_with_the_todo(tmp_path):
    factory = FACTORY.replace(
        "    return app\n", "    if not app.debug:\n        app.db = app.config\n    return app\n"
    )
    helpers = _converted_helpers(tmp_path, factory)
    assert "def gen_user(db, user):" in helpers and "async def gen_user" not in helpers
    assert _todo("db", "commit", "app.models.db") in helpers


def test_an_attribute_also_set_to_a_calls_unknown_result_stays_unknown_with_the_todo(tmp_path):
    factory = FACTORY.replace(
        "    return app\n", "    if not app.debug:\n        app.db = make_db(app)\n    return app\n"
    ).replace("class AppFlask", "def make_db(app):\n    return app.extensions['db']\n\n\nclass AppFlask")
    helpers = _converted_helpers(tmp_path, factory)
    assert "def gen_user(db, user):" in helpers and "async def gen_user" not in helpers
    assert _todo("db", "commit", "app.models.db") in helpers


def test_an_attribute_also_set_to_a_call_giving_the_same_db_is_that_db(tmp_path):
    factory = FACTORY.replace(
        "    return app\n", "    if not app.debug:\n        app.db = make_db()\n    return app\n"
    ).replace("class AppFlask", "def make_db():\n    return db\n\n\nclass AppFlask")
    helpers = _converted_helpers(tmp_path, factory)
    assert "async def gen_user(db, user):\n    db.session.add(user)\n    await db.session.commit()\n" in helpers


def test_an_attribute_a_test_patches_to_another_value_stays_unknown_with_the_todo(tmp_path):
    patched = (
        HELPERS + "\n\ndef test_patched(monkeypatch, other):\n    monkeypatch.setattr(create_app(), 'db', other)\n"
    )
    write_tree(
        tmp_path,
        {"app/__init__.py": FACTORY, "app/models.py": MODELS, "tests/__init__.py": "", "tests/helpers.py": patched},
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    helpers = (tmp_path / "tests/helpers.py").read_text()
    assert "def gen_user(db, user):" in helpers and "async def gen_user" not in helpers
