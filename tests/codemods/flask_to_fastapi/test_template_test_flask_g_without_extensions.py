"""A test's ``flask.g`` in the converted app's own contexts is the ``g`` the converted code reads, with no extension.

A test module imports ``g`` from Flask itself (the tests are not converted) and sets it in the app's
``test_request_context()`` or ``app_context()`` before calling the app's helpers, which read ``g`` (alerta's
``g.login`` read by ``process_alert``, ``g.customers``/``g.scopes`` by ``assign_customer``). Flask has one ``g`` for
both. With no extension left on Flask the converted app pushes the Flask app standing for it only for ``flask.url_for``
and ``flask.request``, and that app context had a ``g`` of its own: the helpers found nothing (AttributeError: login;
None where Flask gave 'Customer1'). 19a01a3 shares it where an extension's Flask app is pushed."""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load

APP = """\
from flask import Flask, g

app = Flask(__name__)


def assign_customer():
    customers = g.get("customers", [])
    return customers[0] if len(customers) == 1 else None


def who():
    return g.login


@app.route("/")
def index():
    return "index"
"""


def _seen(app, module) -> list:
    import flask

    seen = []
    with app.test_request_context("/"):
        flask.g.customers = ["Customer1"]
        flask.g.login = "foo"
        seen.append(module.assign_customer())
        seen.append(module.who())
    with app.app_context():
        flask.g.login = "bar"
        seen.append(module.who())
    return seen


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "gapp.py").write_text(APP)
    try:
        yield tmp_path
    finally:
        sys.modules.pop("gapp", None)


def test_the_tests_flask_g_is_the_converted_codes_g(tree):
    flask_app = load(tree / "src", "gapp")
    expected = ["Customer1", "foo", "bar"]
    assert _seen(flask_app, sys.modules["gapp"]) == expected
    convert_tree(tree / "src", tree / "out")
    fastapi_app = load(tree / "out", "gapp")
    assert _seen(fastapi_app, sys.modules["gapp"]) == expected
