"""A project's registration helper in a module naming nothing of Flask's: ``configure(blueprint, routes)`` with the
owner and the MethodView classes handed in (``view = resource.as_view(name)``, then ``owner.add_url_rule(path,
view_func=view)``), called by each module building a blueprint.

The module mentions no ``flask`` (its docstring may say "Flask", the needle is the import's lower case), so the
run skipped it: its ``add_url_rule`` reached the ``APIRouter`` its callers now hand it, and the converted app failed
at import (AttributeError: 'APIRouter' object has no attribute 'add_url_rule'). A module whose functions register
on an owner their callers hand in is converted as one using the blueprints is: each call goes through ``url_rule``.
"""

from __future__ import annotations

import ast
import textwrap

from side_by_side import assert_same, convert_tree, load

TREE = {
    "regapp/__init__.py": textwrap.dedent("""\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from regapp.items import blueprint as items
            from regapp.notes import blueprint as notes

            app.register_blueprint(items)
            app.register_blueprint(notes, url_prefix="/n")
            return app
    """),
    "regapp/routing.py": textwrap.dedent('''\
        def configure_api(owner, route_tuples):
            """Register (path, resource class) tuples on the owner: Flask MethodView classes, one view each."""
            views = {}
            for path, resource in route_tuples:
                view = views.get(resource)
                if view is None:
                    view = resource.as_view(resource.__name__)
                    views[resource] = view
                owner.add_url_rule(path, view_func=view)
            return owner
    '''),
    "regapp/items.py": textwrap.dedent("""\
        from flask import Blueprint, jsonify, request
        from flask.views import MethodView

        from regapp.routing import configure_api

        ITEMS = {"1": "one", "2": "two"}


        class ItemsResource(MethodView):
            def get(self):
                return jsonify(items=sorted(ITEMS.values()), q=request.args.get("q"))

            def post(self):
                key = str(len(ITEMS) + 1)
                ITEMS[key] = request.get_json()["name"]
                return jsonify(id=key), 201


        class ItemResource(MethodView):
            def get(self, item_id):
                if item_id not in ITEMS:
                    return jsonify(error="not found"), 404
                return jsonify(id=item_id, name=ITEMS[item_id])

            def delete(self, item_id):
                ITEMS.pop(item_id, None)
                return "", 204


        routes = [
            ("/items", ItemsResource),
            ("/items/<item_id>", ItemResource),
            ("/things/<item_id>", ItemResource),
        ]

        blueprint = Blueprint("items", "items")
        api = configure_api(blueprint, routes)
    """),
    "regapp/notes.py": textwrap.dedent("""\
        from flask import Blueprint
        from flask.views import MethodView

        from regapp import routing


        class NotesResource(MethodView):
            def get(self):
                return {"notes": ["a", "b"]}


        blueprint = Blueprint("notes", __name__)
        routing.configure_api(blueprint, [("/notes", NotesResource)])
    """),
}

REQUESTS = [
    ("GET", "/items"),
    ("GET", "/items?q=x"),
    ("GET", "/items/1"),
    ("GET", "/things/2"),
    ("GET", "/items/9"),
    ("POST", "/items", {"json": {"name": "three"}}),
    ("GET", "/items"),
    ("DELETE", "/items/2"),
    ("GET", "/things/2"),
    ("PUT", "/items/1"),
    ("GET", "/n/notes"),
    ("GET", "/notes"),
]


def _trees(tmp_path):
    for relative, text in TREE.items():
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_helper_registers_through_url_rule(tmp_path):
    _, out = _trees(tmp_path)
    routing = (out / "regapp" / "routing.py").read_text()
    ast.parse(routing)
    assert "url_rule(owner, path, view_func=view)" in routing
    assert "view = resource.as_view(resource.__name__)" in routing


def test_helper_module_without_flask_answers_as_flasks(tmp_path):
    src, out = _trees(tmp_path)
    assert_same(load(src, "regapp", "create_app"), load(out, "regapp", "create_app"), REQUESTS)
