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


def test_an_engine_given_a_pool_class_keeps_it(tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notesapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    load(tmp_path / "out", "notesapp")  # init_app shares in-memory databases from here on
    assert isinstance(create_engine("sqlite://").pool, StaticPool)
    assert isinstance(create_engine("sqlite://", poolclass=SingletonThreadPool).pool, SingletonThreadPool)
    assert not isinstance(create_engine(f"sqlite:///{tmp_path / 'file.db'}").pool, StaticPool)
