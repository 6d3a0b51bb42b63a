"""An extension's view decorator that keys its work by Flask's endpoint sees the view's endpoint after conversion.

Flask-Limiter's ``@limiter.limit("1/minute")`` registers its limit under the view function's name, and at each
request finds it through ``current_app.view_functions[request.endpoint]``. Run in a Flask request context on the
Flask app behind the extensions (which has no rules), the decorator found no endpoint and applied no limit: the
converted view answered every request, silently. A stand-in extension (``flask_quota``, not converted) plays
Flask-Limiter's part.
"""

from __future__ import annotations

import pytest
from side_by_side import converted_with_library
from starlette.testclient import TestClient

EXTENSION = """\
import functools

import flask


class Quota:
    def __init__(self):
        self.limits, self.spent = {}, {}

    def init_app(self, app):
        app.extensions['quota'] = self

    def limit(self, calls):
        def decorator(view):
            self.limits[f'{view.__module__}.{view.__name__}'] = calls

            @functools.wraps(view)
            def checked(*args, **kwargs):
                endpoint = flask.request.endpoint
                found = flask.current_app.view_functions.get(endpoint) if endpoint else None
                name = f'{found.__module__}.{found.__name__}' if found else ''
                if name in self.limits:
                    self.spent[name] = self.spent.get(name, 0) + 1
                    if self.spent[name] > self.limits[name]:
                        return flask.jsonify(error='too many', endpoint=endpoint), 429
                return view(*args, **kwargs)

            return checked

        return decorator
"""
VIEWS = """\
from flask import Blueprint, Flask, jsonify
from flask_quota import Quota

quota = Quota()
bp = Blueprint('api', __name__)


@bp.route('/items/<int:item_id>')
@quota.limit(2)
def item(item_id):
    return jsonify(id=item_id)


@bp.route('/free')
def free():
    return jsonify(ok=True)


app = Flask(__name__)
quota.init_app(app)
app.register_blueprint(bp)
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    files = {"shop/__init__.py": "", "shop/views.py": VIEWS}
    root = tmp_path_factory.mktemp("quota")
    with converted_with_library(root, {"flask_quota": EXTENSION}, files, "shop.views") as app:
        yield TestClient(app)


def test_the_decorator_finds_the_views_endpoint_and_applies_its_limit(client):
    answers = [client.get("/items/7") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].json() == {"id": 7}
    assert answers[2].json() == {"error": "too many", "endpoint": "api.item"}


def test_a_view_without_the_decorator_is_not_counted(client):
    assert [client.get("/free").status_code for _ in range(3)] == [200, 200, 200]
