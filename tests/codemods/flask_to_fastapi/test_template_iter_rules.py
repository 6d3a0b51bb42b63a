"""``app.url_map.iter_rules()``: an app listing its own URLs (names a new page may not take, a sitemap) read the
helper's ``url_map``, which had none (AttributeError: a 500, or a PUT answering its error as 415 where the app
formats exceptions). Each route is Werkzeug's rule again: its path in Flask's syntax, its endpoint, methods and
arguments; the static files' mount is ``/static/<path:filename>``. Side by side with Flask."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Blueprint, Flask, current_app, jsonify

items = Blueprint("items", __name__, url_prefix="/items")


@items.route("/<int:item_id>")
def show(item_id):
    return jsonify(id=item_id)


@items.route("/<name>/edit", methods=["GET", "POST"])
def edit(name):
    return jsonify(name=name)


def reserved(prefix):
    return sorted(r.rule.split("/")[2] for r in current_app.url_map.iter_rules() if r.rule.startswith(prefix))


def create_app():
    app = Flask(__name__)
    app.register_blueprint(items)

    @app.route("/rules")
    def rules():
        found = [
            [r.rule, r.endpoint, sorted(r.methods), sorted(r.arguments)] for r in current_app.url_map.iter_rules()
        ]
        return jsonify(rules=sorted(found), reserved=reserved("/items"))

    @app.route("/rules/<endpoint>")
    def rules_of(endpoint):
        return jsonify(sorted(str(r) for r in current_app.url_map.iter_rules(endpoint)))

    return app
"""

REQUESTS = [("GET", "/rules"), ("GET", "/rules/items.show"), ("GET", "/rules/nothing")]


def test_the_app_lists_its_rules_as_werkzeug_did(tmp_path):
    (tmp_path / "src" / "listed").mkdir(parents=True)
    (tmp_path / "src" / "listed" / "__init__.py").write_text("")
    (tmp_path / "src" / "listed" / "app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "listed.app", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert_same(flask_app, load(tmp_path / "out", "listed.app", "create_app"), REQUESTS)
