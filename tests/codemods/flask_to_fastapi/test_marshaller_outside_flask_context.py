"""A decorator of the app's that turns the view's value into JSON, applied outside an extension's decorator run in
Flask's request context, gets the view's value, as under Flask.

Flask makes the response once, after every decorator returned: a marshalling decorator (flask-apispec's
``@marshal_with``, or the app's own) outside an extension's decorator that reads the request (``@jwt_required``)
dumps the model object the view returned. The helper's ``flask_request`` (and ``flask_context``, a view calling the
extension itself) made a response of the value as the wrapper returned, and a model object is none: 500 "did not
return a valid response ... it was a Person". A stand-in extension (``flask_gate``, not converted).
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import functools

import flask


def gated(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if 'X-Key' not in flask.request.headers:
            return flask.jsonify(error='no key'), 401
        return view(*args, **kwargs)

    return wrapper


def key():
    return flask.request.headers.get('X-Key', '')
"""
VIEWS = """\
import functools

from flask import Flask
from flask_gate import gated, key


class Person:
    def __init__(self, name, key=''):
        self.name, self.key = name, key


def dumped(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        rv = view(*args, **kwargs)
        if isinstance(rv, Person):
            return {'name': rv.name, 'key': rv.key}
        return rv

    return wrapper


app = Flask(__name__)


@app.route('/me')
@dumped
@gated
def me():
    return Person('ada')


@app.route('/people/<int:n>')
@dumped
@gated
def person(n):
    return Person(f'p{n}')


@app.route('/whoami')
@dumped
def whoami():
    return Person('bob', key())


@app.route('/plain')
@gated
def plain():
    return {'ok': True}
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("marshal")
    (root / "lib").mkdir()
    (root / "lib" / "flask_gate.py").write_text(EXTENSION)
    (root / "src" / "shop").mkdir(parents=True)
    (root / "src" / "shop" / "__init__.py").write_text("")
    (root / "src" / "shop" / "views.py").write_text(VIEWS)
    sys.path.insert(0, str(root / "lib"))
    try:
        flask_app = load(root / "src", "shop.views")
        convert_tree(root / "src", root / "out")
        yield flask_app, load(root / "out", "shop.views")
    finally:
        sys.path.remove(str(root / "lib"))
        for name in [n for n in sys.modules if n == "flask_gate" or n == "shop" or n.startswith("shop.")]:
            del sys.modules[name]


def test_the_marshaller_outside_gets_the_views_value(apps):
    key = {"headers": {"X-Key": "k1"}}
    requests = [("GET", "/me", key), ("GET", "/people/3", key), ("GET", "/whoami", key), ("GET", "/plain", key)]
    assert_same(*apps, requests)


def test_the_extensions_own_answer_passes_the_marshaller(apps):
    assert_same(*apps, [("GET", "/me"), ("GET", "/people/3"), ("GET", "/plain")])
