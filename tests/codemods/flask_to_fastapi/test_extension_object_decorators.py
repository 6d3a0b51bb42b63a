"""An unconverted extension's object's decorator on a view (``@oauth2.token_handler``) runs in Flask's context.

The object may be made in another module of the project, from the extension's class or the project's own subclass
of it (``oauth2 = OAuth2Provider()`` in ``extensions/__init__.py``, ``class OAuth2Provider(provider.OAuth2Provider)``
in ``extensions/auth.py``), as Flask-OAuthlib's provider usually is: its decorators were left bare on the FastAPI view
("Working outside of request context": 500; 400 for the view's ``*args``/``**kwargs`` read as required query
parameters). The wrapper may consume what the view returns (the token's extra credentials, ``None`` for none):
the view returns it as in Flask, and the wrapper's answer is the response. A stand-in extension (``flask_grants``,
not converted) plays the provider.
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

from codemods.flask_to_fastapi import CODEMOD


def test_an_object_made_here_from_an_extensions_class_has_its_decorators_wrapped():
    after, _ = CODEMOD.apply(
        textwrap.dedent(
            """\
            from flask import Blueprint
            from flask_grants import Provider

            bp = Blueprint('auth', __name__)
            grants = Provider()


            @bp.route('/token', methods=['POST'])
            @grants.token_handler
            def token(*args, **kwargs):
                return make_credentials()
            """
        )
    )
    view = after[after.index("@bp.post") :]
    assert view == textwrap.dedent(
        """\
        @bp.post('/token', name="auth.token")
        @flask_request(grants.token_handler)
        def token(*args, **kwargs):
            return make_credentials()
        """
    )
    assert "from _flask_compat.flask_request import flask_request" in after


EXTENSION = """\
import functools

import flask


class Provider:
    def init_app(self, app):
        app.extensions['grants'] = self

    def token_handler(self, f):
        @functools.wraps(f)
        def decorated(*args, **kwargs):
            if flask.request.form.get('password') != 'secret':
                return flask.jsonify(error='invalid_client'), 401
            credentials = f(*args, **kwargs) or {}
            return flask.jsonify(token='t-' + flask.request.form['user'], **credentials)

        return decorated

    def revoke_handler(self, f):
        @functools.wraps(f)
        def decorated(*args, **kwargs):
            f(*args, **kwargs)
            return flask.Response('', 200 if flask.request.values.get('token') else 400)

        return decorated
"""
AUTH = """\
from flask_grants import Provider as BaseProvider


class Provider(BaseProvider):
    def init_app(self, app):
        app.config.setdefault('GRANTS', True)
        super().init_app(app)
"""
EXTENSIONS = """\
from flask_grants import Provider as Plain

from .auth import Provider
grants = Provider()
plain_grants = Plain()
"""
VIEWS = """\
from flask import Flask

from shop.extensions import grants, plain_grants

app = Flask(__name__)
grants.init_app(app)


@app.route('/token', methods=['POST'])
@grants.token_handler
def token(*args, **kwargs):
    return None


@app.route('/token/scoped', methods=['POST'])
@grants.token_handler
def scoped_token(*args, **kwargs):
    scope = kwargs.get('scope', 'read')
    return {'scope': scope}


@app.route('/revoke', methods=['POST'])
@grants.revoke_handler
def revoke():
    pass


@app.route('/plain/revoke', methods=['POST'])
@plain_grants.revoke_handler
def plain_revoke():
    pass
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("grants")
    (root / "lib").mkdir()
    (root / "lib" / "flask_grants.py").write_text(EXTENSION)  # installed, not converted
    package = root / "src" / "shop"
    (package / "extensions").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "extensions" / "__init__.py").write_text(EXTENSIONS)
    (package / "extensions" / "auth.py").write_text(AUTH)
    (package / "views.py").write_text(VIEWS)
    convert_tree(root / "src", root / "out")
    sys.path.insert(0, str(root / "lib"))
    try:
        yield TestClient(load(root / "out", "shop.views"))
    finally:
        sys.path.remove(str(root / "lib"))
        for name in [n for n in sys.modules if n in ("shop", "flask_grants") or n.startswith("shop.")]:
            del sys.modules[name]


def test_the_wrapper_reads_the_form_and_takes_none_as_no_extra_credentials(client):
    answer = client.post("/token", data={"user": "ann", "password": "secret"})
    assert (answer.status_code, answer.json()) == (200, {"token": "t-ann"})


def test_the_wrapper_takes_the_views_dict_as_extra_credentials(client):
    answer = client.post("/token/scoped", data={"user": "bob", "password": "secret"})
    assert (answer.status_code, answer.json()) == (200, {"token": "t-bob", "scope": "read"})


def test_the_wrappers_own_answer(client):
    answer = client.post("/token", data={"user": "ann", "password": "wrong"})
    assert (answer.status_code, answer.json()) == (401, {"error": "invalid_client"})


def test_a_view_that_returns_nothing_answers_what_the_wrapper_makes(client):
    assert client.post("/revoke", data={"token": "t-ann"}).status_code == 200
    assert client.post("/revoke").status_code == 400


def test_an_object_made_in_another_module_from_the_extensions_own_class(client):
    assert client.post("/plain/revoke", data={"token": "t-ann"}).status_code == 200
    assert client.post("/plain/revoke").status_code == 400
