"""A view parameter annotated with a pydantic model (``body: NewGroup``) under an extension's decorator that fills it
(Flask-Pydantic's ``@validate()`` builds ``body``/``query`` from the request and answers its own validation error):
Flask gave a view only its URL's arguments, so the parameter is the extension's, but FastAPI read it as the request's
body and answered its own 422 (the app's 400 handler then) before the extension ran: the extension's own answer to
a bad body, and its own reading of a good one, were lost."""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import functools

import flask
import pydantic


def filled():
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            model = fn.__annotations__['body']
            try:
                kwargs['body'] = model(**(flask.request.get_json(silent=True) or {}))
            except pydantic.ValidationError as error:
                return flask.jsonify(errors=[e['loc'][0] for e in error.errors()]), 422
            return fn(*args, **kwargs)

        return wrapper

    return decorate
"""
VIEWS = """\
from flask import Flask, jsonify
from flask_filled import filled
from pydantic import BaseModel

app = Flask(__name__)


class NewGroup(BaseModel):
    name: str
    size: int = 1


@app.route('/teams/<int:team>/groups', methods=['POST'])
@filled()
def create_group(team: int, body: NewGroup):
    return jsonify(team=team, name=body.name, size=body.size), 201
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("filled")
    (root / "lib").mkdir()
    (root / "lib" / "flask_filled.py").write_text(EXTENSION)  # installed, not converted
    (root / "src").mkdir()
    (root / "src" / "filled_views.py").write_text(VIEWS)
    sys.path.insert(0, str(root / "lib"))
    try:
        flask_app = load(root / "src", "filled_views")
        convert_tree(root / "src", root / "out")
        yield flask_app, load(root / "out", "filled_views")
    finally:
        sys.path.remove(str(root / "lib"))
        sys.modules.pop("flask_filled", None)


def test_the_extension_fills_the_model_parameter_and_answers_its_errors(apps):
    requests = [
        ("POST", "/teams/7/groups", {"json": {"name": "g1", "size": 3}}),
        ("POST", "/teams/7/groups", {"json": {"size": "many"}}),
        ("POST", "/teams/7/groups", {"json": {"name": "g2"}}),
    ]
    assert_same(*apps, requests)
