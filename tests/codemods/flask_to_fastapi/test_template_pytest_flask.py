"""A suite on pytest-flask: its autouse fixtures read ``app.response_class`` and set a subclass of it (adding
``.json``), push ``app.test_request_context()`` and update ``app.config`` around every test that asks for ``app``.
The converted app had no ``response_class``: every such test errored at setup (AttributeError)."""

from __future__ import annotations

from side_by_side import convert_tree, load

APP = """\
from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        return jsonify(pong=True)

    return app
"""


def _as_pytest_flask_does(app, monkeypatch):
    """What pytest-flask 1.x's ``_monkeypatch_response_class``, ``_push_request_context`` and
    ``_configure_application`` do before a test, then its ``client`` fixture."""
    base = app.response_class
    if "json" not in base.__dict__:
        monkeypatch.setattr(app, "response_class", type("JSONResponse", (base,), {"json": property(lambda s: None)}))
    context = app.test_request_context()
    context.push()
    try:
        monkeypatch.setitem(app.config, "SERVER_NAME", app.config.get("SERVER_NAME"))
        return app.test_client().get("/ping").get_json()
    finally:
        context.pop()


def test_pytest_flasks_fixtures_run_on_the_converted_app(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "fixture_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "fixture_app", "create_app")
    assert _as_pytest_flask_does(flask_app, monkeypatch) == {"pong": True}
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "fixture_app", "create_app")
    from codemods.flask_to_fastapi.testclient import patch_fastapi

    with patch_fastapi():  # the harness gives FastAPI apps test_client() as it runs an old suite
        assert _as_pytest_flask_does(fastapi_app, monkeypatch) == {"pong": True}
