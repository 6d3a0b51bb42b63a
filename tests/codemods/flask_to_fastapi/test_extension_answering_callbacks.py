"""A callback the app hands an unconverted extension to answer with (``on_breach=``) gives Flask's response.

Flask-Limiter answers a breached limit with what ``on_breach`` returned only when it is a ``flask.Response``
(``RateLimitExceeded(limit, response=...)``, whose ``get_response()`` Flask answers with when the app has no
handler for 429). The converted callback's ``make_response(...)`` is Starlette's: the extension dropped it and its
bare 429 page went out. A stand-in extension (``flask_throttle``, not converted) plays Flask-Limiter's part:
its decorator on a view and its ``before_request`` hook, each with the app's callback.
"""

from __future__ import annotations

import sys

import libcst as cst
import pytest
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import extension_callbacks

EXTENSION = """\
import functools

import flask
from werkzeug.exceptions import TooManyRequests


class Breached(TooManyRequests):
    def __init__(self, most, response=None):
        super().__init__(f"{most} per test", response=response)


class Throttle:
    def __init__(self, app=None, on_breach=None, most=None):
        self.counts, self.on_breach, self.most = {}, on_breach, most
        if app is not None:
            app.before_request(self._check_default)

    def _breach(self, most, on_breach):
        answer = on_breach(most) if on_breach is not None else None
        raise Breached(most, answer if isinstance(answer, flask.Response) else None)

    def _check_default(self):
        if self.most is not None and flask.request.path.startswith("/guarded"):
            self.counts["default"] = self.counts.get("default", 0) + 1
            if self.counts["default"] > self.most:
                self._breach(self.most, self.on_breach)

    def limit(self, most, on_breach=None):
        def decorator(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                key = flask.request.endpoint
                self.counts[key] = self.counts.get(key, 0) + 1
                if self.counts[key] > most:
                    self._breach(most, on_breach)
                return view(*args, **kwargs)

            return wrapper

        return decorator
"""
VIEWS = """\
from flask import Flask, make_response, render_template_string
from flask_throttle import Throttle


def page(message):
    def handler(limit):
        return make_response(
            render_template_string("<p>{{ message }} ({{ limit }} at most)</p>", message=message, limit=limit)
        )

    return handler


app = Flask(__name__)
throttle = Throttle(app, on_breach=page("Slow down."), most=1)


@app.route("/login", methods=["POST"])
@throttle.limit(2, on_breach=page("Too many failed login attempts."))
def login():
    return "<p>wrong password</p>"


@app.route("/plain", methods=["POST"])
@throttle.limit(1)
def plain():
    return "<p>ok</p>"


@app.route("/guarded")
def guarded():
    return "<p>in</p>"
"""
HANDLER = """\
@app.errorhandler(429)
def too_many(error):
    return "<p>the app's own 429</p>", 429


"""
HANDLED = VIEWS.replace('@app.route("/login"', HANDLER + '@app.route("/login"')
REQUESTS = [
    ("POST", "/login"),
    ("POST", "/login"),
    ("POST", "/login"),  # breached: the callback's page
    ("POST", "/plain"),
    ("POST", "/plain"),  # breached, no callback: the extension's 429
    ("GET", "/guarded"),
    ("GET", "/guarded"),  # the default limit, breached in the extension's before_request hook
]


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_throttle.py").write_text(EXTENSION)
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("")
    (tmp_path / "src" / "shop" / "views.py").write_text(VIEWS)
    (tmp_path / "src" / "shop" / "handled.py").write_text(HANDLED)
    convert_tree(tmp_path / "src", tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "lib"))
    yield tmp_path
    sys.path.remove(str(tmp_path / "lib"))
    for name in [n for n in sys.modules if n in ("shop", "flask_throttle") or n.startswith("shop.")]:
        del sys.modules[name]


@pytest.mark.parametrize("module", ["shop.views", "shop.handled"])
def test_a_breached_limit_answers_with_the_apps_callback_as_flask_did(tree, module):
    flask_app = load(tree / "src", module)
    fastapi_app = load(tree / "out", module)
    assert_same(flask_app, fastapi_app, REQUESTS)


def test_the_callback_is_handed_over_through_the_helper(tree):
    code = (tree / "out" / "shop" / "views.py").read_text()
    assert 'on_breach=flask_answers(page("Too many failed login attempts."))' in code
    assert 'Throttle(app, on_breach=flask_answers(page("Slow down.")), most=1)' in code


def test_other_calls_and_none_are_left_alone():
    source = "x = other.limit(1, on_breach=cb)\ny = throttle.limit(1, on_breach=None)\n"
    needs: set[str] = set()
    out = extension_callbacks.rewrite(cst.parse_module(source), {"throttle"}, needs)
    assert (out.code, needs) == (source, set())
