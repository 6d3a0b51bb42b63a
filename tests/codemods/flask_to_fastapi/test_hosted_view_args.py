"""A REST extension's Resource kept on Flask (``flask_hosted``) calling converted code that reads the request's
path parameters (``request.view_args``, converted to the helper's ``request.path_params``).

Flask's ``view_args`` held the Resource's URL arguments; the host's request reached through the helper is the
converted app's, which no FastAPI route matched: empty (``KeyError`` in a permission decorator looking the user up
by ``id``: 500 where Flask answered 403). The host's URL arguments are now the request's path parameters.
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
            app.register_blueprint(api_bp, url_prefix="/api")
            return app
        """
    ),
    "pkg/lookups.py": textwrap.dedent(
        """\
        from flask import request


        def wanted_id():
            return request.view_args.get("item_id")
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

        from ..lookups import wanted_id
        from . import api


        class Item(Resource):
            def get(self, item_id):
                return {"asked": item_id, "looked_up": wanted_id()}


        api.add_resource(Item, "/items/<int:item_id>")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
answer = client.get("/api/items/7")
assert answer.json() == {"asked": 7, "looked_up": 7}, answer.text
print("ok")
"""


def test_converted_code_a_hosted_resource_calls_reads_its_url_arguments(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    assert "path_params" in (tmp_path / "pkg" / "lookups.py").read_text()
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
