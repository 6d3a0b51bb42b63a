"""An extension's Flask views (a blueprint it registers: Flasgger's API docs page) answer in a Flask request
context built from the request: a ``MethodView`` dispatching on ``flask.request.method`` raised "Working outside
of request context" (a 500); its ``flask.url_for`` and the templates it renders build the app's URLs."""

from __future__ import annotations

import sys
import types

from side_by_side import assert_same, convert_tree, load

DOCS = """\
import flask
from flask.views import MethodView


class Docs(MethodView):
    def get(self):
        page = flask.render_template_string("{{ url_for('docsext.docs') }}")
        return {"method": flask.request.method, "url": flask.url_for("docsext.docs"), "q": flask.request.args.get("q"),
                "page": page}


def init_app(app):
    blueprint = flask.Blueprint("docsext", __name__)
    blueprint.add_url_rule("/docs", view_func=Docs.as_view("docs"))
    app.register_blueprint(blueprint)
"""

APP = """\
from flask import Flask

import docsext

app = Flask(__name__)
docsext.init_app(app)


@app.route("/")
def index():
    return {"ok": True}
"""


def test_an_extensions_views_answer_in_a_flask_request_context(tmp_path, monkeypatch):
    module = types.ModuleType("docsext")
    exec(compile(DOCS, "docsext.py", "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, "docsext", module)  # an installed extension: not converted
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "docsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "docsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "docsapp")
    assert_same(flask_app, fastapi_app, [("GET", "/docs?q=x"), ("GET", "/docs"), ("GET", "/")])
