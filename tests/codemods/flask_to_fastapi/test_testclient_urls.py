"""The Flask-style test client asks where Flask's asked, and its responses carry Werkzeug's ``request``/``response``.

Flask's client builds each request's URL from the app's config: ``PREFERRED_URL_SCHEME://SERVER_NAME`` under
``APPLICATION_ROOT`` (``http://localhost`` when none is set). A client fixed on ``http://localhost`` answered a
redirect with ``Location: http://localhost/...`` where the Flask app (``SERVER_NAME = "localhost:5000"``) answered
``http://localhost:5000/...``, and every ``url_for(_external=True)`` differed the same way.
"""

from __future__ import annotations

from side_by_side import Answer, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, redirect, request, url_for

app = Flask(__name__)
app.config["SERVER_NAME"] = "localhost:5000"


@app.route("/")
def index():
    return redirect(url_for("target"))


@app.route("/target")
def target():
    return {"url": request.url, "root": request.url_root, "external": url_for("target", _external=True)}
"""


def _both(tmp_path, text: str):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "served_app.py").write_text(text)
    flask_app = load(tmp_path / "src", "served_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "served_app")


def test_server_name_is_the_host_of_every_request_as_flasks_client_asks(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP)
    flask_client, client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    for path in ("/", "/target", "/target?a=1"):
        before, after = flask_client.get(path), client.get(path)
        assert Answer.of(after) == Answer.of(before), path
        assert after.location == before.location
    assert client.get("/target").get_json()["external"] == "http://localhost:5000/target"


def test_the_config_of_each_request_scheme_and_subdomain(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP)
    for app in (flask_app, fastapi_app):
        app.config["PREFERRED_URL_SCHEME"] = "https"
    flask_client, client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    assert client.get("/target").get_json() == flask_client.get("/target").get_json()
    for app in (flask_app, fastapi_app):
        app.config["SERVER_NAME"] = "example.com"  # after the client was made: Flask reads it at each request
    assert client.get("/target").get_json() == flask_client.get("/target").get_json()
    assert client.get("/target", url_scheme="http").get_json()["url"] == "http://example.com/target"
    assert client.get("/target", base_url="http://other.org").get_json()["url"] == "http://other.org/target"


def test_application_root_is_the_script_root(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP.replace('"localhost:5000"', '"example.com:1234"'))
    for app in (flask_app, fastapi_app):
        app.config["APPLICATION_ROOT"] = "/foo"
    before, after = flask_app.test_client().get("/target"), FlaskStyleClient(fastapi_app).get("/target")
    assert (
        after.get_json()
        == before.get_json()
        == {
            "url": "http://example.com:1234/foo/target",
            "root": "http://example.com:1234/foo/",
            "external": "http://example.com:1234/foo/target",
        }
    )
    assert (after.request.path, after.request.script_root) == (before.request.path, before.request.script_root)


def test_response_request_and_body_as_werkzeugs(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP.replace('app.config["SERVER_NAME"] = "localhost:5000"\n', ""))
    flask_client, client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    for path, kwargs in (("/target?a=1&a=2", {}), ("/", {"follow_redirects": True}), ("/", {})):
        before, after = flask_client.get(path, **kwargs), client.get(path, **kwargs)
        for name in ("path", "full_path", "url", "base_url", "url_root", "host_url", "host", "method", "script_root"):
            assert getattr(after.request, name) == getattr(before.request, name), (path, name)
        assert after.request.args.getlist("a") == before.request.args.getlist("a")
        assert after.request.query_string == before.request.query_string
        assert repr(after.request) == repr(before.request)
        assert b"".join(after.response) == before.get_data() == b"".join(before.response)
        assert [h.request.path for h in after.history] == [h.request.path for h in before.history]


def test_an_older_starlette_routes_the_path_without_the_root(monkeypatch):
    import sys

    from codemods.flask_to_fastapi.testclient_urls import served_under

    transport = type("Transport", (), {"root_path": ""})()
    client = type("Client", (), {"_transport": transport})()
    assert served_under(client, "http://h/foo/x?a=1", "/foo") == "http://h/foo/x?a=1"
    monkeypatch.setitem(sys.modules, "starlette._utils", None)  # before 0.35: no get_route_path
    assert served_under(client, "http://h/foo/x?a=1", "/foo") == "http://h/x?a=1"
    assert transport.root_path == "/foo"
