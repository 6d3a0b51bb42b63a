"""An app's tests that create tables in ``sqlite://`` find them from the views, run in FastAPI's thread pool.

SQLAlchemy gives each thread its own in-memory database; Flask's test client served the requests in the
test's thread, so the app (with no Flask-SQLAlchemy: plain SQLAlchemy, Alchemical) never saw that.
"""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("sqlite://")


@app.route("/count")
def count():
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT count(*) FROM notes")).scalar())
"""


def _with_a_table(app):
    """The test's setUp, in the test's thread."""
    with sys.modules["notesapp"].engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (body TEXT)")
        connection.exec_driver_sql("INSERT INTO notes VALUES ('hi')")
    return app


def test_the_views_thread_sees_the_tables_the_test_created(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notesapp.py").write_text(APP)
    flask_app = _with_a_table(load(tmp_path / "src", "notesapp"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = _with_a_table(load(tmp_path / "out", "notesapp"))
    assert_same(flask_app, fastapi_app, [("GET", "/count")])


def test_only_the_apps_own_engines_share_a_connection(tmp_path):
    """The app's ``sqlite://`` engines get StaticPool (made by its code, or in its app context); one given a
    ``poolclass`` keeps it, a file database keeps its pool, and an engine made by code outside the app (this
    test) outside its contexts is left as SQLAlchemy made it."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    (tmp_path / "src").mkdir()
    on_file = tmp_path / "file.db"
    (tmp_path / "src" / "notesapp.py").write_text(
        APP
        + f"""
from sqlalchemy.pool import SingletonThreadPool

kept = create_engine("sqlite://", poolclass=SingletonThreadPool)
on_file = create_engine("sqlite:///{on_file}")
"""
    )
    convert_tree(tmp_path / "src", tmp_path / "out")
    load(tmp_path / "out", "notesapp")  # init_app: the app's in-memory engines share one connection from here on
    app_module = sys.modules["notesapp"]
    assert isinstance(app_module.engine.pool, StaticPool)
    assert isinstance(app_module.kept.pool, SingletonThreadPool)
    assert not isinstance(app_module.on_file.pool, StaticPool)
    assert isinstance(create_engine("sqlite://").pool, SingletonThreadPool)
    with app_module.app.app_context():  # an extension creating its engine on first use (Alchemical's create_all)
        assert isinstance(create_engine("sqlite://").pool, StaticPool)
