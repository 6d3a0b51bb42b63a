"""A function handed over uncalled from another module (``selector.chosen = get_lang`` in the factory, the
function in a helpers module; Flask-Babel's ``babel.locale_selector_func = get_locale``) keeps its signature: the
library calls it with no arguments, and it reads the request through the helper's proxy. It got a ``request``
parameter (its own module never handed it over), so every call answered 500 (missing argument)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

HELPERS = """\
from flask import request


def get_lang():
    return request.headers.get("X-Lang", "en")


def greeting():
    return "hello " + request.args.get("who", "you")
"""
SELECTOR = """\
chosen = None


def current():
    return chosen()
"""
APP = """\
from flask import Flask

from langapp import selector
from langapp.helpers import get_lang, greeting


def create_app():
    app = Flask(__name__)
    selector.chosen = get_lang

    @app.route("/lang")
    def lang():
        return selector.current()

    @app.route("/hello")
    def hello():
        return greeting()

    return app
"""


def test_a_function_handed_over_in_another_module_keeps_its_signature(tmp_path):
    (tmp_path / "src" / "langapp").mkdir(parents=True)
    for name, text in {"__init__.py": APP, "helpers.py": HELPERS, "selector.py": SELECTOR}.items():
        (tmp_path / "src" / "langapp" / name).write_text(text)
    flask_app = load(tmp_path / "src", "langapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    helpers = (tmp_path / "out" / "langapp" / "helpers.py").read_text()
    assert "def get_lang():" in helpers  # handed over: no request parameter
    assert "def greeting(request" in helpers  # called by a view: handed the request as before
    fastapi_app = load(tmp_path / "out", "langapp", "create_app")
    requests = [("GET", "/lang"), ("GET", "/lang", {"headers": {"X-Lang": "fr"}}), ("GET", "/hello?who=me")]
    assert_same(flask_app, fastapi_app, requests)
