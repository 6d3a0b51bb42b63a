"""A REST extension's Resources kept on Flask (``flask_hosted``) answer their errors through the app's own handlers.

In Flask an app-wide handler (``@app.errorhandler(Exception)`` building ``{"error": str(e)}``) answered what a
Resource raised and the REST extension left: Flask-Principal's ``abort(403, permission)`` (Werkzeug's error, raised
by the extension on Flask) gave ``{"error": "403 Forbidden: <Permission ...>"}``. The Flask app hosting the
Resources had none of the converted app's handlers and answered Werkzeug's text page.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import STAND_IN

from codemods import runner

FILES = {
    "flask_restful.py": STAND_IN,
    "guard.py": textwrap.dedent(
        """\
        from flask import abort


        class Permission:
            def __repr__(self):
                return "<Permission admin>"


        def require():
            abort(403, Permission())
        """
    ),
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, jsonify
        from werkzeug.exceptions import HTTPException

        from .api import api_bp
        from .errors import Oops


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix="/api")

            @app.errorhandler(Oops)
            def oops(e):
                return jsonify(oops=str(e)), 418

            @app.errorhandler(Exception)
            def handle_error(e):
                code = 500
                if isinstance(e, HTTPException):
                    code = e.code
                return jsonify(error=str(e)), code

            return app
        """
    ),
    "pkg/errors.py": "class Oops(Exception):\n    pass\n",
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint
        from flask_restful import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)

        from . import resources  # noqa
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        import guard
        from flask_restful import Resource

        from ..errors import Oops
        from . import api


        class Locked(Resource):
            def delete(self):
                guard.require()
                return {"deleted": True}


        class Broken(Resource):
            def get(self):
                raise Oops("no luck")


        class Fine(Resource):
            def get(self):
                return {"fine": True}


        api.add_resource(Locked, "/locked")
        api.add_resource(Broken, "/broken")
        api.add_resource(Fine, "/fine")
        """
    ),
}
CHECK = """
import sys

import pkg

app = pkg.create_app()
if sys.argv[1] == "flask":
    client = app.test_client()
else:
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
answers = [client.delete("/api/locked"), client.get("/api/broken"), client.get("/api/fine")]
body = (lambda a: a.get_json()) if sys.argv[1] == "flask" else (lambda a: a.json())
print([(a.status_code, body(a) if "json" in a.headers.get("content-type", "") else a.text) for a in answers])
"""


def _answers(folder, kind):
    done = subprocess.run([sys.executable, "-c", CHECK, kind], cwd=folder, capture_output=True, text=True, timeout=120)
    return done.stdout.strip() or done.stderr[-3000:]


def test_the_apps_handlers_answer_a_hosted_resources_errors(tmp_path):
    write_tree(tmp_path / "orig", FILES)
    write_tree(tmp_path / "conv", FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "conv" / "pkg"])
    assert result.count("failed") == 0
    expected = [
        (403, {"error": "403 Forbidden: <Permission admin>"}),
        (418, {"oops": "no luck"}),
        (200, {"fine": True}),
    ]
    assert _answers(tmp_path / "orig", "flask") == str(expected)
    assert _answers(tmp_path / "conv", "fastapi") == str(expected)
