"""An extension that keeps state by the app its ``init_app`` got, and reads it back through ``flask.current_app``.

Flask-Alembic keeps a per-app cache in a ``WeakKeyDictionary`` keyed by that app and reads
``self._cache[current_app._get_current_object()]``; Flask-Login sets ``app.login_manager`` and reads
``current_app.login_manager``. In the conversion ``init_app`` gets the FastAPI app while ``flask.current_app`` is
the Flask app standing for it (the extensions' shadow, the old tests' URL twin, a REST extension's host): KeyError
and AttributeError, in every fixture pushing ``app.app_context()`` and every request, until the stand-in hashes
and compares as the app and reads the attributes set on it.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

LIBRARY = """\
import weakref

from flask import current_app


class Migrations:
    def __init__(self):
        self._cache = weakref.WeakKeyDictionary()
        self._seen = {}

    def init_app(self, app):
        self._cache[app] = {"head": "abc123"}
        self._seen[app] = "plain dict"
        app.extensions["migrations"] = self
        app.migrations_manager = self

    def head(self):
        return self._cache[current_app._get_current_object()]["head"]

    def seen(self):
        return self._seen[current_app._get_current_object()]


def manager():
    return current_app.migrations_manager
"""

APP = """\
from flask import Flask, jsonify
from flask_migrations import Migrations, manager

migrations = Migrations()


def create_app():
    app = Flask(__name__)
    migrations.init_app(app)

    @app.route("/")
    def index():
        return jsonify(head=migrations.head(), seen=migrations.seen(), same=manager() is migrations)

    return app
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("stand_in")
    (root / "lib").mkdir()
    (root / "lib" / "flask_migrations.py").write_text(LIBRARY)  # installed, not converted
    (root / "src").mkdir()
    (root / "src" / "migrated.py").write_text(APP)
    sys.path.insert(0, str(root / "lib"))
    try:
        flask_app = load(root / "src", "migrated", "create_app")
        convert_tree(root / "src", root / "out")
        yield flask_app, load(root / "out", "migrated", "create_app")
    finally:
        sys.path.remove(str(root / "lib"))
        sys.modules.pop("flask_migrations", None)


def test_a_request_finds_the_state_an_extension_keyed_by_the_app(apps):
    assert_same(*apps, [("GET", "/")])


def test_an_app_context_finds_the_state_an_extension_keyed_by_the_app(apps):
    _, converted = apps
    import flask_migrations

    with converted.app_context():
        assert flask_migrations.Migrations.head(sys.modules["migrated"].migrations) == "abc123"
        assert flask_migrations.manager() is sys.modules["migrated"].migrations
