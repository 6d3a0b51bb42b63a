"""Flask's ``url_for`` in the Flask request context an extension's decorator runs in (``flask_request``) builds the
converted app's URLs: its own route's (Flask-OIDC's ``url_for('_oidc_callback', _external=True)``, the view
``init_app`` added with ``app.route``) and the app's. That context is the Flask app's behind the extensions, whose
URL map has no rules, so Flask raised BuildError (a 500 where Flask redirected). An endpoint of no route is
still Flask's BuildError.
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import functools

import flask


class SignIn:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.route('/signin_callback')(self._signin_callback)

    def _signin_callback(self):
        return 'back from ' + flask.request.args.get('from', '?')

    def require_login(self, view):
        @functools.wraps(view)
        def decorated(*args, **kwargs):
            if 'user' not in flask.request.args:
                target = flask.url_for('_signin_callback', _external=True, **{'from': flask.request.path})
                return flask.redirect(target)
            if flask.request.args['user'] == 'nobody':
                return flask.redirect(flask.url_for('index', n=2))
            if flask.request.args['user'] == 'lost':
                try:
                    flask.url_for('no_such_view')
                except Exception as exc:
                    return type(exc).__name__
            return view(*args, **kwargs)

        return decorated
"""
APP = """\
from flask import Flask

from flask_signin import SignIn

app = Flask(__name__)
signin = SignIn(app)


@app.route('/<int:n>')
def index(n):
    return 'index %d' % n


@app.route('/secret')
@signin.require_login
def secret():
    return 'secret'
"""


@pytest.fixture
def apps(tmp_path, monkeypatch):
    source = tmp_path / "signin_src"
    source.mkdir()
    (source / "signin_app.py").write_text(APP)
    (tmp_path / "flask_signin.py").write_text(EXTENSION)
    monkeypatch.syspath_prepend(str(tmp_path))
    convert_tree(source, tmp_path / "out")
    flask_app = load(source, "signin_app")
    sys.modules.pop("flask_signin", None)
    fastapi_app = load(tmp_path / "out", "signin_app")
    yield flask_app, fastapi_app
    sys.modules.pop("flask_signin", None)


def test_url_for_in_an_extensions_decorator_builds_the_converted_apps_urls(apps):
    flask_app, fastapi_app = apps
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/secret"),  # the extension's own route, absolute
            ("GET", "/signin_callback?from=/secret"),
            ("GET", "/secret?user=nobody"),  # the app's route
            ("GET", "/secret?user=lost"),  # no route: BuildError, as in Flask
            ("GET", "/secret?user=ann"),
        ],
    )
