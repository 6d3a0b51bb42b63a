"""The Flask-style client's responses have Werkzeug's ``content_length`` and ``headers.get_all()``/``getlist()``,
which old tests read (``response.headers.get_all("Set-Cookie")``: AttributeError on httpx's headers)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def test_content_length_and_every_value_of_a_header():
    app = FastAPI()

    @app.get("/c")
    def cookies():
        response = Response("twelve bytes")
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    answer = FlaskStyleClient(app).get("/c")
    assert answer.content_length == 12
    assert [c.split(";")[0] for c in answer.headers.get_all("Set-Cookie")] == ["a=1", "b=2"]
    assert answer.headers.getlist("set-cookie") == answer.headers.get_all("Set-Cookie")


def test_header_names_listed_as_werkzeug_kept_them():
    """Werkzeug kept each response header name as the app set it; Starlette's are lower-case, so a test's
    ``"Last-Modified" in response.headers.keys()`` failed. The names are listed as HTTP spells them (the case apps
    and extensions set), and a name is found in the listing whatever its case."""
    import flask

    headers = {"ETag": '"v1"', "Last-Modified": "Sun, 06 Dec 2026 10:00:00 UTC", "X-RateLimit-Limit": "5"}
    headers |= {"WWW-Authenticate": "Basic", "X-Custom-Thing": "1"}
    flask_app, app = flask.Flask(__name__), FastAPI()
    flask_app.add_url_rule("/h", "h", lambda: flask.Response("x", headers=headers))
    app.get("/h")(lambda: Response("x", headers=headers))
    for answer in (flask_app.test_client().get("/h"), FlaskStyleClient(app).get("/h")):
        assert "Last-Modified" in answer.headers.keys()
        assert [name for name in answer.headers.keys() if name in headers] == list(headers)
        assert [pair for pair in answer.headers.items() if pair[0] in headers] == list(headers.items())
        assert [name for name in answer.headers if name in headers] in ([], list(headers))  # Werkzeug's are pairs
    assert "last-modified" in FlaskStyleClient(app).get("/h").headers.keys()


def test_status_as_werkzeug_names_it():
    """A response's ``status`` is Werkzeug's ``"401 UNAUTHORIZED"``, its name for the code upper-cased (its own
    names: 413 "REQUEST ENTITY TOO LARGE"; "UNKNOWN" for a code it has none for); httpx's reason phrase gave
    ``"401 Unauthorized"``, and an old test's ``assert_equal(res.status, '401 UNAUTHORIZED')`` failed."""
    import flask

    codes = [200, 201, 204, 302, 401, 403, 404, 413, 415, 418, 599]
    flask_app, app = flask.Flask(__name__), FastAPI()
    flask_app.add_url_rule("/s/<int:code>", "s", lambda code: flask.Response("x", status=code))
    app.get("/s/{code}")(lambda code: Response("x", status_code=int(code)))
    flask_client, client = flask_app.test_client(), FlaskStyleClient(app)
    expected = [flask_client.get(f"/s/{code}").status for code in codes]
    assert expected[4] == "401 UNAUTHORIZED" and expected[-1] == "599 UNKNOWN"
    assert [client.get(f"/s/{code}").status for code in codes] == expected
