"""A request a REST Resource kept on Flask answers (``flask_hosted``) has Flask's endpoint in the converted app's
``before_request`` hook, and its view in ``app.view_functions``: a hook looking the view up (a CSRF check reading
an exemption mark) found None and a KeyError, and answered 404 to every request of the Api."""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree
from test_template_hosted_resources import FILES

from codemods import runner

HOOKED = {
    **FILES,
    "pkg/__init__.py": FILES["pkg/__init__.py"]
    .replace("from flask import Flask\n", "from flask import Flask, abort, request\n\nseen = []\n")
    .replace(
        "    return app\n",
        "    @app.before_request\n"
        "    def look_up_the_view():\n"
        "        try:\n"
        "            app.view_functions[request.endpoint]\n"
        "        except KeyError:\n"
        "            abort(404)\n"
        "        seen.append(request.endpoint)\n"
        "\n"
        "    return app\n",
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg
from pkg.models import Item, db

app = pkg.create_app()
with app.app_context():
    db.session.add(Item(id=1, name="one"))
    db.session.commit()
got = TestClient(app, raise_server_exceptions=False).get("/api/items/1")
assert got.status_code == 200 and got.json() == {"name": "one"}, (got.status_code, got.text)
assert pkg.seen == ["api.item_"], pkg.seen
print("ok")
"""


def test_a_hosted_resources_endpoint_and_view_are_the_apps_in_its_hooks(tmp_path):
    write_tree(tmp_path, HOOKED)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
