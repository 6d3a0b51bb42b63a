"""A REST Resource kept on Flask (``flask_hosted``) rendering a template with Flask's ``render_template``: the
hosting Flask app had a Jinja environment of its own, so a template only the app's own loader finds (a loader the
factory set, ``app.jinja_loader = ChoiceLoader([PrefixLoader(...)])``) raised TemplateNotFound (a 500), and the
app's template globals were missing. The host renders with the converted app's environment, as the Flask app
behind the extensions does."""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree
from test_template_hosted_resources import FILES

from codemods import runner

RENDERING = {
    **FILES,
    "pkg/__init__.py": FILES["pkg/__init__.py"].replace(
        "    db.init_app(app)\n",
        "    db.init_app(app)\n"
        "    import os\n\n    import jinja2\n\n"
        '    cards = jinja2.FileSystemLoader(os.path.join(os.path.dirname(__file__), "cards"))\n'
        '    app.jinja_loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({"cards": cards})])\n'
        '    app.jinja_env.globals["site"] = "Demo"\n',
    ),
    "pkg/cards/view.html": "{{ site }}: {{ name }}",
    "pkg/api/resources.py": FILES["pkg/api/resources.py"]
    .replace(
        "from flask_restful import Resource\n",
        "from flask import render_template\nfrom flask_restful import Resource\n",
    )
    .replace(
        'api.add_resource(Item_, "/items/<int:item_id>")\n',
        "class Card(Resource):\n"
        "    def get(self, name):\n"
        "        return {'view': render_template('cards/view.html', name=name)}\n\n\n"
        'api.add_resource(Item_, "/items/<int:item_id>")\n'
        'api.add_resource(Card, "/cards/<name>")\n',
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
got = client.get("/api/cards/ace")
assert got.status_code == 200 and got.json() == {"view": "Demo: ace"}, (got.status_code, got.text)
print("ok")
"""


def test_a_hosted_resource_renders_the_apps_templates(tmp_path):
    write_tree(tmp_path, RENDERING)
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
