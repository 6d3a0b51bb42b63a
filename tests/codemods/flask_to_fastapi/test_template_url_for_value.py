"""Flask's ``url_for`` handed as a value (a context processor's ``get_url=url_for``, a template global): the conversion
rewrote its calls and dropped its import, so the bare name raised NameError at the first page (a 500 where Flask
answered 200, with no TODO). It is now the helper's ``request_url_for``, called as Flask's."""

from __future__ import annotations

import importlib.util

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, render_template_string, url_for

app = Flask(__name__)
app.jinja_env.globals["link_to"] = url_for


@app.context_processor
def links():
    return dict(get_url=url_for)


@app.route("/")
def index():
    return render_template_string("{{ get_url('page', name='ada') }} {{ link_to('index') }}")


@app.route("/page/<name>")
def page(name):
    return url_for("page", name=name, x=1)
"""


def test_url_for_handed_as_a_value_answers_as_flasks(tmp_path):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "linking.py").write_text(APP)
    spec = importlib.util.spec_from_file_location("linking_flask", source / "linking.py")
    flask_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flask_module)
    flask_client = flask_module.app.test_client()
    expected = [(r.status_code, r.get_data(as_text=True)) for r in (flask_client.get("/"), flask_client.get("/page/x"))]
    assert expected == [(200, "/page/ada /"), (200, "/page/x?x=1")]
    convert_tree(source, tmp_path / "out")
    converted = (tmp_path / "out" / "linking.py").read_text()
    assert "get_url=request_url_for" in converted
    client = TestClient(load(tmp_path / "out", "linking"), raise_server_exceptions=False)
    assert [(r.status_code, r.text) for r in (client.get("/"), client.get("/page/x"))] == expected
