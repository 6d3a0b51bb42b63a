"""A WSGI middleware the app sets over its ``wsgi_app`` (``app.wsgi_app = Prefixed(app)`` moving APPLICATION_ROOT
from PATH_INFO to SCRIPT_NAME, ``ProxyFix(app.wsgi_app)``): the converted app is served over ASGI, nothing called it,
so a prefixed path answered 404 and X-Forwarded-For was not the remote address. Each request goes through it first
now: the environ it hands the app's own ``wsgi_app`` is the request the app serves, and what it answers itself (or
sets through ``start_response``) is the answer."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


class Prefixed:
    def __init__(self, app):
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ, start_response):
        script_name = self.app.config["APPLICATION_ROOT"]
        if script_name:
            environ["SCRIPT_NAME"] = script_name
            path_info = environ["PATH_INFO"]
            if path_info.startswith(script_name):
                environ["PATH_INFO"] = path_info[len(script_name) :]
        if environ["PATH_INFO"] == "/gone":
            start_response("410 GONE", [("Content-Type", "text/plain")])
            return [b"gone ", b"here"]

        def tagged(status, headers, exc_info=None):
            return start_response(status, headers + [("X-Through", "prefixed")], exc_info)

        return self.wsgi_app(environ, tagged)


app = Flask(__name__)
app.config["APPLICATION_ROOT"] = "/foo"
app.wsgi_app = Prefixed(app)
app.wsgi_app = ProxyFix(app.wsgi_app)


@app.route("/")
def home():
    return {"root": request.script_root, "remote": request.remote_addr}


@app.route("/page")
def page():
    return {"scheme": request.scheme}
"""


def test_a_wsgi_middleware_over_wsgi_app_sees_each_request(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prefixedapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "prefixedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "prefixedapp")
    requests = [
        ("GET", "/foo/", {}),
        ("GET", "/foo/", {"headers": {"X-Forwarded-For": "10.1.2.3"}}),
        ("GET", "/foo/page", {"headers": {"X-Forwarded-Proto": "https"}}),
        ("GET", "/foo/gone", {}),
        ("GET", "/bar", {}),
    ]
    assert_same(flask_app, fastapi_app, requests)
    for app, client in ((flask_app, flask_app.test_client()), (fastapi_app, FlaskStyleClient(fastapi_app))):
        assert client.get("/foo/page").headers.get("X-Through") == "prefixed"
        app.config["APPLICATION_ROOT"] = "/"
        assert client.get("/page").status_code == 200
