"""A REST extension's Resource kept on Flask (``flask_hosted``) under an app with ``url_map.strict_slashes = False``
and a catch-all route (``/<path:path>``, a single-page app's index).

The hosted rule matched the URL as asked, then handed it to the app's default, which first tries the other form of
the URL (``/api/me/``) against every route, as Flask's unstrict rules answer both: the catch-all took it, and GET
``/api/me`` answered the index page where Flask's Resource answered. A matched hosted rule now goes straight to the
Flask app hosting it.
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
        from flask import Flask

        from .api import api_bp


        def create_app():
            app = Flask(__name__)
            app.url_map.strict_slashes = False
            app.register_blueprint(api_bp, url_prefix="/api")

            @app.route("/")
            @app.route("/<path:path>")
            def index(path=None):
                return "<p>index</p>"

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
        from flask_restful import Resource

        from . import api


        class Me(Resource):
            def get(self):
                return {"me": True}


        api.add_resource(Me, "/me")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
answers = [client.get("/api/me"), client.get("/elsewhere")]
assert [answers[0].json(), answers[1].text] == [{"me": True}, "<p>index</p>"], [a.text for a in answers]
print("ok")
"""


def test_a_hosted_rule_answers_its_url_before_a_catch_all_takes_the_slashed_form(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
