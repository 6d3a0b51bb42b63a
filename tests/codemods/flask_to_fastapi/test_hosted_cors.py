"""``CORS(bp)`` on a blueprint whose Resources a REST extension keeps on Flask (``flask_hosted``) answers their
requests with CORS headers, as Flask-CORS's hook on the blueprint did: only FastAPI's own routes of the router were
looked at, so an API served by the Flask host lost its ``Access-Control-Allow-Origin`` (with and without an Origin)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import STAND_IN

from codemods import runner

FILES = {
    "flask_restful.py": STAND_IN,
    "corsapi/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint, Flask
        from flask_cors import CORS
        from flask_restful import Api, Resource

        api_bp = Blueprint("api", __name__, url_prefix="/api")
        CORS(api_bp)
        api = Api(api_bp)


        class Item(Resource):
            def get(self, name):
                return {"name": name}


        api.add_resource(Item, "/items/<string:name>")


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp)

            @app.route("/page")
            def page():
                return "not the API"

            return app
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import corsapi

client = TestClient(corsapi.create_app(), raise_server_exceptions=False)
seen = [
    client.get("/api/items/a", headers={"Origin": "http://elsewhere.example"}),
    client.get("/api/items/a"),
    client.options("/api/items/a"),
    client.get("/page"),
]
print([(answer.status_code, answer.headers.get("access-control-allow-origin")) for answer in seen])
"""


def test_a_blueprints_cors_answers_the_resources_flask_hosts(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "corsapi"]).count("failed") == 0
    assert "flask_hosted" in (tmp_path / "corsapi/__init__.py").read_text()
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == str([(200, "http://elsewhere.example"), (200, "*"), (200, "*"), (200, None)]), (
        done.stderr[-3000:]
    )
