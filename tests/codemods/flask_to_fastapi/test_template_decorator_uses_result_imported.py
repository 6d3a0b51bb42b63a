"""A view decorator using the view's result, imported from another module of the app (``from .decorators import
json``) or made by a factory (``@paged(2)``), gets what the view returned, as in Flask: the views under it keep their
plain returns (they became ``JSONResponse(...)``/``make_response(...)``, and the decorator's ``rv.export_data()`` or
``rv[:limit]`` raised on a response)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

DECORATORS = """\
import functools

from flask import jsonify


def json(f):
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        rv = f(*args, **kwargs)
        status = None
        if isinstance(rv, tuple):
            rv, status = rv
        response = jsonify(rv if isinstance(rv, dict) else {"items": rv})
        if status is not None:
            response.status_code = status
        return response

    return wrapped


def paged(limit):
    def decorator(f):
        @functools.wraps(f)
        def wrapped(*args, **kwargs):
            items = f(*args, **kwargs)
            return {"items": items[:limit], "total": len(items)}

        return wrapped

    return decorator
"""

INIT = """\
from flask import Flask

from .decorators import json, paged

app = Flask(__name__)


@app.route("/made", methods=["POST"])
@json
def made():
    return {"made": True}, 201


@app.route("/books")
@json
@paged(2)
def books():
    return ["a", "b", "c"]
"""


def test_views_under_an_imported_or_factory_made_decorator_using_their_result_keep_their_returns(tmp_path):
    package = tmp_path / "src" / "deco_shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(INIT)
    (package / "decorators.py").write_text(DECORATORS)
    flask_app = load(tmp_path / "src", "deco_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "deco_shop")
    for request, before, after in ask_both(flask_app, fastapi_app, [("POST", "/made"), ("GET", "/books")]):
        assert after == before, request
