"""Flask-CORS answers nothing itself: Flask does, and its after_request hooks add the CORS headers.

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is answered by Flask's automatic OPTIONS (200, an
empty text/html body, ``Allow``) on a path with a rule, 404 on one without; the hooks add the headers the options
allow: ``Access-Control-Allow-Headers`` only the asked headers that ``allow_headers`` (or the app's
``CORS_ALLOW_HEADERS``) names, nothing for an origin not allowed. Two ``CORS(app)`` (the factory's ``init_app`` and a
test's own ``CORS(client.application, origins=...)``) run last made first, the first allowing the origin answering.

The converted app answered every preflight through Starlette's ``CORSMiddleware``: ``OK`` as text/plain on any path,
every asked header allowed, 400 for an origin not allowed, the app's ``CORS_*`` config unread; a test comparing the
preflight's answer saw another body with no TODO anywhere (alerta's ``test_cors_headers``).

``FLASK`` is what Flask 3.1.3 with Flask-CORS 6.0.2 answers (the test compares live where Flask-CORS is installed).
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

SITE = """\
from flask import Flask, jsonify
from flask_cors import CORS, cross_origin

cors = CORS()


def create_app(config=None):
    app = Flask(__name__)
    app.config["CORS_ALLOW_HEADERS"] = ["Content-Type", "Authorization"]
    app.config["CORS_ORIGINS"] = ["http://a.example"]
    app.config.update(config or {})
    cors.init_app(app)

    @app.route("/alerts", methods=["GET", "POST"])
    def alerts():
        return jsonify(alerts=[])

    @app.route("/open")
    @cross_origin(origins="*", methods=["GET"])
    def open_view():
        return "open"

    @app.route("/listed", methods=["OPTIONS", "GET"])
    @cross_origin()
    def listed():  # Flask-CORS's wrapper answers its OPTIONS: the view is not called
        return jsonify(called=True)

    @app.route("/own", methods=["OPTIONS", "GET"])
    def own():  # no @cross_origin: the view answers its OPTIONS
        return jsonify(called=True)

    return app


def allow_at_test_time(app, origins):
    CORS(app, origins=origins)
"""
TRY, A, B = "http://try.example", "http://a.example", "http://b.example"
ASKED = {
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization, content-type, X-Other",
}
REQUESTS = [
    ("OPTIONS", "/alerts", {"Origin": "http://try.example", **ASKED}),  # the test's CORS allows it
    ("GET", "/alerts", {"Origin": "http://try.example"}),
    ("OPTIONS", "/alerts", {"Origin": "http://a.example", **ASKED}),  # the factory's (its config) allows it
    ("OPTIONS", "/alerts", {"Origin": "http://nowhere.example", **ASKED}),  # neither: Flask's answer alone
    ("OPTIONS", "/alerts", {"Origin": "http://try.example", "Access-Control-Request-Method": "TRACE"}),
    ("OPTIONS", "/alerts", dict(ASKED)),  # no Origin: always_send, one header per origin (the first read)
    ("OPTIONS", "/missing", {"Origin": "http://try.example", **ASKED}),  # no rule: 404, with the headers
    ("OPTIONS", "/open", {"Origin": "http://b.example", **ASKED}),  # the view's @cross_origin, the app's config
    ("OPTIONS", "/open", {"Origin": "http://b.example", "Access-Control-Request-Method": "POST"}),
    ("GET", "/open", {}),
    ("OPTIONS", "/listed", {"Origin": TRY, **ASKED}),
    ("OPTIONS", "/own", {"Origin": TRY, **ASKED}),
]
NAMES = ["access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods", "vary"]
METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
ALERTS, OPEN = {"GET", "HEAD", "OPTIONS", "POST"}, {"GET", "HEAD", "OPTIONS"}
HTML = "text/html; charset=utf-8"
FLASK = [  # (status, body or None for a 404 page, content type, Allow as a set, the CORS headers of NAMES)
    (200, "", HTML, ALERTS, [TRY, "authorization, content-type", METHODS, "Origin"]),
    (200, '{"alerts":[]}\n', "application/json", None, [TRY, None, None, "Origin"]),
    (200, "", HTML, ALERTS, [A, "authorization, content-type", METHODS, None]),
    (200, "", HTML, ALERTS, [None, None, None, None]),
    (200, "", HTML, ALERTS, [TRY, None, None, "Origin"]),
    (200, "", HTML, ALERTS, ["http://localhost:5000", "authorization, content-type", METHODS, "Origin"]),
    (404, None, HTML, None, [TRY, "authorization, content-type", METHODS, "Origin"]),
    (200, "", HTML, OPEN, [B, "authorization, content-type", "GET", "Origin"]),
    (200, "", HTML, OPEN, [B, None, None, "Origin"]),
    (200, "open", HTML, None, ["*", None, None, None]),
    (200, "", HTML, OPEN, [None, None, None, None]),  # the decorator's origins are the config's: not try.example
    (200, '{"called":true}\n', "application/json", None, [TRY, "authorization, content-type", METHODS, "Origin"]),
]


def _answers(client) -> list[tuple]:
    answers = []
    for method, path, headers in REQUESTS:
        response = client.open(path, method=method, headers=headers)
        body = response.get_data(as_text=True)
        allow = response.headers.get("allow")
        answers.append(
            (
                response.status_code,
                None if response.status_code == 404 else body,
                response.headers.get("content-type"),
                {m.strip() for m in allow.split(",")} if allow else None,
                [response.headers.get(name) for name in NAMES],
            )
        )
    return answers


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "corssite.py").write_text(SITE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    yield tmp_path
    for name in [n for n in sys.modules if n == "corssite" or n == "_flask_compat" or n.startswith("_flask_compat.")]:
        del sys.modules[name]


def _served(folder, make_client) -> list[tuple]:
    factory = load(folder, "corssite", "create_app", {"TESTING": True})
    client = make_client(factory)
    sys.modules["corssite"].allow_at_test_time(client.application, ["http://localhost:5000", TRY])
    return _answers(client)


def test_a_preflight_is_flasks_automatic_options_with_flask_cors_headers(folders):
    assert _served(folders / "out", FlaskStyleClient) == FLASK


def test_side_by_side_with_flask_cors(folders):
    pytest.importorskip("flask_cors")
    assert _served(folders / "src", lambda app: app.test_client()) == FLASK
    assert _served(folders / "out", FlaskStyleClient) == FLASK
