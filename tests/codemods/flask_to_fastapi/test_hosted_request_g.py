"""A REST extension's Resources kept on Flask (``flask_hosted``) read the request's ``g``.

In Flask one ``g`` served the request: what the app's ``before_request`` hook, or an extension's (Flask-Principal's
``g.identity``), put there its Resources read. The Flask app hosting them pushed an app context of its own, whose
``g`` was empty (``'_AppCtxGlobals' object has no attribute 'identity'``: every permission check answered 500).
The host's ``g`` is now the request's, the converted app's (``request.state``).
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
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, g, request

        from .api import api_bp


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix="/api")

            @app.before_request
            def who():
                g.user = request.headers.get("X-User", "nobody")

            return app
        """
    ),
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
        from flask import g
        from flask_restful import Resource

        from . import api


        class Me(Resource):
            def get(self):
                g.seen = True
                return {"user": g.user, "seen": g.get("seen")}


        api.add_resource(Me, "/me")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
answers = [client.get("/api/me", headers={"X-User": "ann"}), client.get("/api/me")]
assert [a.json() for a in answers] == [{"user": "ann", "seen": True}, {"user": "nobody", "seen": True}], [
    a.text for a in answers
]
print("ok")
"""


def test_a_hosted_resource_reads_what_the_apps_hook_put_on_g(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
