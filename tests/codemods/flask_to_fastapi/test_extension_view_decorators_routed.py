"""An extension's decorator on views routed by a call, not a route decorator: views made per kind by a factory
function (closures under ``@validated()``) and routed with ``bp.add_url_rule`` in its loop, and a module-level view
routed with ``app.add_url_rule(..., view_func=...)``. Only decorated views were wrapped in ``flask_request(...)``, so
these ran the extension's wrapper outside Flask's request context: every request failed ("Working outside of
request context")."""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import functools

import flask


def validated():
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            body = flask.request.get_json()
            if not isinstance(body.get('name'), str):
                return flask.jsonify(error='name'), 400
            flask.g.validated_name = body['name']
            return fn(*args, **kwargs)

        return wrapper

    return decorate
"""
VIEWS = """\
from flask import Blueprint, Flask, jsonify, request
from flask_validated import validated

api = Blueprint('api', __name__)


def create_endpoint(kind):
    @validated()
    def create():
        return jsonify(kind=kind, name=request.get_json()['name']), 201

    api.add_url_rule(f'/{kind}s', endpoint=f'create_{kind}', view_func=create, methods=['POST'])


for kind in ('group', 'result'):
    create_endpoint(kind)


@validated()
def rename():
    return jsonify(renamed=request.get_json()['name'])


app = Flask(__name__)
app.register_blueprint(api, url_prefix='/api')
app.add_url_rule('/rename', 'rename', rename, methods=['PUT'])
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("routed")
    (root / "lib").mkdir()
    (root / "lib" / "flask_validated.py").write_text(EXTENSION)  # installed, not converted
    (root / "src").mkdir()
    (root / "src" / "routed_views.py").write_text(VIEWS)
    sys.path.insert(0, str(root / "lib"))
    try:
        flask_app = load(root / "src", "routed_views")
        convert_tree(root / "src", root / "out")
        yield flask_app, load(root / "out", "routed_views")
    finally:
        sys.path.remove(str(root / "lib"))
        sys.modules.pop("flask_validated", None)


def test_views_routed_by_a_call_run_their_extension_decorator_in_flasks_request(apps):
    requests = [
        ("POST", "/api/groups", {"json": {"name": "g1"}}),
        ("POST", "/api/results", {"json": {"name": "r1"}}),
        ("POST", "/api/results", {"json": {"name": 3}}),
        ("PUT", "/rename", {"json": {"name": "new"}}),
    ]
    assert_same(*apps, requests)
