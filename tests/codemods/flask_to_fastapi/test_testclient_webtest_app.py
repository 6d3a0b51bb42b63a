"""A Flask suite read the app back through WebTest (``testapp.app.config['MAIL_SERVER'] = None``): ``TestApp(app)``
holds what it was given, the Flask app. Under ``patch_fastapi`` it is given the WSGI face of the converted app
(``wsgi_over``), which must keep the app's names (``config``, ...) reachable, read and set, as Flask's app had them.
A stand-in ``webtest`` (its ``TestApp`` keeps the WSGI app it holds as ``.app``) keeps the test offline."""

from __future__ import annotations

import sys
import textwrap

import flask
from fastapi import FastAPI, Request

from codemods.flask_to_fastapi.testclient import patch_fastapi

WEBTEST_APP = textwrap.dedent(
    """\
    from werkzeug.test import EnvironBuilder


    class TestApp:
        def __init__(self, app, extra_environ=None):
            self.app = app

        def get(self, path):
            status = []
            body = b''.join(self.app(EnvironBuilder(path).get_environ(), lambda s, headers: status.append(s)))
            return status[0], body
    """
)


def flask_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.config["MAIL_SERVER"] = "smtp"

    @app.get("/mail")
    def mail():
        return str(flask.current_app.config["MAIL_SERVER"])

    return app


def converted_app() -> FastAPI:
    app = FastAPI()
    app.config = {"MAIL_SERVER": "smtp"}  # as the compat helper's init_app gives it

    @app.get("/mail")
    def mail(request: Request):
        return str(request.app.config["MAIL_SERVER"])

    return app


def stand_in_webtest(tmp_path, monkeypatch):
    (tmp_path / "webtest").mkdir()
    (tmp_path / "webtest" / "__init__.py").write_text("from .app import TestApp\n")
    (tmp_path / "webtest" / "app.py").write_text(WEBTEST_APP)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("webtest", "webtest.app"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    from webtest.app import TestApp

    return TestApp


def set_and_read(testapp) -> tuple:
    testapp.app.config["MAIL_SERVER"] = None
    testapp.app.debug_marker = "on"
    return testapp.app.config["MAIL_SERVER"], testapp.app.debug_marker, testapp.get("/mail")[1]


def test_the_app_held_by_webtest_keeps_its_names_as_flasks_did(tmp_path, monkeypatch):
    TestApp = stand_in_webtest(tmp_path, monkeypatch)
    app = flask_app()
    assert set_and_read(TestApp(app)) == (None, "on", b"None")
    assert app.debug_marker == "on"
    with patch_fastapi():
        converted = converted_app()
        assert set_and_read(TestApp(converted)) == (None, "on", b'"None"')
        assert converted.config["MAIL_SERVER"] is None and converted.debug_marker == "on"


def test_a_wsgi_app_given_to_webtest_is_held_unchanged(tmp_path, monkeypatch):
    TestApp = stand_in_webtest(tmp_path, monkeypatch)
    app = flask_app()
    with patch_fastapi():
        assert TestApp(app).app is app
