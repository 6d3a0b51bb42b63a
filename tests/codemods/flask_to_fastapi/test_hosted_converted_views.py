"""A converted view that a REST extension's object also registers on the Flask app hosting it is served as FastAPI's.

``@pages.route("/echo")`` over ``@api.route(pages, "/echo")`` (``api`` the project's Flask-RESTful ``Api``, adding
the view at its own URL on the hosted Flask app): the view is FastAPI's now (its request and body parameters), and
at the Api's URL Flask called it with Flask's arguments only (``echo() missing 2 required positional arguments``,
a 500). The host's rule naming a route's view is served by that route, with the rule's path parameters.
"""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree
from test_template_hosted_resources import VIEWS_ON_API

from codemods import runner

CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
for url in ("/pages/echo/3", "/api/pages/echo/3"):
    got = client.post(url, json={"x": 7})
    assert got.status_code == 200 and got.json() == {"got": 7, "n": 3, "path": url}, (url, got.status_code, got.text)
assert client.get("/api/pages/echo/3").status_code == 405  # the Api's rule takes POST only, as on Flask
print("ok")
"""


def test_the_apis_url_serves_the_converted_view(tmp_path):
    files = dict(VIEWS_ON_API)
    files["pkg/__init__.py"] = (
        files["pkg/__init__.py"]
        .replace("from .models import db\n", "from .models import db\nfrom .pages import pages\n")
        .replace(
            '    app.register_blueprint(api_bp, url_prefix="/api")\n',
            '    app.register_blueprint(api_bp, url_prefix="/api")\n    app.register_blueprint(pages)\n',
        )
    )
    files["pkg/api/views.py"] = (
        files["pkg/api/views.py"]
        .replace(
            '@api.route(pages, "/echo", methods=["POST"])\n',
            '@pages.route("/echo/<int:n>", methods=["POST"])\n@api.route(pages, "/echo/<int:n>", methods=["POST"])\n',
        )
        .replace("def echo():", "def echo(n):")
        .replace('got=request.get_json()["x"],', 'got=request.get_json()["x"], n=n,')
    )
    write_tree(tmp_path, files)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
