"""A REST extension's Resources kept on Flask (``flask_hosted``) share the session of an app with its own session
interface (a server-side store keyed by a signed id in the cookie, as Flask-Session's).

The Flask app hosting them opened its own session with Flask's signed-cookie interface, from a cookie holding the
store's id: empty, so a Resource saw nothing a converted view had written (Flask-Security's ``auth_required``
answered 401 to a user signed in by the converted login view), and what it wrote was lost. The host's session is
now the request's, which the converted app's middleware opened through the interface and saves.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import STAND_IN
from test_template_session_interface import SESSIONS

from codemods import runner

FILES = {
    "flask_restful.py": STAND_IN,
    "pkg/sessions.py": SESSIONS,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, session

        from .api import api_bp
        from .sessions import ServerSideSessions


        def create_app():
            app = Flask(__name__)
            app.secret_key = "k"
            app.session_interface = ServerSideSessions()
            app.register_blueprint(api_bp, url_prefix="/api")

            @app.route("/login/<int:user>")
            def login(user):
                session["id"] = user
                return {"id": user}

            @app.route("/me")
            def me():
                return {"id": session.get("id")}

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
        from flask import session
        from flask_restful import Resource

        from . import api


        class Me(Resource):
            def get(self):
                return {"id": session.get("id")}

            def post(self):
                session["id"] = session["id"] + 1
                return {"id": session["id"]}


        api.add_resource(Me, "/me")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
answers = [client.get("/login/3"), client.get("/api/me"), client.post("/api/me"), client.get("/me")]
assert [a.json() for a in answers] == [{"id": 3}, {"id": 3}, {"id": 4}, {"id": 4}], [a.text for a in answers]
print("ok")
"""


def test_a_hosted_resource_reads_and_writes_the_session_the_apps_interface_keeps(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
