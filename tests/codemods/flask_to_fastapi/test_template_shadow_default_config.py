"""The Flask app behind the extensions has Flask's default config, as the original app had.

It shares the converted app's config, which had none of Flask's own keys: Flask before 2.3 reads
``current_app.config["JSON_AS_ASCII"]`` in every ``flask.json.dumps``, its session serializer's too, so a test's
``flask.current_app.test_request_context()`` in an app context raised ``KeyError: 'JSON_AS_ASCII'`` (an extension
made the Flask app; the other Flask apps the helper makes had the defaults already).
"""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

LIBRARY = """\
import json

import flask


class Dumper:
    def init_app(self, app):
        app.extensions['dumper'] = self

    def dump(self, value):  # as Flask 1.1's flask.json.dumps reads it
        return json.dumps(value, ensure_ascii=flask.current_app.config['JSON_AS_ASCII'])
"""
VIEWS = """\
from flask import Flask
from flask_dumper import Dumper

dumper = Dumper()


def create_app():
    app = Flask(__name__)
    app.secret_key = 'x'
    dumper.init_app(app)
    return app
"""


def _in_app_context(app) -> list:
    import flask

    with app.app_context():
        with flask.current_app.test_request_context():  # Flask's own request context, session opened
            return [sys.modules["flask_dumper"].Dumper().dump("café"), flask.current_app.config["SECRET_KEY"]]


def test_a_flask_default_key_reads_as_in_the_original_app(tmp_path, monkeypatch):
    import flask
    from werkzeug.datastructures import ImmutableDict

    monkeypatch.setattr(flask.Flask, "default_config", ImmutableDict(flask.Flask.default_config, JSON_AS_ASCII=True))
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_dumper.py").write_text(LIBRARY)  # installed, not converted
    (tmp_path / "src" / "dumping").mkdir(parents=True)
    (tmp_path / "src" / "dumping" / "__init__.py").write_text(VIEWS)
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    before = _in_app_context(load(tmp_path / "src", "dumping", "create_app"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    after = _in_app_context(load(tmp_path / "out", "dumping", "create_app"))
    assert after == before == ['"caf\\u00e9"', "x"]
