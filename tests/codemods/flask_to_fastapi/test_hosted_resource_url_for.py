"""A REST Resource kept on Flask (``flask_hosted``) building the URL of one of the converted app's views with
Flask's ``url_for`` (a file's download link under a blueprint's route): the hosting Flask app's URL map names its
Resources only, so Flask raised BuildError ('Could not build url for endpoint ...') and the request answered 500.
The host builds an endpoint it lacks through the converted app's URLs, as the other Flask apps standing for it do."""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree
from test_template_hosted_resources import FILES

from codemods import runner

LINKED = {
    **FILES,
    "pkg/__init__.py": FILES["pkg/__init__.py"]
    .replace("from .api import api_bp\n", "from .api import api_bp\nfrom .views import views\n")
    .replace(
        '    app.register_blueprint(api_bp, url_prefix="/api")\n',
        '    app.register_blueprint(api_bp, url_prefix="/api")\n    app.register_blueprint(views)\n',
    ),
    "pkg/views.py": (
        "from flask import Blueprint\n\nviews = Blueprint('views', __name__)\n\n\n"
        "@views.route('/files/<path:path>')\ndef files(path):\n    return 'file ' + path\n"
    ),
    "pkg/api/resources.py": FILES["pkg/api/resources.py"]
    .replace("from flask_restful import Resource\n", "from flask import url_for\nfrom flask_restful import Resource\n")
    .replace(
        'api.add_resource(Item_, "/items/<int:item_id>")\n',
        "class Link(Resource):\n"
        "    def get(self, name):\n"
        "        return {'url': url_for('views.files', path='docs/' + name, token='t1')}\n\n\n"
        'api.add_resource(Item_, "/items/<int:item_id>")\n'
        'api.add_resource(Link, "/links/<name>")\n',
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
got = client.get("/api/links/a.txt")
assert got.status_code == 200 and got.json() == {"url": "/files/docs/a.txt?token=t1"}, (got.status_code, got.text)
assert client.get(got.json()["url"]).text == "file docs/a.txt"
print("ok")
"""


def test_a_hosted_resource_builds_the_url_of_a_converted_view(tmp_path):
    write_tree(tmp_path, LINKED)
    flask = subprocess.run(
        [
            sys.executable,
            "-c",
            CHECK.replace("fastapi.testclient import TestClient", "flask import Flask")
            .replace("TestClient(pkg.create_app(), raise_server_exceptions=False)", "pkg.create_app().test_client()")
            .replace("got.json()", "got.get_json()"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert flask.stdout.strip() == "ok", flask.stderr[-2000:]  # Flask's own answers
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
