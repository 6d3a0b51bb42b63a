"""``app.test_request_context("http://example.com/x")``: Flask's EnvironBuilder takes the scheme and host of a
full URL for the request (``request.url_root`` is ``http://example.com/``); the helper's kept its path only and
answered ``http://localhost/``, so a helper building full URLs from the request answered another host."""

from __future__ import annotations

import sys
import textwrap

from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask


    def create_app():
        app = Flask(__name__)

        @app.route("/a")
        def a():
            return "a"

        return app
""")

PATHS = ["http://example.com/a?x=1", "https://example.org:8443/b", "/c"]


def test_a_full_url_gives_the_request_its_scheme_and_host(tmp_path):
    (tmp_path / "src" / "fullurl").mkdir(parents=True)
    (tmp_path / "src" / "fullurl" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "fullurl", "create_app")
    import flask

    before = []
    for path in PATHS:
        with flask_app.test_request_context(path):
            before.append((flask.request.url, flask.request.url_root))
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "fullurl", "create_app")
    helper = sys.modules["fullurl._flask_compat"]
    after = []
    for path in PATHS:
        with fastapi_app.test_request_context(path):
            after.append((str(helper.request.url), str(helper.request.base_url)))
    assert after == before
    assert before[:2] == [
        ("http://example.com/a?x=1", "http://example.com/"),
        ("https://example.org:8443/b", "https://example.org:8443/"),
    ]


CONFIGURED = textwrap.dedent("""\
    from flask import Flask, redirect, url_for


    def create_app():
        app = Flask(__name__)
        app.config.update(SERVER_NAME="localhost:5000", PREFERRED_URL_SCHEME="https")

        @app.route("/settings")
        def settings():
            return redirect(url_for("settings"))

        return app
""")


def test_the_request_is_under_the_configured_server_name(tmp_path):
    """``SERVER_NAME = "localhost:5000"``: Flask's request is ``https://localhost:5000/``, so the test's
    ``flask.url_for`` there is the path, as the view's redirect; the helper's was ``http://localhost/``, the Flask
    adapter bound to it matched no server name, and under Werkzeug 1.0 ``flask.url_for`` answered a full URL."""
    (tmp_path / "src" / "servername").mkdir(parents=True)
    (tmp_path / "src" / "servername" / "__init__.py").write_text(CONFIGURED)
    flask_app = load(tmp_path / "src", "servername", "create_app")
    import flask

    with flask_app.test_request_context("/settings"):
        before = (flask.request.url, flask.url_for("settings"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "servername", "create_app")
    helper = sys.modules["servername._flask_compat"]
    with fastapi_app.test_request_context("/settings"):
        after = (str(helper.request.url), flask.url_for("settings"))
    assert after == before == ("https://localhost:5000/settings", "/settings")
