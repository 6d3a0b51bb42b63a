"""An extension's decorator that reads the view's annotated parameters (Flask-Pydantic's ``@validate()`` validates
each one but ``query``/``body``/``form`` as a URL argument) on a view the conversion handed the request to (its new
``request: Request`` parameter, as the view reads ``request.args``): the decorator found Starlette's ``Request``
among the view's parameters, which Flask's view never had, and failed on it (no schema: a 500 on every request)."""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import functools


def typed():
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for name, kind in fn.__annotations__.items():
                if name == 'return':
                    continue
                if kind not in (int, str):
                    raise TypeError(f'no schema for {kind!r}')
                kwargs[name] = kind(kwargs[name])
            return fn(*args, **kwargs)

        return wrapper

    return decorate
"""
VIEWS = """\
from flask import Flask, jsonify, request
from flask_typed import typed

app = Flask(__name__)


@app.route('/items/<n>')
@typed()
def item(n: int):
    return jsonify(next=n + 1, q=request.args.get('q'), path=request.path)
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("handed")
    (root / "lib").mkdir()
    (root / "lib" / "flask_typed.py").write_text(EXTENSION)  # installed, not converted
    (root / "src").mkdir()
    (root / "src" / "typed_views.py").write_text(VIEWS)
    sys.path.insert(0, str(root / "lib"))
    try:
        flask_app = load(root / "src", "typed_views")
        convert_tree(root / "src", root / "out")
        assert "request: Request" in (root / "out" / "typed_views.py").read_text()  # the request handed to it
        yield flask_app, load(root / "out", "typed_views")
    finally:
        sys.path.remove(str(root / "lib"))
        sys.modules.pop("flask_typed", None)


def test_the_extension_sees_the_views_own_parameters_and_the_view_its_request(apps):
    assert_same(*apps, [("GET", "/items/3?q=x"), ("GET", "/items/41")])
