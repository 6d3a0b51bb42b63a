"""A project's registration helper wrapping each class's view in decorators its callers hand it before registering it
(``view = resource.as_view(name)``, ``for decorator in decorators: view = decorator(view)``,
``owner.add_url_rule(path, view_func=view)``), the decorators checking the request (a login, a role).

Flask's view answered every HTTP method of the class, the decorators around it. The converted view wrapped whole was a
plain function, routed for GET alone: every POST, PUT and DELETE answered 405. The helper's ``decorated_view`` puts the
decorator around each method's endpoint, outside the class's own ``decorators``, as Flask had them.
"""

from __future__ import annotations

import ast
import textwrap

from side_by_side import assert_same, convert_tree, load

TREE = {
    "decoapp/__init__.py": textwrap.dedent("""\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from decoapp.items import blueprint as items

            app.register_blueprint(items)
            return app
    """),
    "decoapp/routing.py": textwrap.dedent('''\
        def configure_api(owner, route_tuples, decorators=None):
            """Register (path, resource class) tuples on the owner, each view in the decorators given."""
            views = {}
            for path, resource in route_tuples:
                view = views.get(resource)
                if view is None:
                    view = resource.as_view(resource.__name__)
                    for decorator in decorators or []:
                        view = decorator(view)
                    views[resource] = view
                owner.add_url_rule(path, view_func=view)
            return owner
    '''),
    "decoapp/checks.py": textwrap.dedent("""\
        import functools

        from flask import abort, g, request


        def require_login(view):
            @functools.wraps(view)
            def checked(*args, **kwargs):
                if request.headers.get("X-User") is None:
                    abort(401)
                g.user = request.headers["X-User"]
                return view(*args, **kwargs)

            return checked


        def require_role(role):
            def decorator(view):
                @functools.wraps(view)
                def checked(*args, **kwargs):
                    if request.headers.get("X-Role") != role:
                        abort(403)
                    return view(*args, **kwargs)

                return checked

            return decorator
    """),
    "decoapp/items.py": textwrap.dedent("""\
        from flask import Blueprint, g, jsonify, request
        from flask.views import MethodView

        from decoapp.checks import require_login, require_role
        from decoapp.routing import configure_api

        ITEMS = {"1": "one", "2": "two"}


        class ItemsResource(MethodView):
            def get(self):
                return jsonify(items=sorted(ITEMS.values()), user=g.user)

            def post(self):
                key = str(len(ITEMS) + 1)
                ITEMS[key] = request.get_json()["name"]
                return jsonify(id=key, by=g.user), 201


        class ItemResource(MethodView):
            def get(self, item_id):
                if item_id not in ITEMS:
                    return jsonify(error="not found"), 404
                return jsonify(id=item_id, name=ITEMS[item_id])

            def put(self, item_id):
                ITEMS[item_id] = request.get_json()["name"]
                return jsonify(id=item_id, name=ITEMS[item_id])

            def delete(self, item_id):
                ITEMS.pop(item_id, None)
                return "", 204


        routes = [("/items", ItemsResource), ("/items/<item_id>", ItemResource)]

        blueprint = Blueprint("items", "items")
        api = configure_api(blueprint, routes, decorators=[require_role("editor"), require_login])
    """),
}

EDITOR = {"headers": {"X-User": "ann", "X-Role": "editor"}}
REQUESTS = [
    ("GET", "/items"),
    ("GET", "/items", {"headers": {"X-User": "ann"}}),
    ("GET", "/items", EDITOR),
    ("POST", "/items", {"json": {"name": "three"}}),
    ("POST", "/items", {"json": {"name": "three"}, "headers": {"X-User": "bob"}}),
    ("POST", "/items", {"json": {"name": "three"}, **EDITOR}),
    ("GET", "/items/3", EDITOR),
    ("PUT", "/items/1", {"json": {"name": "uno"}, **EDITOR}),
    ("PUT", "/items/1", {"json": {"name": "uno"}}),
    ("DELETE", "/items/2", EDITOR),
    ("DELETE", "/items/1"),
    ("GET", "/items", EDITOR),
    ("PATCH", "/items/1", EDITOR),
]


def _trees(tmp_path):
    for relative, text in TREE.items():
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_helper_decorates_each_method_of_the_class(tmp_path):
    _, out = _trees(tmp_path)
    routing = (out / "decoapp" / "routing.py").read_text()
    ast.parse(routing)
    assert "view = decorated_view(decorator, view)" in routing
    assert "url_rule(owner, path, view_func=view)" in routing


def test_views_decorated_by_the_helper_answer_every_method_as_flasks(tmp_path):
    src, out = _trees(tmp_path)
    assert_same(load(src, "decoapp", "create_app"), load(out, "decoapp", "create_app"), REQUESTS)
