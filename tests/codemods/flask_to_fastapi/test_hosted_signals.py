"""A blinker signal a hosted Resource sends reaches the receivers connected for the converted app.

An extension's ``init_app(app)`` connects its receivers with the app as sender (Flask-Principal:
``identity_changed.connect(self._on_identity_changed, app)``); a Resource kept on Flask (``flask_hosted``) sends
with ``current_app._get_current_object()``, the Flask app standing for the converted one. Blinker matches senders by
``id()``, so the receiver never ran (no ``g.identity``: every permission check answered 500). A stand-in's signal now
reaches the receivers of the app it stands for as well.
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
        from flask import Flask, g

        from .api import api_bp
        from .signals import changed


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix="/api")

            def on_changed(sender, who):
                g.who = who

            changed.connect(on_changed, app, weak=False)
            return app
        """
    ),
    "pkg/signals.py": "from blinker import Namespace\n\nchanged = Namespace().signal('changed')\n",
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
        from flask import current_app, g
        from flask_restful import Resource

        from ..signals import changed
        from . import api


        class Me(Resource):
            def get(self):
                changed.send(current_app._get_current_object(), who="ann")
                return {"who": g.get("who")}


        api.add_resource(Me, "/me")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
answer = client.get("/api/me")
assert answer.json() == {"who": "ann"}, answer.text
print("ok")
"""


def test_a_signal_a_hosted_resource_sends_reaches_the_apps_receivers(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
