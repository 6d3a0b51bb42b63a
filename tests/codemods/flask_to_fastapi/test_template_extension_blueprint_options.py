"""An extension's Flask Blueprint registered with options of its own
(``app.register_blueprint(rq_dashboard.blueprint, url_prefix="/admin/rq", redis_conn=...)``): the conversion makes it
``app.include_router(..., prefix=..., redis_conn=...)``, and FastAPI's include_router refused the keyword (TypeError
when the factory ran: pybossa's create_app) and cannot include a Flask Blueprint anyway. The face's include_router
now hands a Flask Blueprint to its register_blueprint, options and all, as Flask registered it. A hook the app
adds to that blueprint (``rq_dashboard.blueprint.before_request(is_admin)``, the helper's ``before_request(bp)``)
runs for its views: it read ``router.routes``, which a Flask Blueprint has not (AttributeError on every request)."""

from __future__ import annotations

import textwrap

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

EXTENSION = textwrap.dedent("""\
    from flask import Blueprint, current_app, jsonify

    blueprint = Blueprint("dash", __name__)


    @blueprint.record
    def remember(state):
        state.app.config["DASH_CONN"] = state.options["conn"]


    @blueprint.route("/")
    def index():
        return jsonify(conn=current_app.config["DASH_CONN"])
""")

APP = textwrap.dedent("""\
    from flask import Flask, abort, jsonify, request

    import flask_dashext


    def guard():
        if request.args.get("key") != "k":
            abort(401)


    def create_app():
        app = Flask(__name__)
        flask_dashext.blueprint.before_request(guard)
        app.register_blueprint(flask_dashext.blueprint, url_prefix="/admin/dash", conn="redis-1")

        @app.route("/")
        def home():
            return jsonify(home=True)

        return app
""")


def test_an_extension_blueprint_with_options_is_registered_as_flask_did(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_dashext.py").write_text(EXTENSION)
    (tmp_path / "src" / "dashapp").mkdir(parents=True)
    (tmp_path / "src" / "dashapp" / "__init__.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "include_router(flask_dashext.blueprint" in (tmp_path / "out" / "dashapp" / "__init__.py").read_text()
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    flask_client = load(tmp_path / "src", "dashapp", "create_app").test_client()
    paths = ("/admin/dash/?key=k", "/", "/admin/dash/")
    before = [(r.status_code, r.get_json()) for r in map(flask_client.get, paths)]
    fastapi_client = TestClient(load(tmp_path / "out", "dashapp", "create_app"))
    after = [(r.status_code, r.json() if r.status_code == 200 else None) for r in map(fastapi_client.get, paths)]
    assert after == before == [(200, {"conn": "redis-1"}), (200, {"home": True}), (401, None)]
