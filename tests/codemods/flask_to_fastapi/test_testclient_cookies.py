"""The Flask-style test client takes Flask's ``use_cookies``: the app's old tests build it with that keyword.

It sends a ``Secure`` cookie back over ``http://localhost`` as every Werkzeug's client does (2.3+'s own jar
matches domain and path only; before, ``_TestCookieJar.inject_wsgi`` sent every cookie the jar held): an app's
refresh-token cookie, or a ``SESSION_COOKIE_SECURE`` session set at login, reached the app in its Flask tests.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/set")
    def set_cookie():
        response = PlainTextResponse("set")
        response.set_cookie("flavour", "oat")
        return response

    @app.get("/set-secure")
    def set_secure_cookie():
        response = PlainTextResponse("set")
        response.set_cookie("flavour", "rye", secure=True, httponly=True, samesite="none")
        return response

    @app.get("/read")
    def read(request: Request):
        return PlainTextResponse(request.cookies.get("flavour", "none"))

    return app


def test_use_cookies_true_keeps_the_jar_and_false_sends_none():
    keeping = FlaskStyleClient(make_app(), use_cookies=True)
    keeping.get("/set")
    assert keeping.get("/read").get_data(as_text=True) == "oat"
    forgetting = FlaskStyleClient(make_app(), use_cookies=False)
    forgetting.get("/set")
    assert forgetting.get("/read").get_data(as_text=True) == "none"


def test_a_secure_cookie_goes_back_over_http_as_werkzeugs_client_sends_it(monkeypatch):
    from codemods.flask_to_fastapi import testclient

    monkeypatch.setattr(testclient, "_werkzeug", lambda: (3, 0, 3))
    client = FlaskStyleClient(make_app())
    client.get("/set-secure")
    assert client.get("/read").get_data(as_text=True) == "rye"
    for older_werkzeug in ((2, 2, 3), (0, 16, 0)):  # http.cookiejar's jar, whose inject_wsgi sent every cookie
        monkeypatch.setattr(testclient, "_werkzeug", lambda version=older_werkzeug: version)
        older = FlaskStyleClient(make_app())
        older.get("/set-secure")
        assert older.get("/read").get_data(as_text=True) == "rye"
